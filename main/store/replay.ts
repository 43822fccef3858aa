/**
 * Start-up: every acknowledged record still in the journal is written to its file, durably,
 * before anything loads; then the segments go. A torn last group was never acknowledged and is
 * ignored. A damaged record with more after it (a disk error, an older build's torn append) stops
 * the replay of its segment, and the segment is moved to the quarantine folder whole and
 * reported: what follows the damage may hold acknowledged changes, so it is kept, never dropped.
 * A damaged segment that cannot be moved aside stops the start instead: left in the journal, it
 * would be replayed again at every later start, over files newer changes have written since.
 */
import { join } from 'node:path';
import { BerthError } from '../contract/errors';
import type { DurableContext } from '../files/durable-file';
import { decodeSegment, listSegments } from './journal-format';
import type { Layout } from './layout';
import { Materializer, type MoveAside } from './materializer';
import type { StoreProblem } from './quarantine';

export interface ReplayResult {
  records: number;
  /** Bytes of torn tails, ignored. */
  ignoredBytes: number;
  /** Segments replayed whole or moved aside: the journal drops these once the files are durable. */
  segments: number[];
  /** The newest segment found: the journal goes on after it. */
  lastSegment: number;
}

export async function replayJournal(
  ctx: DurableContext,
  layout: Layout,
  moveAside: MoveAside,
  keepAside: (path: string, reason: string, consequence: string) => Promise<StoreProblem>,
  report: (problem: StoreProblem) => void,
): Promise<ReplayResult> {
  const segments = await listSegments(ctx.ops, layout.journal);
  const replay = new Materializer(ctx, layout, moveAside);
  const result: ReplayResult = { records: 0, ignoredBytes: 0, segments: [], lastSegment: segments.at(-1)?.n ?? 0 };
  for (const segment of segments) {
    const path = join(layout.journal, segment.name);
    const decoded = decodeSegment(layout.dataDir, await ctx.ops.readFile(path));
    for (const record of decoded.records) replay.stage(record.files);
    result.records += decoded.records.length;
    result.ignoredBytes += decoded.ignoredBytes;
    if (decoded.damaged) {
      const { at, bytes, reason } = decoded.damaged;
      const problem = await keepAside(
        path,
        `${reason} at byte ${at}`,
        `The ${decoded.records.length} records before it were replayed; the ${bytes} bytes from there on were not, and are kept in the segment.`,
      );
      if (problem.moved_to === null) {
        throw new BerthError(
          'storage_error',
          `${problem.message} Berth did not start over it, so no newer change can be undone by replaying it again later: move ${problem.file} out of the data folder (keep it), then start Berth again.`,
        );
      }
      report(problem);
    }
    result.segments.push(segment.n);
  }
  if (replay.backlog > 0) {
    await replay.writeAll(true);
    await replay.sync(true);
  }
  return result;
}

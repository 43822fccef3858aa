/**
 * The journal's file format (see ./journal). A committed batch is one line in a segment:
 *   <16 hex digits of sha1(json)> <json>\n     json = {"seq":N,"files":[{"path":"namespaces/…","data":{…}|null}]}
 * `data` is a file's whole new content (null: delete it), so replaying a record twice is harmless.
 * The records of one group commit are followed by a line of spaces that pads the group to a whole
 * number of 4 KiB blocks: that line closes the group, and only closed groups were ever
 * acknowledged (a group is acknowledged once all of it, padding included, is on disk).
 */
import { createHash } from 'node:crypto';
import { resolve, sep } from 'node:path';
import type { FileOps } from '../files/file-ops';
import { isIdFile, ID_PATTERN } from './ids';

export interface JournalFile {
  /** Relative to the data folder, with '/': a namespace, repo, history chunk or trash file (see safeJournalPath). */
  path: string;
  /** The file's whole new content as JSON data; null deletes the file. */
  data: unknown;
}

export const BLOCK = 4096;
const SEGMENT = /^(\d{12})\.log$/;

/** The group's records followed by a padding line up to the next block boundary. */
export function padGroup(lines: readonly Buffer[]): Buffer {
  const size = lines.reduce((n, l) => n + l.length, 0);
  const pad = (BLOCK - ((size + 1) % BLOCK)) % BLOCK;
  return Buffer.concat([...lines, Buffer.from(`${' '.repeat(pad)}\n`, 'latin1')]);
}

export function segmentName(n: number): string {
  return `${String(n).padStart(12, '0')}.log`;
}

function checksum(json: string): string {
  return createHash('sha1').update(json).digest('hex').slice(0, 16);
}

export function encodeRecord(seq: number, files: JournalFile[]): Buffer {
  const json = JSON.stringify({ seq, files });
  return Buffer.from(`${checksum(json)} ${json}\n`, 'utf8');
}

const PATH_SEGMENT = /^[a-z0-9][a-z0-9._~-]*$/;

/** The shapes a journalled file's path may have (see ./layout); anything else is refused. */
function shapedPath(parts: readonly string[]): boolean {
  const [top, a, b, c] = parts;
  switch (top) {
    case 'namespaces':
      return (
        ((parts.length === 3 && b === 'namespace.json') || (parts.length === 4 && b === 'repos' && (c ?? '').endsWith('.json'))) &&
        parts.slice(1).every((p) => PATH_SEGMENT.test(p))
      );
    case 'history':
      return parts.length === 3 && ID_PATTERN.test(a ?? '') && isIdFile(b);
    case 'trash':
      return parts.length === 2 && isIdFile(a);
    default:
      return false;
  }
}

/** A journal path that names a namespace, repo, history chunk or trash file inside DATA; else null. */
export function safeJournalPath(dataDir: string, path: unknown): string | null {
  if (typeof path !== 'string') return null;
  const parts = path.split('/');
  if (!shapedPath(parts)) return null;
  const root = resolve(dataDir, parts[0] as string);
  const abs = resolve(dataDir, ...parts);
  return abs.startsWith(root + sep) ? abs : null;
}

export interface DecodedRecord {
  seq: number;
  files: { abs: string; data: unknown }[];
}

export interface DecodedSegment {
  /** The records of every closed group, in order. */
  records: DecodedRecord[];
  /** Bytes of a torn last group (a crash or a refused append cut it; never acknowledged). */
  ignoredBytes: number;
  /**
   * A record that is damaged or refused with more after it: replay stops there, and everything
   * from `at` on must be kept aside, never dropped (it may hold acknowledged records).
   */
  damaged: { at: number; bytes: number; reason: string } | null;
}

/** `refused`: a whole, valid record that must not be followed; kept aside even as the last one. */
type Parsed = { record: DecodedRecord } | { bad: string; refused?: boolean };

function parseLine(dataDir: string, line: string): Parsed {
  if (line.indexOf(' ') !== 16) return { bad: 'a record is damaged (it is cut short or garbled)' };
  const json = line.slice(17);
  if (checksum(json) !== line.slice(0, 16)) return { bad: 'a record is damaged (its checksum does not match)' };
  let parsed: { seq?: unknown; files?: unknown };
  try {
    parsed = JSON.parse(json) as { seq?: unknown; files?: unknown };
  } catch {
    return { bad: 'a record is damaged (it is not JSON)' };
  }
  if (typeof parsed.seq !== 'number' || !Array.isArray(parsed.files)) return { bad: 'a record has an unknown shape' };
  const files: DecodedRecord['files'] = [];
  for (const f of parsed.files as { path?: unknown; data?: unknown }[]) {
    const abs = safeJournalPath(dataDir, f?.path);
    // Never followed outside the catalogue's folders; what comes after such a record is suspect too.
    if (!abs || (f.data !== null && (typeof f.data !== 'object' || Array.isArray(f.data)))) {
      return {
        bad: `a record names a file outside the catalogue's folders or content that is not a JSON object (${JSON.stringify(f?.path)})`,
        refused: true,
      };
    }
    files.push({ abs, data: f.data });
  }
  return { record: { seq: parsed.seq, files } };
}

/** Every record of a segment's closed groups, up to the first record that is not valid. */
export function decodeSegment(dataDir: string, buf: Buffer): DecodedSegment {
  const records: DecodedRecord[] = [];
  let open: DecodedRecord[] = [];
  let groupStart = 0;
  let offset = 0;
  let stop: { lineEnd: number; reason: string; refused: boolean } | null = null;
  while (offset < buf.length) {
    const end = buf.indexOf(0x0a, offset);
    if (end < 0) {
      stop = { lineEnd: buf.length, reason: 'a record is cut short', refused: false };
      break;
    }
    const line = buf.toString('utf8', offset, end);
    if (line.trim() === '') {
      records.push(...open);
      open = [];
      groupStart = end + 1;
    } else {
      const parsed = parseLine(dataDir, line);
      if ('bad' in parsed) {
        stop = { lineEnd: end + 1, reason: parsed.bad, refused: parsed.refused === true };
        break;
      }
      open.push(parsed.record);
    }
    offset = end + 1;
  }
  const rest = buf.length - groupStart;
  if (rest === 0) return { records, ignoredBytes: 0, damaged: null };
  // Only blank bytes after the stopping line: a torn tail, which was never acknowledged.
  const after = stop ? buf.subarray(stop.lineEnd) : Buffer.alloc(0);
  const tailOnly = !stop?.refused && after.every((b) => b === 0x20 || b === 0x0a);
  if (tailOnly) return { records, ignoredBytes: rest, damaged: null };
  return { records, ignoredBytes: 0, damaged: { at: groupStart, bytes: rest, reason: stop?.reason ?? 'a record is damaged' } };
}

/** The segment files in a journal folder, oldest first. */
export async function listSegments(ops: FileOps, dir: string): Promise<{ name: string; n: number }[]> {
  const names = await ops.readdir(dir);
  return names
    .map((name) => ({ name, m: SEGMENT.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({ name, n: Number(m[1]) }))
    .sort((a, b) => a.n - b.n);
}

/**
 * The disk's side of the write targets: how many durable replacements of small files this machine
 * does per second at the bench's concurrency, with no server, no HTTP and no JSON work. Each write
 * is what the store's durability demands (README, "Storage: what is guaranteed"): a unique temp
 * file, written and fsync'd, renamed over the target, then the target's folder fsync'd.
 *
 * Usage: node --import tsx bench/durable-write-yardstick.ts DIR CONNECTIONS SECONDS BYTES
 * Prints one JSON line: {"rps":…, "p50":…, "p99":…, "writes":…}
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

const [dir, connectionsArg, secondsArg, bytesArg] = process.argv.slice(2);
if (!dir) {
  console.error('usage: durable-write-yardstick.ts DIR CONNECTIONS SECONDS BYTES');
  process.exit(2);
}
const connections = Number(connectionsArg ?? 20);
const seconds = Number(secondsArg ?? 3);
const body = 'x'.repeat(Number(bytesArg ?? 3000));
const FOLDERS = 100;

async function durableWrite(seq: number): Promise<void> {
  const tmp = path.join(dir as string, 'tmp', `w${seq}.tmp`);
  const folder = path.join(dir as string, `f${seq % FOLDERS}`);
  const file = await open(tmp, 'wx');
  try {
    await file.writeFile(body);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path.join(folder, `r${seq % 1000}.json`));
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

await mkdir(path.join(dir, 'tmp'), { recursive: true });
for (let f = 0; f < FOLDERS; f++) await mkdir(path.join(dir, `f${f}`), { recursive: true });
const latencies: number[] = [];
let seq = 0;
const started = performance.now();
const deadline = started + seconds * 1000;
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      await durableWrite(seq++);
      latencies.push(performance.now() - t);
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0).toFixed(1));
console.log(JSON.stringify({ rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), writes: latencies.length }));
await rm(dir, { recursive: true, force: true });

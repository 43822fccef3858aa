// `npm run cli -- export|import|check --data-dir DIR …`: runs main/cli/berth.ts from its bundle,
// rebuilt when the sources are newer (./run-bundled.mjs says why).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runBundled } from './run-bundled.mjs';

// An export or import makes millions of short-lived objects: with a larger young generation
// V8 collects them far less often (the 100,000-repo export: 10.6 s → 9.3 s; docs/benchmarks.md).
// V8 takes the size only when the process starts, so the tool starts itself once more with it.
const YOUNG_GENERATION = '--max-semi-space-size=64';

if (process.execArgv.includes(YOUNG_GENERATION)) {
  await runBundled({
    what: 'the command-line tool',
    name: 'berth',
    entry: 'main/cli/berth.ts',
    bundle: 'out/cli/berth.mjs',
    launcher: import.meta.url,
  });
} else {
  const args = [...process.execArgv, YOUNG_GENERATION, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

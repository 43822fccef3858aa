// `npm run cli -- export|import|check --data-dir DIR …`: runs main/cli/berth.ts from its bundle,
// rebuilt when the sources are newer (./run-bundled.mjs says why).
import { runBundled } from './run-bundled.mjs';

await runBundled({
  what: 'the command-line tool',
  name: 'berth',
  entry: 'main/cli/berth.ts',
  bundle: 'out/cli/berth.mjs',
  launcher: import.meta.url,
});

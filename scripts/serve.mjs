// `npm run serve`: runs main/cli/serve.ts from its bundle, rebuilt when the sources are newer
// (./run-bundled.mjs says why).
import { runBundled } from './run-bundled.mjs';

await runBundled({
  what: 'the server',
  name: 'berth serve',
  entry: 'main/cli/serve.ts',
  bundle: 'out/serve/serve.mjs',
  launcher: import.meta.url,
});

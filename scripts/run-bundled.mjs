// Runs a command-line entry of main/cli (`npm run serve`, `npm run cli`) from a bundle instead of
// through tsx's loader. Transforming every TypeScript module at each start costs seconds (serve's
// start-up must stay under 1 s, docs/benchmarks.md), and neither command may need a separate build
// step, so the bundle is rebuilt whenever it is missing or older than the sources, then imported in
// the same process (argv, signals and exit codes are the command's own).
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch (err) {
    if (err.code === 'ENOENT') return -1;
    throw err;
  }
}

/** The newest modification time of anything the bundle is built from (launchers included). */
function newestSource(launcher) {
  let newest = Math.max(mtimeMs(join(ROOT, 'package.json')), mtimeMs(fileURLToPath(import.meta.url)), mtimeMs(launcher));
  const main = join(ROOT, 'main');
  // Directories too: a deleted or renamed source file only shows as its folder's mtime.
  newest = Math.max(newest, mtimeMs(main));
  for (const entry of readdirSync(main, { recursive: true, withFileTypes: true })) {
    newest = Math.max(newest, mtimeMs(join(entry.parentPath ?? entry.path, entry.name)));
  }
  return newest;
}

// TypeBox ships as hundreds of small ES modules: importing them from node_modules is the largest
// single cost of a start (a quarter of a second), so it is bundled, tree-shaken, with our code.
// Every other package stays in node_modules, loaded as Node would load it.
const BUNDLED_PACKAGES = /^@sinclair\/typebox(\/|$)/;

const externalPackages = {
  name: 'external-packages',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) =>
      BUNDLED_PACKAGES.test(args.path) ? undefined : { path: args.path, external: true },
    );
  },
};

async function build(entry, bundle, newest) {
  // Stamped with the time the build started (or the newest source, if a clock is ahead), so a
  // source saved while the build runs is still newer than the bundle.
  const stamp = Math.max(Date.now(), newest + 1) / 1000;
  const { build: esbuild } = await import('esbuild');
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [externalPackages],
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'silent',
    write: false,
  });
  mkdirSync(dirname(bundle), { recursive: true });
  // Temp file + rename: concurrent first runs each write their own file and never load a torn one.
  // The map goes first so the bundle, once visible, always has its map next to it.
  const outputs = [...result.outputFiles].sort((a, b) => Number(a.path === bundle) - Number(b.path === bundle));
  for (const file of outputs) {
    const temp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.tmp`);
    try {
      writeFileSync(temp, file.contents);
      utimesSync(temp, stamp, stamp);
      renameSync(temp, file.path);
    } catch (err) {
      try {
        unlinkSync(temp);
      } catch {
        // Nothing was written, or it is gone already: the original error is the one to report.
      }
      throw err;
    }
  }
}

function describeBuildError(err) {
  const first = err?.errors?.[0];
  if (first) {
    const where = first.location ? ` (${first.location.file}:${first.location.line}:${first.location.column})` : '';
    return `${first.text}${where}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Builds (when stale) and runs one entry. `name` prefixes failures ("berth serve: …"), `what`
 * names the program in them, `entry` and `bundle` are paths relative to the project, `launcher`
 * the calling script's import.meta.url.
 */
export async function runBundled({ name, what, entry, bundle, launcher }) {
  const entryPath = join(ROOT, ...entry.split('/'));
  const bundlePath = join(ROOT, ...bundle.split('/'));
  const fail = (message) => {
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(1);
  };
  try {
    const newest = newestSource(fileURLToPath(launcher));
    if (mtimeMs(bundlePath) < newest) await build(entryPath, bundlePath, newest);
  } catch (err) {
    fail(`could not build ${what} from main/: ${describeBuildError(err)}`);
  }
  // Source maps stay off by default: enabling them makes Node scan every module it loads (tens of
  // milliseconds at start-up). NODE_OPTIONS=--enable-source-maps maps a stack onto main/ sources.
  await import(pathToFileURL(bundlePath).href);
}

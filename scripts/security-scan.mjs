// `npm run security`: Electronegativity over the Electron code (main/ and preload/). Fails on
// any HIGH or MEDIUM finding that scripts/security-allowlist.json does not explain, and on any
// file the scanner could not parse (an unread file is not a pass).
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const scannerDir = dirname(require.resolve('@doyensec/electronegativity/dist/runner.js'));

// The scanner fetches translations and Electron's release list from the internet; this machine
// (and CI) has no network beyond package registries. Answer those fetches "offline" at once: the
// checks themselves run locally and the English messages ship with the package.
const gotPath = require.resolve('got', { paths: [scannerDir] });
const offline = () => Promise.reject(new Error('offline: Berth scans without network access'));
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline }) };
const quietLog = console.log;
console.log = () => undefined; // its "could not fetch" chatter
const run = require(join(scannerDir, 'runner.js'));

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = String(pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron ?? '').replace(/^[^\d]*/, '');
const allow = JSON.parse(readFileSync(join(root, 'scripts/security-allowlist.json'), 'utf8')).entries;

// One tree holding main/ and preload/, so the global checks see the window, its handlers and the
// preload together, and findings name repo-relative paths.
const scanRoot = mkdtempSync(join(tmpdir(), 'berth-security-'));
let result;
try {
  for (const folder of ['main', 'preload'])
    cpSync(join(root, folder), join(scanRoot, folder), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  result = await run({
    input: scanRoot,
    electronVersionOverride: electronVersion,
    isRelative: true,
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  });
} finally {
  console.log = quietLog;
  rmSync(scanRoot, { recursive: true, force: true });
}

const serious = result.issues.filter((issue) => issue.severity.value >= 2);
const explained = (issue) => allow.some((entry) => entry.id === issue.id && entry.file === issue.file && entry.reason?.trim());
const unexplained = serious.filter((issue) => !explained(issue));
const unread = result.errors.filter((error) => !error.tolerable);

for (const issue of serious) {
  const mark = explained(issue) ? 'allowed' : 'FAIL   ';
  console.log(
    `${mark} ${issue.severity.name.padEnd(6)} ${issue.id} ${issue.file}:${issue.location.line}:${issue.location.column} ${issue.shortenedURL ?? ''}`,
  );
}
for (const error of unread) console.log(`FAIL    could not parse ${error.file}: ${error.message}`);
const low = result.issues.length - serious.length;
console.log(
  `Electronegativity ${result.globalChecks + result.atomicChecks} checks on main/ and preload/: ${serious.length} high/medium finding(s), ` +
    `${unexplained.length} unexplained, ${unread.length} unreadable file(s), ${low} low/informational.`,
);
process.exit(unexplained.length > 0 || unread.length > 0 ? 1 : 0);

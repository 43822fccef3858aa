/**
 * The command-line tool (README, "Backup and restore"), for a data folder no other process holds:
 *   npm run cli -- export --data-dir DIR [--out FILE]
 *   npm run cli -- import --data-dir DIR [--in FILE] [--mode merge|replace] [--dry-run]
 *   npm run cli -- check  --data-dir DIR
 * Results on stdout (the document, the import's counts as JSON, the check's findings), progress
 * and failures on stderr. Exit codes: 0 done, 1 problems found or refused (the folder is in use,
 * the document is not valid, the disk refused), 2 wrong usage.
 */
import { Command, CommanderError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isBerthError } from '../contract/errors';
import type { ImportMode, ImportResult } from '../contract/portability';
import { exportToFile } from '../registry/portability/files';
import { createRegistry, type Registry } from '../registry/index';
import { checkDataFolder } from '../store/check';
import { CredentialsFile, RegistryConnections, transferPort } from '../registries/index';
import { openStore, RegistriesFile, type Store } from '../store/index';
import { VERSION } from '../version';
import { Progress, writeOut } from './output';

class Refused extends Error {}

function say(message: string): void {
  process.stderr.write(`berth: ${message}\n`);
}

function existingFolder(dir: string): string {
  const path = resolve(dir);
  if (!existsSync(path)) throw new Refused(`There is no data folder at ${path}.`);
  return path;
}

/** Opens the folder's store (refused while another process holds it) and runs fn over its registry. */
async function withRegistry<R>(dataDir: string, fn: (registry: Registry) => Promise<R>): Promise<R> {
  let store: Store;
  try {
    store = await openStore(dataDir, { backgroundLoad: false });
  } catch (err) {
    throw new Refused(isBerthError(err) ? err.detail : String(err));
  }
  for (const problem of store.problems) say(`warning: ${problem.message}`);
  const unsubscribe = store.onProblem((problem) => say(`warning: ${problem.message}`));
  let connections: RegistryConnections | null = null;
  try {
    // The registry connections travel with the catalogue (never their secrets).
    const file = await RegistriesFile.open(dataDir);
    if (file.problem) say(`warning: ${file.problem.message}`);
    connections = new RegistryConnections({ file, credentials: await CredentialsFile.open(dataDir) });
    return await fn(createRegistry(store, { registries: transferPort(connections) }));
  } finally {
    unsubscribe();
    await connections?.close();
    await store.close();
  }
}

async function runExport(options: { dataDir: string; out?: string; quiet?: boolean }): Promise<void> {
  const dataDir = existingFolder(options.dataDir);
  const progress = new Progress('export', options.quiet === true);
  await withRegistry(dataDir, async (registry) => {
    const onProgress = (p: { repos: number; total: number; bytes: number }) => progress.update(`${p.repos} of ${p.total} repos`, p.bytes);
    if (options.out) {
      const summary = await exportToFile(registry, resolve(options.out), { onProgress });
      progress.done(`${summary.repos} repos in ${summary.namespaces} namespaces written to ${options.out}`, summary.bytes);
    } else {
      let repos = 0;
      for await (const piece of registry.exportCatalogue({ onProgress: (p) => ((repos = p.repos), onProgress(p)) })) await writeOut(piece);
      progress.done(`${repos} repos written`);
    }
  });
}

async function runImport(options: { dataDir: string; in?: string; mode: ImportMode; dryRun?: boolean; quiet?: boolean }): Promise<void> {
  const progress = new Progress('import', options.quiet === true);
  const { importFromFile } = await import('../registry/portability/files');
  const result: ImportResult = await withRegistry(resolve(options.dataDir), (registry) => {
    const call = {
      mode: options.mode,
      dry_run: options.dryRun === true,
      onProgress: (p: { phase: string; repos: number; bytes: number }) =>
        progress.update(`${p.phase} ${p.repos} repos`, p.bytes || undefined),
    };
    return options.in ? importFromFile(registry, resolve(options.in), call) : registry.importCatalogue(process.stdin, call);
  });
  const counts = `${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.deleted} deleted, ${result.conflicts.length} conflicts`;
  progress.done(result.dry_run ? `dry run, nothing was changed: ${counts}` : counts);
  for (const conflict of result.conflicts.slice(0, 10)) {
    say(`conflict: ${'repo' in conflict ? conflict.repo : `registry ${conflict.registry}`}: ${conflict.detail}`);
  }
  if (result.conflicts.length > 10) say(`… and ${result.conflicts.length - 10} more conflicts (all of them are in the JSON on stdout)`);
  await writeOut(`${JSON.stringify(result, null, 2)}\n`);
}

async function runCheck(options: { dataDir: string; quiet?: boolean }): Promise<void> {
  const dataDir = existingFolder(options.dataDir);
  const progress = new Progress('check', options.quiet === true);
  let report;
  try {
    report = await checkDataFolder(dataDir, { onProgress: (repos) => progress.update(`${repos} repo files read`) });
  } catch (err) {
    throw new Refused(isBerthError(err) ? err.detail : String(err));
  }
  for (const p of report.problems) await writeOut(`problem: ${p.file}: ${p.reason}\n`);
  for (const note of report.notes) await writeOut(`note: ${note}\n`);
  const summary = `${report.namespaces} namespaces, ${report.repos} repo files, ${report.journalRecords} journal records: ${report.problems.length === 0 ? 'no problems' : `${report.problems.length} problems`}`;
  await writeOut(`${summary}\n`);
  progress.done(summary);
  if (report.problems.length > 0) process.exitCode = 1;
}

const dataDirOption = () => new Option('--data-dir <dir>', 'the data folder (no other Berth process may hold it)').makeOptionMandatory();
const quietOption = () => new Option('--quiet', 'no progress on stderr');

const program = new Command()
  .name('berth')
  .description('Berth on the command line: export, import and check a data folder no other process holds.')
  .version(VERSION)
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ outputError: (text, write) => write(`berth: ${text.replace(/^error: /, '')}`) });

program
  .command('export')
  .description('Write the whole catalogue as one JSON document (docs/portability.md)')
  .addOption(dataDirOption())
  .option('--out <file>', 'write it to this file (replaced only once complete); default: standard output')
  .addOption(quietOption())
  .action(runExport);

program
  .command('import')
  .description('Import an export document into the data folder (created when missing)')
  .addOption(dataDirOption())
  .option('--in <file>', 'read it from this file; default: standard input')
  .addOption(
    new Option('--mode <mode>', 'merge keeps newer local changes; replace makes the catalogue the document')
      .choices(['merge', 'replace'])
      .default('merge'),
  )
  .option('--dry-run', 'report what the import would do, change nothing')
  .addOption(quietOption())
  .action(runImport);

program
  .command('check')
  .description('Read every file and the journal, report problems, change nothing (exit 1 when there are any)')
  .addOption(dataDirOption())
  .addOption(quietOption())
  .action(runCheck);

for (const command of program.commands) {
  command
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`berth ${command.name()}: ${text.replace(/^error: /, '')}`) });
}

async function main(): Promise<void> {
  try {
    await program.parseAsync();
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are answers; anything else commander refuses is wrong usage.
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : 2;
      return;
    }
    say(
      err instanceof Refused || isBerthError(err) ? (err as Error).message : `failed: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exitCode = 1;
  }
}

await main();

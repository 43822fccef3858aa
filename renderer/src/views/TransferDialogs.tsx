/**
 * File > Export… and Import… (docs/portability.md). The file is chosen first, in the app's native
 * dialog (the backend only writes or reads a file chosen that way); these dialogs then show the
 * choices, the progress while it runs and what it did.
 */
import { useEffect, useState } from 'react';
import type { ExportSummary, ImportMode, ImportResult, TransferProgress } from '../../../main/contract/portability';
import { berth, toErrorBody } from '../api/berth';
import { Dialog } from '../components/Dialog';

const POLL_MS = 250;
const CONFLICTS_SHOWN = 50;

const number = (n: number) => n.toLocaleString('en');
const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** The running transfer's progress, polled while `running`. */
function useProgress(running: boolean): TransferProgress | null {
  const [progress, setProgress] = useState<TransferProgress | null>(null);
  useEffect(() => {
    if (!running) return;
    let stopped = false;
    const poll = () => {
      berth()
        .getTransferProgress()
        .then((p) => {
          if (!stopped) setProgress(p);
        })
        .catch(() => undefined);
    };
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [running]);
  return running ? progress : null;
}

function ProgressBar({ label, progress }: { label: string; progress: TransferProgress | null }) {
  const total = progress?.total ?? null;
  const repos = progress?.repos ?? 0;
  const phase = progress?.phase === 'applying' ? 'Applying' : progress?.phase === 'writing' ? 'Writing' : 'Reading';
  const text = total !== null ? `${number(repos)} of ${number(total)} repositories` : `${phase}: ${number(repos)} repositories`;
  return (
    <div className="transfer-progress">
      <progress aria-label={label} max={total ?? undefined} value={total !== null ? repos : undefined} />
      <p aria-live="polite">
        {text}
        {progress && progress.bytes > 0 ? `, ${megabytes(progress.bytes)}` : ''}
      </p>
    </div>
  );
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function ExportDialog({ path, onClose }: { path: string; onClose(): void }) {
  const [summary, setSummary] = useState<ExportSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = summary === null && error === null;
  const progress = useProgress(running);

  useEffect(() => {
    let current = true;
    berth()
      .exportCatalogue(path)
      .then(
        (s) => current && setSummary(s),
        (err: unknown) => current && setError(toErrorBody(err).detail),
      );
    return () => {
      current = false;
    };
  }, [path]);

  return (
    <Dialog title="Export the catalogue" onClose={onClose} description={<span className="transfer-path">{path}</span>}>
      {running ? <ProgressBar label="Export progress" progress={progress} /> : null}
      {summary ? (
        <p role="status" className="transfer-result">
          Exported {number(summary.repos)} repositories in {number(summary.namespaces)} namespaces ({megabytes(summary.bytes)}) to{' '}
          {fileName(path)}.
        </p>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className={running ? undefined : 'button-primary'} onClick={onClose} data-autofocus disabled={running}>
          {running ? 'Exporting…' : 'Done'}
        </button>
      </div>
    </Dialog>
  );
}

function ImportSummary({ result }: { result: ImportResult }) {
  const rows: [string, number][] = [
    ['Created', result.created],
    ['Updated', result.updated],
    ['Unchanged', result.unchanged],
    ['Deleted', result.deleted],
    ['Conflicts', result.conflicts.length],
  ];
  const { registries } = result;
  const registryChanges = registries.created + registries.updated + registries.deleted;
  return (
    <div role="status" className="transfer-result">
      <p>{result.dry_run ? 'Dry run: nothing was changed. The import would do this:' : 'Imported:'}</p>
      <dl className="settings-list">
        {rows.map(([label, value]) => (
          <div key={label} className="transfer-count">
            <dt>{label}</dt>
            <dd>{number(value)}</dd>
          </div>
        ))}
      </dl>
      {registryChanges > 0 ? (
        <p>
          Registries: {number(registries.created)} added, {number(registries.updated)} changed, {number(registries.deleted)} removed. Their
          passwords are never exported: enter them again in each registry&apos;s settings.
        </p>
      ) : null}
      {result.conflicts.length > 0 ? (
        <>
          <h3>Kept as they are</h3>
          <ul className="transfer-conflicts" aria-label="Conflicts">
            {result.conflicts.slice(0, CONFLICTS_SHOWN).map((c) => (
              <li key={'repo' in c ? c.repo : `registry ${c.registry}`}>
                <strong>{'repo' in c ? c.repo : `Registry ${c.registry}`}</strong>: {c.detail}
              </li>
            ))}
          </ul>
          {result.conflicts.length > CONFLICTS_SHOWN ? <p>… and {number(result.conflicts.length - CONFLICTS_SHOWN)} more.</p> : null}
        </>
      ) : null}
    </div>
  );
}

export function ImportDialog({ path, onClose }: { path: string; onClose(): void }) {
  const [mode, setMode] = useState<ImportMode>('merge');
  const [dryRun, setDryRun] = useState(false);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const progress = useProgress(running);

  const run = (asDryRun: boolean) => {
    setRunning(true);
    setError(null);
    setResult(null);
    berth()
      .importCatalogue(path, { mode, dry_run: asDryRun })
      .then(setResult, (err: unknown) => setError(toErrorBody(err).detail))
      .finally(() => setRunning(false));
  };

  return (
    <Dialog title="Import a catalogue" onClose={onClose} description={<span className="transfer-path">{path}</span>}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run(dryRun);
        }}
      >
        <fieldset className="visibility-choice" disabled={running}>
          <legend>How</legend>
          <label>
            <input type="radio" name="mode" checked={mode === 'merge'} onChange={() => setMode('merge')} data-autofocus /> Merge: add what
            is new, take copies changed later than yours, keep the rest
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === 'replace'} onChange={() => setMode('replace')} /> Replace: the catalogue
            becomes the file’s (repositories it lacks are deleted)
          </label>
        </fieldset>
        <label className="field-inline">
          <input type="checkbox" checked={dryRun} disabled={running} onChange={(e) => setDryRun(e.target.checked)} /> Dry run: only report
          what would change
        </label>
        {running ? <ProgressBar label="Import progress" progress={progress} /> : null}
        {result ? <ImportSummary result={result} /> : null}
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose} disabled={running}>
            {result && !result.dry_run ? 'Done' : 'Cancel'}
          </button>
          {!result ? (
            <button type="submit" className="button-primary" disabled={running}>
              {running ? 'Importing…' : dryRun ? 'Dry run' : 'Import'}
            </button>
          ) : null}
          {result?.dry_run ? (
            <button type="button" className="button-primary" onClick={() => run(false)}>
              Import now
            </button>
          ) : null}
        </div>
      </form>
    </Dialog>
  );
}

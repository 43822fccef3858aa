/**
 * Import from a registry: choose repositories (or every one), an optional target namespace with a
 * preview of the local names, and a tag filter; then the job's progress with Cancel, and at the
 * end what it did with each item's error.
 */
import { QueryNote } from '../../components/QueryNote';
import { useEffect, useId, useMemo, useState } from 'react';
import type { ImportBody, JobView, RegistryView } from '../../../../main/contract/types';
import { validateNamespace } from '../../../../main/contract/names';
import { toErrorBody } from '../../api/berth';
import { useRegistryRepositories } from '../../api/registries';
import { isFinished, useImport, useJob } from '../../api/sync';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { JobProgress } from './JobProgress';
import { previewLocalName, tagFilterProblem } from './local-name';

interface Props {
  registry: RegistryView;
  onClose(): void;
}

/** Rows drawn in the checkbox list at once; a filter narrows a larger catalogue. */
const LIST_LIMIT = 300;
const PREVIEW_LIMIT = 6;
const number = new Intl.NumberFormat();

export function ImportDialog({ registry, onClose }: Props) {
  const [started, setStarted] = useState<JobView | null>(null);
  return (
    <Dialog title={`Import from ${registry.name}`} onClose={onClose} className="dialog-wide import-dialog">
      {started ? (
        <ImportRun initial={started} onClose={onClose} />
      ) : (
        <ImportForm registry={registry} onStarted={setStarted} onClose={onClose} />
      )}
    </Dialog>
  );
}

function ImportRun({ initial, onClose }: { initial: JobView; onClose(): void }) {
  const job = useJob(initial.id, initial).data ?? initial;
  return (
    <>
      <JobProgress job={job} label="Import progress" />
      <div className="dialog-actions">
        <button type="button" className={isFinished(job) ? 'button-primary' : ''} data-autofocus onClick={onClose}>
          {isFinished(job) ? 'Done' : 'Close (keeps running)'}
        </button>
      </div>
    </>
  );
}

function ImportForm({ registry, onStarted, onClose }: { registry: RegistryView; onStarted(job: JobView): void; onClose(): void }) {
  const hub = registry.kind === 'dockerhub';
  const ids = useId();
  const catalogue = useRegistryRepositories(registry.name, '', !hub);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = catalogue;
  // The choice is made over the whole catalogue: read every page.
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const all = useMemo(() => catalogue.data?.pages.flatMap((p) => p.results) ?? [], [catalogue.data]);

  const [everything, setEverything] = useState(false);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [typed, setTyped] = useState('');
  const [filter, setFilter] = useState('');
  const [namespace, setNamespace] = useState('');
  const [tags, setTags] = useState('');
  const start = useImport(registry.name);

  const needle = filter.trim().toLowerCase();
  const shown = useMemo(() => (needle ? all.filter((name) => name.toLowerCase().includes(needle)) : all), [all, needle]);
  const typedNames = typed
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const selection = hub ? typedNames : everything ? all : all.filter((name) => chosen.has(name));
  const ns = namespace.trim();
  const namespaceError = ns ? validateNamespace(ns) : null;
  const tagsError = tagFilterProblem(tags);
  const serverError = start.error ? toErrorBody(start.error) : null;
  const canStart = (everything || selection.length > 0) && !namespaceError && !tagsError && !start.isPending;

  const toggle = (name: string, on: boolean) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });

  return (
    <form
      className="import-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!canStart) return;
        const body: ImportBody = {
          repositories: everything && !hub ? '*' : selection,
          ...(ns ? { namespace: ns } : {}),
          ...(tags ? { tags } : {}),
        };
        start.mutate(body, { onSuccess: onStarted });
      }}
    >
      {hub ? (
        <Field
          label="Repositories"
          hint="Docker Hub has no catalogue: name each repository, e.g. library/nginx, separated by spaces or lines."
        >
          {(p) => <textarea {...p} rows={3} value={typed} spellCheck={false} onChange={(e) => setTyped(e.target.value)} />}
        </Field>
      ) : (
        <fieldset className="import-choice">
          <legend>Repositories</legend>
          <label>
            <input type="radio" name={`${ids}-which`} checked={everything} onChange={() => setEverything(true)} /> Every repository in the
            catalogue{all.length > 0 ? ` (${number.format(all.length)}${hasNextPage ? '+' : ''})` : ''}
          </label>
          <label>
            <input type="radio" name={`${ids}-which`} checked={!everything} onChange={() => setEverything(false)} /> Only these:
          </label>
          {everything ? null : (
            <div className="import-picker">
              <div className="import-picker-tools">
                <label className="sr-only" htmlFor={`${ids}-filter`}>
                  Filter the catalogue
                </label>
                <input
                  id={`${ids}-filter`}
                  type="search"
                  placeholder="Filter the catalogue"
                  value={filter}
                  onChange={(e) => setFilter(e.target.value)}
                />
                <button type="button" className="button-small" onClick={() => setChosen((prev) => new Set([...prev, ...shown]))}>
                  Select {needle ? 'shown' : 'all'}
                </button>
                <button type="button" className="button-small" onClick={() => setChosen(new Set())}>
                  Clear
                </button>
              </div>
              {!catalogue.isSuccess ? (
                <QueryNote query={catalogue} reading="Reading the catalogue…" />
              ) : (
                <ul className="import-list" aria-label="Repositories to import">
                  {shown.slice(0, LIST_LIMIT).map((name) => (
                    <li key={name}>
                      <label>
                        <input type="checkbox" checked={chosen.has(name)} onChange={(e) => toggle(name, e.target.checked)} /> {name}
                      </label>
                    </li>
                  ))}
                  {shown.length === 0 ? <li className="muted">{needle ? 'No repository matches.' : 'The catalogue is empty.'}</li> : null}
                  {shown.length > LIST_LIMIT ? (
                    <li className="muted">{number.format(shown.length - LIST_LIMIT)} more: filter to find them.</li>
                  ) : null}
                </ul>
              )}
              <p className="muted import-count" aria-live="polite">
                {number.format(chosen.size)} selected
              </p>
            </div>
          )}
        </fieldset>
      )}

      <Field
        label="Target namespace (optional)"
        error={namespaceError}
        hint="Empty: a path's first segment is the namespace (team/app → team/app). Given: the whole path, / as -, goes into it (team/app → ns/team-app)."
      >
        {(p) => (
          <input
            {...p}
            value={namespace}
            placeholder="e.g. mirror"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setNamespace(e.target.value)}
          />
        )}
      </Field>
      {selection.length > 0 && !namespaceError ? <NamePreview repositories={selection} namespace={ns} /> : null}

      <Field
        label="Tag filter (optional)"
        error={tagsError}
        hint="A regular expression each whole tag name must match, e.g. 1\..*|latest — empty imports every tag."
      >
        {(p) => (
          <input {...p} className="mono" value={tags} autoComplete="off" spellCheck={false} onChange={(e) => setTags(e.target.value)} />
        )}
      </Field>

      {serverError ? (
        <p className="error-text" role="alert">
          {serverError.detail}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button-primary" disabled={!canStart}>
          {start.isPending
            ? 'Starting…'
            : `Start import${everything && !hub ? '' : selection.length > 0 ? ` of ${number.format(selection.length)}` : ''}`}
        </button>
      </div>
    </form>
  );
}

function NamePreview({ repositories, namespace }: { repositories: string[]; namespace: string }) {
  const rows = repositories.slice(0, PREVIEW_LIMIT).map((repository) => ({ repository, local: previewLocalName(repository, namespace) }));
  const problems = repositories.filter((r) => !previewLocalName(r, namespace).ok).length;
  return (
    <div className="import-preview">
      <table>
        <caption>Local names</caption>
        <thead>
          <tr>
            <th scope="col">In the registry</th>
            <th scope="col">In Berth</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ repository, local }) => (
            <tr key={repository}>
              <td>
                <code>{repository}</code>
              </td>
              <td>{local.ok ? <code>{local.name}</code> : <span className="error-text">Skipped: {local.detail}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {repositories.length > PREVIEW_LIMIT ? (
        <p className="muted">
          …and {number.format(repositories.length - PREVIEW_LIMIT)} more
          {problems > 0 ? `; ${number.format(problems)} in all cannot be named and will be skipped` : ''}.
        </p>
      ) : null}
    </div>
  );
}

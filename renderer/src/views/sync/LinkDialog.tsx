/** Links a local repo to a repository of a connected registry (its tags come with the next sync). */
import { useId, useState } from 'react';
import type { LinkView, RepoView } from '../../../../main/contract/types';
import { toErrorBody } from '../../api/berth';
import { useRegistries, useRegistryRepositories } from '../../api/registries';
import { useLinkRepo } from '../../api/sync';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { useToast } from '../../components/Toasts';
import { remoteRepositoryProblem } from './local-name';

interface Props {
  repo: RepoView;
  current: LinkView | null;
  onClose(): void;
}

export function LinkDialog({ repo, current, onClose }: Props) {
  const registries = useRegistries();
  const [registry, setRegistry] = useState(current?.registry ?? '');
  const chosen = registry || registries.data?.[0]?.name || '';
  const kind = registries.data?.find((r) => r.name === chosen)?.kind;
  const [repository, setRepository] = useState(current?.repository ?? repo.repo_path);
  const [touched, setTouched] = useState(false);
  const catalogue = useRegistryRepositories(chosen, '', chosen !== '' && kind !== 'dockerhub');
  const names = catalogue.data?.pages.flatMap((p) => p.results) ?? [];
  const listId = useId();
  const link = useLinkRepo(repo.namespace, repo.repo_name);
  const toast = useToast();
  const repositoryError = touched ? remoteRepositoryProblem(repository.trim()) : null;
  const serverError = link.error ? toErrorBody(link.error).detail : null;

  return (
    <Dialog title={`Link ${repo.repo_path} to a registry`} onClose={onClose}>
      {registries.data && registries.data.length === 0 ? (
        <p>No registry is connected yet: add one under Registries in the sidebar first.</p>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            const path = repository.trim();
            if (!chosen || remoteRepositoryProblem(path)) return;
            link.mutate(
              { registry: chosen, repository: path },
              {
                onSuccess: () => {
                  toast.success(`${repo.repo_path} is linked to ${path} in ${chosen}. Sync now reads its tags.`);
                  onClose();
                },
              },
            );
          }}
        >
          <Field label="Registry">
            {(p) => (
              <select {...p} value={chosen} data-autofocus onChange={(e) => setRegistry(e.target.value)}>
                {(registries.data ?? []).map((r) => (
                  <option key={r.name} value={r.name}>
                    {r.name} ({r.url})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Remote repository" error={repositoryError} hint="Its path in the registry, e.g. team/app.">
            {(p) => (
              <input
                {...p}
                list={listId}
                value={repository}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => {
                  setRepository(e.target.value);
                  setTouched(true);
                }}
              />
            )}
          </Field>
          <datalist id={listId}>
            {names.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <p className="muted">A sync then makes this repo&apos;s tags equal to the remote repository&apos;s.</p>
          {serverError ? (
            <p className="error-text" role="alert">
              {serverError}
            </p>
          ) : null}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button-primary" disabled={link.isPending || !chosen}>
              {link.isPending ? 'Linking…' : 'Link'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/** The window: namespaces | repos | detail, a status bar, and the dialogs they open. */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BerthChangeEvent } from '../../../main/contract/api';
import { berth } from '../api/berth';
import { keys } from '../api/keys';
import { subscribeToChanges } from '../api/live';
import { useUpdateSettings } from '../api/mutations';
import { useNamespaces, useSettings } from '../api/queries';
import { useRegistries } from '../api/registries';
import { useShortcuts } from '../hooks/useShortcuts';
import { useTheme } from '../hooks/useTheme';
import { CreateNamespaceDialog, DeleteNamespaceDialog } from './NamespaceDialogs';
import { CreateRepoDialog } from './CreateRepoDialog';
import { DeleteRepoDialog } from './DeleteRepoDialog';
import { NamespaceSidebar } from './NamespaceSidebar';
import { RepoDetail } from './RepoDetail';
import { RepoList } from './RepoList';
import { SettingsDialog } from './SettingsDialog';
import { StatusBar } from './StatusBar';
import { RegistriesSection } from './registries/RegistriesSection';
import { RegistryDialogs, type RegistryDialog } from './registries/RegistryDialogs';
import { RegistryWorkspace } from './registries/RegistryWorkspace';
import { TrashDialog } from './history/TrashDialog';
import { ExportDialog, ImportDialog } from './TransferDialogs';
import { useToast } from '../components/Toasts';

type OpenDialog =
  | { kind: 'createNamespace' }
  | { kind: 'deleteNamespace'; namespace: string }
  | { kind: 'createRepo' }
  | { kind: 'deleteRepo'; namespace: string; repoName: string }
  | { kind: 'settings'; focusPort?: boolean }
  | { kind: 'export'; path: string }
  | { kind: 'import'; path: string }
  | RegistryDialog
  | { kind: 'trash' }
  | null;

export function App() {
  const client = useQueryClient();
  const settings = useSettings();
  const namespaces = useNamespaces();
  const updateSettings = useUpdateSettings();
  const toast = useToast();
  useTheme(settings.data?.theme);

  const [namespace, setNamespace] = useState<string | null>(null);
  const [repoName, setRepoName] = useState<string | null>(null);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  // A registry shown in the workspace instead of the catalogue (null: the catalogue).
  const [registryName, setRegistryName] = useState<string | null>(null);
  const registries = useRegistries();
  const registry = registryName ? registries.data?.find((r) => r.name === registryName) : undefined;
  // A registry removed elsewhere is let go.
  useEffect(() => {
    if (registryName && registries.data && !registries.data.some((r) => r.name === registryName)) setRegistryName(null);
  }, [registryName, registries.data]);
  const searchRef = useRef<HTMLInputElement>(null);
  const initialised = useRef(false);

  const selection = useRef({ namespace, repoName });
  useEffect(() => {
    selection.current = { namespace, repoName };
  }, [namespace, repoName]);

  const selectNamespace = useCallback(
    (next: string | null, remember = true) => {
      setRegistryName(null);
      setNamespace(next);
      setRepoName(null);
      if (remember) updateSettings.mutate({ last_namespace: next });
    },
    // updateSettings.mutate is stable across renders.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [updateSettings.mutate],
  );

  // Open where the user left off: the last namespace if it still exists, else the first one.
  useEffect(() => {
    if (initialised.current || !settings.data || !namespaces.data) return;
    initialised.current = true;
    const names = namespaces.data.map((n) => n.namespace);
    const last = settings.data.last_namespace;
    const start = last && names.includes(last) ? last : (names[0] ?? null);
    if (start) selectNamespace(start, start !== last);
  }, [settings.data, namespaces.data, selectNamespace]);

  // Live updates; a deleted selection is let go rather than shown as an error.
  useEffect(() => {
    const onEvent = (event: BerthChangeEvent) => {
      const current = selection.current;
      if (event.entity === 'registry' || event.action !== 'deleted' || event.namespace !== current.namespace) return;
      if (event.entity === 'namespace') {
        setNamespace(null);
        setRepoName(null);
      } else if (event.entity === 'repo' && event.repo_name === current.repoName) {
        client.removeQueries({ queryKey: keys.repo(event.namespace, event.repo_name) });
        setRepoName(null);
      }
    };
    return subscribeToChanges(client, onEvent);
  }, [client]);

  useEffect(() => {
    if (registryName) document.title = `${registryName} (registry) — Berth`;
    else document.title = namespace && repoName ? `${namespace}/${repoName} — Berth` : namespace ? `${namespace} — Berth` : 'Berth';
  }, [namespace, repoName, registryName]);

  useShortcuts({
    newRepo: () => setDialog({ kind: 'createRepo' }),
    focusSearch: () => {
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    openSettings: () => setDialog({ kind: 'settings' }),
    // The file first, in the app's dialog; cancelling it is the end of it.
    exportCatalogue: () => {
      berth()
        .chooseExportFile()
        .then((path) => path && setDialog({ kind: 'export', path }), toast.error);
    },
    importCatalogue: () => {
      berth()
        .chooseImportFile()
        .then((path) => path && setDialog({ kind: 'import', path }), toast.error);
    },
  });

  const close = useCallback(() => setDialog(null), []);

  return (
    <div className="app">
      <NamespaceSidebar
        namespaces={namespaces}
        selected={registryName ? null : namespace}
        onSelect={(ns) => selectNamespace(ns)}
        onCreate={() => setDialog({ kind: 'createNamespace' })}
        onOpenSettings={() => setDialog({ kind: 'settings' })}
        onOpenRepo={(ns, repo) => {
          if (ns !== namespace || registryName) selectNamespace(ns);
          setRepoName(repo);
        }}
        onOpenTrash={() => setDialog({ kind: 'trash' })}
      >
        <RegistriesSection
          selected={registryName}
          onSelect={setRegistryName}
          onAdd={() => setDialog({ kind: 'addRegistry' })}
          onEdit={(r) => setDialog({ kind: 'editRegistry', registry: r })}
          onRemove={(r) => setDialog({ kind: 'removeRegistry', registry: r })}
        />
      </NamespaceSidebar>
      <main className="workspace">
        {registry ? (
          <RegistryWorkspace
            key={registry.name}
            registry={registry}
            onEdit={() => setDialog({ kind: 'editRegistry', registry })}
            onRemove={() => setDialog({ kind: 'removeRegistry', registry })}
          />
        ) : (
          <>
            <RepoList
              key={namespace ?? ''}
              namespace={namespace}
              namespaceView={namespaces.data?.find((n) => n.namespace === namespace)}
              selected={repoName}
              onSelect={setRepoName}
              onCreateRepo={() => setDialog({ kind: 'createRepo' })}
              onCreateNamespace={() => setDialog({ kind: 'createNamespace' })}
              onDeleteNamespace={(ns) => setDialog({ kind: 'deleteNamespace', namespace: ns })}
              searchRef={searchRef}
            />
            {namespace && repoName ? (
              <RepoDetail
                key={`${namespace}/${repoName}`}
                namespace={namespace}
                repoName={repoName}
                onDelete={() => setDialog({ kind: 'deleteRepo', namespace, repoName })}
                onGone={() => setRepoName(null)}
              />
            ) : (
              <section className="detail detail-empty" aria-label="Repository details">
                <p>{namespace ? 'Select a repository to see its details and tags.' : ''}</p>
              </section>
            )}
          </>
        )}
      </main>
      <StatusBar onOpenSettings={(options) => setDialog({ kind: 'settings', ...options })} />

      {dialog?.kind === 'createNamespace' ? (
        <CreateNamespaceDialog
          onClose={close}
          onCreated={(ns) => {
            close();
            selectNamespace(ns);
          }}
        />
      ) : null}
      {dialog?.kind === 'deleteNamespace' ? (
        <DeleteNamespaceDialog
          namespace={dialog.namespace}
          repoCount={namespaces.data?.find((n) => n.namespace === dialog.namespace)?.repo_count ?? 0}
          onClose={close}
          onDeleted={() => {
            close();
            const next = namespaces.data?.find((n) => n.namespace !== dialog.namespace)?.namespace ?? null;
            selectNamespace(next);
          }}
        />
      ) : null}
      {dialog?.kind === 'createRepo' ? (
        <CreateRepoDialog
          namespace={namespace}
          onClose={close}
          onCreated={(repo) => {
            close();
            if (repo.namespace !== namespace) selectNamespace(repo.namespace);
            setRepoName(repo.repo_name);
          }}
        />
      ) : null}
      {dialog?.kind === 'deleteRepo' ? (
        <DeleteRepoDialog
          namespace={dialog.namespace}
          repoName={dialog.repoName}
          onClose={close}
          onDeleted={() => {
            close();
            setRepoName(null);
          }}
        />
      ) : null}
      {dialog?.kind === 'settings' ? <SettingsDialog onClose={close} focusPort={dialog.focusPort ?? false} /> : null}
      {dialog?.kind === 'export' ? <ExportDialog path={dialog.path} onClose={close} /> : null}
      {dialog?.kind === 'import' ? <ImportDialog path={dialog.path} onClose={close} /> : null}
      <RegistryDialogs
        dialog={dialog}
        onClose={close}
        onSaved={(saved) => {
          close();
          setRegistryName(saved.name);
        }}
        onRemoved={(removed) => {
          close();
          if (removed === registryName) setRegistryName(null);
        }}
      />
      {dialog?.kind === 'trash' ? (
        <TrashDialog
          onClose={close}
          onRestored={(ns, repo) => {
            if (ns !== namespace || registryName) selectNamespace(ns);
            setRepoName(repo);
          }}
        />
      ) : null}
    </div>
  );
}

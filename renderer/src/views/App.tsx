/**
 * The window: namespaces (and registries, and the trash) | repos | detail, or a registry's catalogue
 * and tags in place of the last two; a status bar, and the dialogs they open. The list is
 * resizable (the width is remembered); below 900 px the sidebar becomes a drawer.
 */
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { berth } from '../api/berth';
import { useUpdateSettings } from '../api/mutations';
import { useNamespaces, useSettings } from '../api/queries';
import { useRegistries } from '../api/registries';
import { useDraftGuard } from '../components/DraftGuard';
import { cyclePanes, focusPane, focusWhenReady } from '../components/focus';
import { Splitter } from '../components/Splitter';
import { useElementWidth } from '../hooks/useElementWidth';
import { useMediaQuery } from '../hooks/useMediaQuery';
import { useShortcuts } from '../hooks/useShortcuts';
import { useTheme } from '../hooks/useTheme';
import { CreateNamespaceDialog, DeleteNamespaceDialog } from './NamespaceDialogs';
import { CreateRepoDialog } from './CreateRepoDialog';
import { DeleteRepoDialog } from './DeleteRepoDialog';
import { NamespaceSidebar } from './NamespaceSidebar';
import { RepoDetail, type DetailTab } from './RepoDetail';
import { RepoList } from './RepoList';
import { SettingsDialog } from './SettingsDialog';
import { StatusBar } from './StatusBar';
import { useSelection, type Gone } from './useSelection';
import { RegistriesSection } from './registries/RegistriesSection';
import { RegistryDialogs, type RegistryDialog } from './registries/RegistryDialogs';
import { RegistryWorkspace } from './registries/RegistryWorkspace';
import { TrashDialog } from './history/TrashDialog';
import { ExportDialog, ImportDialog } from './TransferDialogs';
import { useToast } from '../components/Toasts';

/**
 * Each opening of a dialog mounts it afresh. Escape closes the native <dialog> at once but its
 * `close` event comes a task later: a shortcut pressed in between (Ctrl+N again) would otherwise
 * find the same dialog still mounted, leave it closed, and the late event would then dismiss it.
 */
const dialogKeys = new WeakMap<object, number>();
let dialogsOpened = 0;
function dialogKey(dialog: OpenDialog): number {
  if (!dialog) return 0;
  let key = dialogKeys.get(dialog);
  if (key === undefined) {
    key = ++dialogsOpened;
    dialogKeys.set(dialog, key);
  }
  return key;
}

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

const NARROW = '(max-width: 899px)';
const LIST_WIDTH = { default: 340, min: 240 } as const;
/** The details never get narrower than this while the list can give way. */
const DETAIL_MIN = 360;
const SIDEBAR_ID = 'namespaces-sidebar';
const REPO_PANE_ID = 'repo-pane';

const namespaceButton = (namespace: string) =>
  document.querySelector<HTMLElement>(`.namespace-item[data-namespace="${CSS.escape(namespace)}"]`);

export function App() {
  const settings = useSettings();
  const namespaces = useNamespaces();
  const updateSettings = useUpdateSettings();
  const guard = useDraftGuard();
  const toast = useToast();
  useTheme(settings.data?.theme);

  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [tab, setTab] = useState<DetailTab>('overview');
  // A registry shown in the workspace instead of the catalogue (null: the catalogue).
  const [registryName, setRegistryName] = useState<string | null>(null);
  const registries = useRegistries();
  const registry = registryName ? registries.data?.find((r) => r.name === registryName) : undefined;
  // A registry removed elsewhere is let go.
  useEffect(() => {
    if (registryName && registries.data && !registries.data.some((r) => r.name === registryName)) setRegistryName(null);
  }, [registryName, registries.data]);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const initialised = useRef(false);

  const narrow = useMediaQuery(NARROW);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const drawerToggleRef = useRef<HTMLButtonElement>(null);
  const closeDrawer = useCallback((refocus = false) => {
    setDrawerOpen(false);
    if (refocus) void focusWhenReady(() => drawerToggleRef.current);
  }, []);

  /** After a deletion moved the selection: a dialog about the deleted thing closes; focus lands somewhere defined. */
  const afterGone = useCallback((gone: Gone, byThisWindow: boolean, neighbour: string | null) => {
    setDialog((open) => {
      if (open?.kind === 'deleteRepo' && gone.repoName === open.repoName && gone.namespace === open.namespace) return null;
      if (open?.kind === 'deleteNamespace' && gone.namespace === open.namespace) return null;
      return open;
    });
    if (!byThisWindow) {
      // Another program's deletion moves focus only when it took the focused element with it.
      requestAnimationFrame(() => {
        if (document.activeElement === null || document.activeElement === document.body)
          focusPane(gone.repoName === undefined ? 'sidebar' : 'repos');
      });
      return;
    }
    if (gone.repoName === undefined) {
      void focusWhenReady(
        () => (neighbour ? namespaceButton(neighbour) : null) ?? document.querySelector<HTMLElement>('[aria-label="New namespace"]'),
      );
    } else {
      void focusWhenReady(() =>
        listRef.current && !listRef.current.hidden
          ? listRef.current
          : document.querySelector<HTMLElement>(`#${REPO_PANE_ID} .button-primary`),
      );
    }
  }, []);

  const selection = useSelection({ namespaces: namespaces.data, onAfterGone: afterGone });
  const { namespace, repoName, selectNamespace, selectRepo, showRepo, markOwnDeletion, handleGone } = selection;

  // Open where the user left off: the last namespace if it still exists, else the first one.
  useEffect(() => {
    if (initialised.current || !settings.data || !namespaces.data) return;
    initialised.current = true;
    const names = namespaces.data.map((n) => n.namespace);
    const last = settings.data.last_namespace;
    const start = last && names.includes(last) ? last : (names[0] ?? null);
    if (start) selectNamespace(start, start !== last);
  }, [settings.data, namespaces.data, selectNamespace]);

  useEffect(() => {
    if (registryName) document.title = `${registryName} (registry) — Berth`;
    else document.title = namespace && repoName ? `${namespace}/${repoName} — Berth` : namespace ? `${namespace} — Berth` : 'Berth';
  }, [namespace, repoName, registryName]);

  // Choosing something else unmounts the editors: the draft guard asks first when one is dirty.
  const goToNamespace = (next: string) => {
    if (next === namespace && !registryName) return closeDrawer();
    guard(() => {
      setRegistryName(null);
      if (next !== namespace) selectNamespace(next);
      closeDrawer();
    });
  };
  const goToRepo = (next: string) => {
    if (next !== repoName) guard(() => selectRepo(next));
  };
  const openRepo = (ns: string, repo: string, focusDetail: boolean) =>
    guard(() => {
      setRegistryName(null);
      if (ns !== namespace) selectNamespace(ns);
      selectRepo(repo);
      closeDrawer();
      if (focusDetail) void focusWhenReady(() => document.querySelector<HTMLElement>('[data-pane="detail"] .repo-heading[tabindex]'));
    });
  const goToRegistry = (name: string) =>
    guard(() => {
      setRegistryName(name);
      closeDrawer();
    });
  // A repo back from the trash (Undo on the delete toast, or the Trash) is shown again, in the list.
  const showRestored = useCallback(
    (ns: string, repo: string) =>
      guard(() => {
        setRegistryName(null);
        showRepo(ns, repo);
        void focusWhenReady(() => listRef.current);
      }),
    [guard, showRepo],
  );

  useShortcuts({
    newRepo: () => setDialog({ kind: 'createRepo' }),
    focusSearch: () => {
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    openSettings: () => setDialog({ kind: 'settings' }),
    cyclePanes,
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

  // A dialog gives focus back to what had it; when nothing had (a click on plain text), the repo list takes it.
  const close = useCallback(() => {
    setDialog(null);
    requestAnimationFrame(() => {
      if (document.activeElement === null || document.activeElement === document.body) focusPane('repos');
    });
  }, []);

  // The list pane's width: what the user set (remembered in settings), within what the window allows.
  const workspaceRef = useRef<HTMLElement>(null);
  const workspaceWidth = useElementWidth(workspaceRef);
  const [dragWidth, setDragWidth] = useState<number | null>(null);
  const wantedWidth = dragWidth ?? settings.data?.list_pane_width ?? LIST_WIDTH.default;
  const maxListWidth = Math.max(LIST_WIDTH.min, workspaceWidth - DETAIL_MIN);
  const listWidth = workspaceWidth > 0 ? Math.max(LIST_WIDTH.min, Math.min(maxListWidth, wantedWidth)) : wantedWidth;

  const drawerToggle = narrow ? (
    <button
      ref={drawerToggleRef}
      type="button"
      className="icon-button drawer-toggle"
      aria-label="Show namespaces"
      aria-expanded={drawerOpen}
      aria-controls={SIDEBAR_ID}
      title="Namespaces"
      onClick={() => {
        setDrawerOpen(true);
        void focusWhenReady(() => (focusPane('sidebar') ? (document.activeElement as HTMLElement) : null));
      }}
    >
      ☰
    </button>
  ) : undefined;

  return (
    <div className={`app ${narrow ? 'app-narrow' : ''}`}>
      <NamespaceSidebar
        id={SIDEBAR_ID}
        namespaces={namespaces}
        selected={registryName ? null : namespace}
        onSelect={goToNamespace}
        onCreate={() => setDialog({ kind: 'createNamespace' })}
        onOpenSettings={() => setDialog({ kind: 'settings' })}
        onOpenRepo={(ns, repo) => openRepo(ns, repo, false)}
        onOpenTrash={() => setDialog({ kind: 'trash' })}
        drawer={narrow}
        hidden={narrow && !drawerOpen}
        onCloseDrawer={closeDrawer}
      >
        <RegistriesSection
          selected={registryName}
          onSelect={goToRegistry}
          onAdd={() => setDialog({ kind: 'addRegistry' })}
          onEdit={(r) => setDialog({ kind: 'editRegistry', registry: r })}
          onRemove={(r) => setDialog({ kind: 'removeRegistry', registry: r })}
        />
      </NamespaceSidebar>
      {narrow && drawerOpen ? <div className="drawer-backdrop" aria-hidden="true" onClick={() => closeDrawer(true)} /> : null}
      <main ref={workspaceRef} className="workspace" style={{ gridTemplateColumns: `${listWidth}px minmax(0, 1fr)` }}>
        {registry ? (
          <RegistryWorkspace
            key={registry.name}
            registry={registry}
            onEdit={() => setDialog({ kind: 'editRegistry', registry })}
            onRemove={() => setDialog({ kind: 'removeRegistry', registry })}
            leading={drawerToggle}
          />
        ) : (
          <>
            <div id={REPO_PANE_ID} className="repo-pane-frame">
              <RepoList
                key={namespace ?? ''}
                namespace={namespace}
                namespaceView={namespaces.data?.find((n) => n.namespace === namespace)}
                selected={repoName}
                onSelect={goToRepo}
                onOpen={(repo) => openRepo(namespace ?? '', repo, true)}
                onNamespaceGone={(ns) => handleGone({ namespace: ns })}
                onCreateRepo={() => setDialog({ kind: 'createRepo' })}
                onCreateNamespace={() => setDialog({ kind: 'createNamespace' })}
                onDeleteNamespace={(ns) => setDialog({ kind: 'deleteNamespace', namespace: ns })}
                searchRef={searchRef}
                listRef={listRef}
                neighboursRef={selection.repoNeighbours}
                leading={drawerToggle}
              />
              <Splitter
                controls={REPO_PANE_ID}
                label="Width of the repository list"
                value={listWidth}
                min={LIST_WIDTH.min}
                max={maxListWidth}
                defaultValue={LIST_WIDTH.default}
                onChange={setDragWidth}
                onCommit={(width) => {
                  updateSettings.mutate({ list_pane_width: width });
                  setDragWidth(null);
                }}
              />
            </div>
            {namespace && repoName ? (
              <RepoDetail
                key={`${namespace}/${repoName}`}
                namespace={namespace}
                repoName={repoName}
                tab={tab}
                onTabChange={setTab}
                onDelete={() => setDialog({ kind: 'deleteRepo', namespace, repoName })}
                onGone={() => handleGone({ namespace, repoName })}
              />
            ) : (
              <section className="detail detail-empty" aria-label="Repository details" data-pane="detail">
                <p>{namespace ? 'Select a repository to see its details and tags.' : ''}</p>
              </section>
            )}
          </>
        )}
      </main>
      <StatusBar onOpenSettings={(options) => setDialog({ kind: 'settings', ...options })} />

      <Fragment key={dialogKey(dialog)}>
        {dialog?.kind === 'createNamespace' ? (
          <CreateNamespaceDialog
            onClose={close}
            onCreated={(ns) => {
              close();
              guard(() => selectNamespace(ns));
              void focusWhenReady(() => namespaceButton(ns));
            }}
          />
        ) : null}
        {dialog?.kind === 'deleteNamespace' ? (
          <DeleteNamespaceDialog
            namespace={dialog.namespace}
            repoCount={namespaces.data?.find((n) => n.namespace === dialog.namespace)?.repo_count ?? 0}
            onClose={close}
            onDeleting={() => markOwnDeletion({ namespace: dialog.namespace })}
            onDeleted={() => {
              close();
              handleGone({ namespace: dialog.namespace }, true);
            }}
          />
        ) : null}
        {dialog?.kind === 'createRepo' ? (
          <CreateRepoDialog
            namespace={namespace}
            onClose={close}
            onCreated={(repo) => {
              close();
              guard(() => {
                if (repo.namespace !== namespace) selectNamespace(repo.namespace);
                selectRepo(repo.repo_name);
                void focusWhenReady(() => listRef.current);
              });
            }}
          />
        ) : null}
        {dialog?.kind === 'deleteRepo' ? (
          <DeleteRepoDialog
            namespace={dialog.namespace}
            repoName={dialog.repoName}
            onClose={close}
            onDeleting={() => markOwnDeletion({ namespace: dialog.namespace, repoName: dialog.repoName })}
            onDeleted={() => {
              close();
              handleGone({ namespace: dialog.namespace, repoName: dialog.repoName }, true);
            }}
            onRestored={showRestored}
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
            goToRegistry(saved.name);
          }}
          onRemoved={(removed) => {
            close();
            if (removed === registryName) setRegistryName(null);
          }}
        />
        {dialog?.kind === 'trash' ? <TrashDialog onClose={close} onRestored={showRestored} /> : null}
      </Fragment>
    </div>
  );
}

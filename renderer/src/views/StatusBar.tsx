/** Where the API listens (or why it does not), always visible at the bottom of the window. */
import { toErrorBody } from '../api/berth';
import { useServerInfo } from '../api/queries';

export function StatusBar({ onOpenSettings }: { onOpenSettings(): void }) {
  const info = useServerInfo();
  return (
    <footer className="statusbar" aria-label="Status">
      {info.isPending ? (
        <span role="status">Starting…</span>
      ) : info.isError ? (
        <span className="status-bad" role="alert">
          {toErrorBody(info.error).detail}
        </span>
      ) : info.data.listening && info.data.url ? (
        <span role="status">
          <span className="status-dot status-dot-ok" aria-hidden="true" /> API listening on <code>{info.data.url}</code>
          {info.data.anonymous_reads ? ' · anonymous reads on' : ' · token required for reads'}
        </span>
      ) : (
        <span className="status-bad" role="status">
          <span className="status-dot status-dot-bad" aria-hidden="true" /> API not running
          {info.data.error ? `: ${info.data.error.detail}` : ''}{' '}
          <button type="button" className="button-tiny" onClick={onOpenSettings}>
            Choose another port…
          </button>
        </span>
      )}
      <span className="spacer" />
      {info.data ? <span className="muted">Berth {info.data.version}</span> : null}
    </footer>
  );
}

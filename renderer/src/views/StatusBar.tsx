/** Where the API listens (or why it does not), always visible at the bottom of the window. */
import { toErrorBody } from '../api/berth';
import { useServerInfo, useSettingsProblems } from '../api/queries';
import { JobsIndicator } from './sync/JobsIndicator';

interface Props {
  /** Opens the settings, on the Port field when `focusPort`. */
  onOpenSettings(options?: { focusPort?: boolean }): void;
}

export function StatusBar({ onOpenSettings }: Props) {
  const info = useServerInfo();
  const problems = useSettingsProblems();
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
          <button type="button" className="button-tiny" onClick={() => onOpenSettings({ focusPort: true })}>
            Choose another port…
          </button>
        </span>
      )}
      {problems.data && problems.data.length > 0 ? (
        <button type="button" className="button-tiny" onClick={() => onOpenSettings()}>
          Settings need attention…
        </button>
      ) : null}
      <JobsIndicator />
      <span className="spacer" />
      {info.data ? <span className="muted">Berth {info.data.version}</span> : null}
    </footer>
  );
}

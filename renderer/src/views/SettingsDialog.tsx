/** Settings: where the API is, its token, port and anonymous reads, the theme, the data folder. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ThemeSetting } from '../../../main/contract/types';
import { berth, toErrorBody } from '../api/berth';
import { keys } from '../api/keys';
import { useRegenerateToken } from '../api/mutations';
import { useServerInfo, useSettings, useSettingsProblems } from '../api/queries';
import { copyText } from '../components/clipboard';
import { CopyButton } from '../components/CopyButton';
import { useToast } from '../components/Toasts';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { useSettingChoice } from '../hooks/useSettingChoice';
import { PortForm } from './PortForm';

export function SettingsDialog({ onClose, focusPort = false }: { onClose(): void; focusPort?: boolean }) {
  const info = useServerInfo();
  const settings = useSettings();

  return (
    <Dialog title="Settings" onClose={onClose} className="dialog-wide">
      {info.isPending || settings.isPending ? (
        <p role="status">Loading settings…</p>
      ) : info.isError || settings.isError ? (
        <p className="field-error" role="alert">
          {toErrorBody(info.error ?? settings.error).detail}
        </p>
      ) : (
        <div className="settings">
          <SettingsProblems />
          <section aria-labelledby="settings-api">
            <h3 id="settings-api">Local API</h3>
            <dl className="settings-list">
              <dt>Address</dt>
              <dd>
                {info.data.url ? (
                  <>
                    <code>{info.data.url}</code> <CopyButton text={info.data.url} label="Copy API address" className="button-tiny" />
                  </>
                ) : (
                  <span className="error-text">Not listening{info.data.error ? `: ${info.data.error.detail}` : ''}</span>
                )}
              </dd>
            </dl>
            <TokenRow />
            <PortForm savedPort={settings.data.api_port} info={info.data} focusOnOpen={focusPort} />
            <AnonymousReadsToggle saved={settings.data.anonymous_reads} />
          </section>
          <section aria-labelledby="settings-appearance">
            <h3 id="settings-appearance">Appearance</h3>
            <ThemeSelect saved={settings.data.theme} />
          </section>
          <section aria-labelledby="settings-data">
            <h3 id="settings-data">Data</h3>
            <dl className="settings-list">
              <dt>Data folder</dt>
              <dd>
                <code className="path">{info.data.data_dir}</code>{' '}
                <CopyButton text={info.data.data_dir} label="Copy data folder path" className="button-tiny" />
              </dd>
              <dt>Version</dt>
              <dd>{info.data.version}</dd>
            </dl>
          </section>
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" data-autofocus={focusPort ? undefined : true} onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}

/** Stored settings Berth could not use as they were, and what it uses instead. */
function SettingsProblems() {
  const problems = useSettingsProblems();
  if (!problems.data || problems.data.length === 0) return null;
  return (
    <section className="settings-problems" aria-labelledby="settings-problems">
      <h3 id="settings-problems">Settings that need attention</h3>
      <ul>
        {problems.data.map((problem) => (
          <li key={`${problem.setting ?? 'file'}:${problem.detail}`}>{problem.detail}</li>
        ))}
      </ul>
    </section>
  );
}

function AnonymousReadsToggle({ saved }: { saved: boolean }) {
  const [checked, choose] = useSettingChoice('anonymous_reads', saved);
  return (
    <div className="field field-inline">
      <input
        id="anonymous-reads"
        type="checkbox"
        checked={checked}
        onChange={(e) => choose(e.target.checked)}
        aria-describedby="anonymous-reads-hint"
      />
      <label htmlFor="anonymous-reads">Allow anonymous reads</label>
      <div id="anonymous-reads-hint" className="field-hint">
        Requests without the token may read public repositories. Writes always need the token.
      </div>
    </div>
  );
}

function ThemeSelect({ saved }: { saved: ThemeSetting }) {
  const [theme, choose] = useSettingChoice('theme', saved);
  return (
    <Field label="Theme">
      {(p) => (
        <select {...p} value={theme} onChange={(e) => choose(e.target.value as ThemeSetting)}>
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      )}
    </Field>
  );
}

/** The token stays hidden until asked for; regenerating it asks first, since tools using it stop working. */
function TokenRow() {
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const token = useQuery({ queryKey: keys.token, queryFn: () => berth().getToken(), enabled: shown, staleTime: Infinity });
  const regenerate = useRegenerateToken();
  const toast = useToast();

  return (
    <div className="token-row">
      <div className="token-label" id="token-label">
        Token
      </div>
      <code className="token-value">{shown ? (token.data ?? 'Loading…') : '••••••••••••••••••••••••'}</code>
      <div className="token-actions">
        <button type="button" className="button-tiny" aria-pressed={shown} onClick={() => setShown((s) => !s)}>
          {shown ? 'Hide token' : 'Show token'}
        </button>
        <button
          type="button"
          className="button-tiny"
          onClick={() =>
            void (async () => {
              try {
                await copyText(token.data ?? (await berth().getToken()));
                toast.success('Token copied to the clipboard.');
              } catch (error) {
                toast.error(error);
              }
            })()
          }
        >
          Copy token
        </button>
        {confirming ? (
          <>
            <span className="field-hint">Tools using the old token will get 401.</span>
            <button
              type="button"
              className="button-tiny button-danger"
              onClick={() => regenerate.mutate(undefined, { onSettled: () => setConfirming(false), onSuccess: () => setShown(true) })}
            >
              Make a new token
            </button>
            <button type="button" className="button-tiny" onClick={() => setConfirming(false)}>
              Keep the old one
            </button>
          </>
        ) : (
          <button type="button" className="button-tiny" onClick={() => setConfirming(true)}>
            Regenerate…
          </button>
        )}
      </div>
    </div>
  );
}

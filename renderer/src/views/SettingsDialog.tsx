/** Settings: where the API is, its token, port and anonymous reads, the theme, the data folder. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ThemeSetting } from '../../../main/contract/types';
import { berth, toErrorBody } from '../api/berth';
import { keys } from '../api/keys';
import { useRegenerateToken, useUpdateSettings } from '../api/mutations';
import { useServerInfo, useSettings } from '../api/queries';
import { copyText } from '../components/clipboard';
import { CopyButton } from '../components/CopyButton';
import { useToast } from '../components/Toasts';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const info = useServerInfo();
  const settings = useSettings();
  const update = useUpdateSettings();

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
            <PortForm currentPort={settings.data.api_port} />
            <div className="field field-inline">
              <input
                id="anonymous-reads"
                type="checkbox"
                checked={settings.data.anonymous_reads}
                onChange={(e) => update.mutate({ anonymous_reads: e.target.checked })}
                aria-describedby="anonymous-reads-hint"
              />
              <label htmlFor="anonymous-reads">Allow anonymous reads</label>
              <div id="anonymous-reads-hint" className="field-hint">
                Requests without the token may read public repositories. Writes always need the token.
              </div>
            </div>
          </section>
          <section aria-labelledby="settings-appearance">
            <h3 id="settings-appearance">Appearance</h3>
            <Field label="Theme">
              {(p) => (
                <select {...p} value={settings.data.theme} onChange={(e) => update.mutate({ theme: e.target.value as ThemeSetting })}>
                  <option value="system">Follow the system</option>
                  <option value="light">Light</option>
                  <option value="dark">Dark</option>
                </select>
              )}
            </Field>
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
        <button type="button" data-autofocus onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
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
      <code className="token-value">
        {shown ? (token.data ?? 'Loading…') : '••••••••••••••••••••••••'}
      </code>
      <div className="token-actions">
        <button type="button" className="button-tiny" aria-pressed={shown} onClick={() => setShown((s) => !s)}>
          {shown ? 'Hide token' : 'Show token'}
        </button>
        <button
          type="button"
          className="button-tiny"
          onClick={async () => {
            try {
              await copyText(token.data ?? (await berth().getToken()));
              toast.success('Token copied to the clipboard.');
            } catch (error) {
              toast.error(error);
            }
          }}
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

function PortForm({ currentPort }: { currentPort: number }) {
  const [port, setPort] = useState(String(currentPort));
  const update = useUpdateSettings();
  const value = Number(port);
  const valid = Number.isInteger(value) && value >= 1 && value <= 65535;

  return (
    <form
      className="port-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) update.mutate({ api_port: value });
      }}
    >
      <Field label="Port" error={valid ? null : 'Ports are whole numbers from 1 to 65535.'} hint="Changing it restarts the API.">
        {(p) => <input {...p} inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value.trim())} />}
      </Field>
      <button type="submit" disabled={!valid || value === currentPort || update.isPending}>
        Apply port
      </button>
    </form>
  );
}

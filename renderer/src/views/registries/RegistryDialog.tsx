/**
 * Add or edit a registry connection. Berth checks the registry (GET /v2/ with the credentials)
 * before saving unless asked not to; a refusal shows the registry's own words, and nothing is saved.
 */
import { useState } from 'react';
import type { CreateRegistryInput, RegistryView, UpdateRegistryInput } from '../../../../main/contract/types';
import { toErrorBody } from '../../api/berth';
import { useCreateRegistry, useUpdateRegistry } from '../../api/registries';
import { Dialog } from '../../components/Dialog';
import { Field, fieldError as firstError } from '../../components/Field';
import { useToast } from '../../components/Toasts';

interface Props {
  /** The registry to edit; absent to add one. */
  registry?: RegistryView;
  onClose(): void;
  onSaved(registry: RegistryView): void;
}

interface Form {
  name: string;
  url: string;
  username: string;
  password: string;
  removePassword: boolean;
  insecure: boolean;
  autoImport: boolean;
  useDockerConfig: boolean;
  caPem: string;
  verify: boolean;
}

/** A field's first message as a sentence (the API's read "url: must be …"). */
function fieldError(errors: Record<string, string[]> | undefined, field: string): string | null {
  const message = firstError(errors, field);
  return message ? message.charAt(0).toUpperCase() + message.slice(1) : null;
}

/** Fields whose errors show under their control; any other error shows below the form. */
const SHOWN_FIELDS = new Set(['name', 'url', 'username', 'password', 'ca_pem', 'use_docker_config']);

function initialForm(registry?: RegistryView): Form {
  return {
    name: registry?.name ?? '',
    url: registry?.url ?? '',
    username: registry?.username ?? '',
    password: '',
    removePassword: false,
    insecure: registry?.insecure ?? false,
    autoImport: registry?.auto_import ?? false,
    useDockerConfig: registry?.use_docker_config ?? false,
    caPem: registry?.ca_pem ?? '',
    verify: true,
  };
}

function createInput(form: Form): CreateRegistryInput {
  return {
    name: form.name.trim(),
    url: form.url.trim(),
    insecure: form.insecure,
    auto_import: form.autoImport,
    use_docker_config: form.useDockerConfig,
    ...(form.useDockerConfig ? {} : { username: form.username.trim() || null, password: form.password || null }),
    ...(form.caPem.trim() ? { ca_pem: form.caPem } : {}),
  };
}

/** Only what changed: the saved password stays unless a new one is typed or its removal asked. */
function updatePatch(form: Form, saved: RegistryView): UpdateRegistryInput {
  const patch: UpdateRegistryInput = {};
  if (form.url.trim() !== saved.url) patch.url = form.url.trim();
  if (form.insecure !== saved.insecure) patch.insecure = form.insecure;
  if (form.autoImport !== saved.auto_import) patch.auto_import = form.autoImport;
  if (form.useDockerConfig !== saved.use_docker_config) patch.use_docker_config = form.useDockerConfig;
  if ((form.caPem.trim() || null) !== (saved.ca_pem?.trim() || null)) patch.ca_pem = form.caPem.trim() ? form.caPem : null;
  if (!form.useDockerConfig) {
    const username = form.username.trim() || null;
    if (username !== saved.username) patch.username = username;
    if (form.password) patch.password = form.password;
    else if (form.removePassword) patch.password = null;
  }
  return patch;
}

export function RegistryDialog({ registry, onClose, onSaved }: Props) {
  const [form, setForm] = useState(() => initialForm(registry));
  const [errors, setErrors] = useState<Record<string, string[]> | undefined>();
  const [problem, setProblem] = useState<string | null>(null);
  const create = useCreateRegistry();
  const update = useUpdateRegistry(registry?.name ?? '');
  const toast = useToast();
  const pending = create.isPending || update.isPending;
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors(undefined);
    setProblem(null);
  };
  const onError = (error: unknown) => {
    const body = toErrorBody(error);
    if (body.errors && Object.keys(body.errors).some((field) => SHOWN_FIELDS.has(field))) setErrors(body.errors);
    else {
      setProblem(body.detail);
      toast.error(error);
    }
  };
  const submit = () => {
    const options = { verify: form.verify };
    if (registry) update.mutate({ patch: updatePatch(form, registry), options }, { onSuccess: onSaved, onError });
    else create.mutate({ input: createInput(form), options }, { onSuccess: onSaved, onError });
  };

  return (
    <Dialog
      title={registry ? `Edit registry ${registry.name}` : 'Add a registry'}
      onClose={onClose}
      className="dialog-wide"
      description="A registry that speaks the OCI distribution API: CNCF Distribution, Harbor, Zot, Quay, GitLab, GHCR or Docker Hub."
    >
      <form
        className="registry-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {registry ? null : (
          <Field label="Name" error={fieldError(errors, 'name')} hint="How Berth names it: lowercase letters, digits, and . _ -">
            {(p) => (
              <input
                {...p}
                data-autofocus
                value={form.name}
                autoComplete="off"
                spellCheck={false}
                placeholder="e.g. corp"
                onChange={(e) => set('name', e.target.value)}
              />
            )}
          </Field>
        )}
        <Field label="URL" error={fieldError(errors, 'url')} hint="https://host[:port], or docker.io for Docker Hub">
          {(p) => (
            <input
              {...p}
              data-autofocus={registry ? true : undefined}
              value={form.url}
              autoComplete="off"
              spellCheck={false}
              placeholder="https://registry.example.com:5000"
              onChange={(e) => set('url', e.target.value)}
            />
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={form.useDockerConfig} onChange={(e) => set('useDockerConfig', e.target.checked)} />
          Use Docker’s own credentials (its config.json or credential helper)
        </label>
        {fieldError(errors, 'use_docker_config') ? <p className="field-error">{fieldError(errors, 'use_docker_config')}</p> : null}
        <div className="form-row">
          <Field label="Username" error={fieldError(errors, 'username')}>
            {(p) => (
              <input
                {...p}
                value={form.username}
                autoComplete="off"
                spellCheck={false}
                disabled={form.useDockerConfig}
                onChange={(e) => set('username', e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Password or token"
            error={fieldError(errors, 'password')}
            hint={registry?.has_password ? 'Leave empty to keep the saved one.' : 'Kept in credentials.json, never shown again.'}
          >
            {(p) => (
              <input
                {...p}
                type="password"
                value={form.password}
                autoComplete="new-password"
                disabled={form.useDockerConfig || form.removePassword}
                onChange={(e) => set('password', e.target.value)}
              />
            )}
          </Field>
        </div>
        {registry?.has_password && !form.useDockerConfig ? (
          <label className="checkbox">
            <input type="checkbox" checked={form.removePassword} onChange={(e) => set('removePassword', e.target.checked)} />
            Remove the saved password
          </label>
        ) : null}
        <label className="checkbox">
          <input type="checkbox" checked={form.insecure} onChange={(e) => set('insecure', e.target.checked)} />
          Allow plain HTTP to this host (insecure; TLS is still verified when used)
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={form.autoImport} onChange={(e) => set('autoImport', e.target.checked)} />
          Import repositories it reports pushes to (auto import)
        </label>
        <details className="registry-ca" open={Boolean(form.caPem)}>
          <summary>CA certificate (for a registry with its own certificate authority)</summary>
          <Field label="CA certificate (PEM)" error={fieldError(errors, 'ca_pem')}>
            {(p) => (
              <textarea
                {...p}
                rows={5}
                className="mono"
                spellCheck={false}
                placeholder="-----BEGIN CERTIFICATE-----"
                value={form.caPem}
                onChange={(e) => set('caPem', e.target.value)}
              />
            )}
          </Field>
        </details>
        <label className="checkbox">
          <input type="checkbox" checked={form.verify} onChange={(e) => set('verify', e.target.checked)} />
          Check the connection before saving
        </label>
        {problem ? (
          <p className="field-error" role="alert">
            {problem}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={pending}>
            {pending ? (form.verify ? 'Checking…' : 'Saving…') : registry ? 'Save' : 'Add registry'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

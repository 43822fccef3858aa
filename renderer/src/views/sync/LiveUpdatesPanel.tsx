/**
 * How to make a registry tell Berth about pushes, pulls and deletes: the `notifications:` block
 * for its config.yml, read-only with a Copy button. The secret lives only inside that block.
 */
import { useId } from 'react';
import type { RegistryView } from '../../../../main/contract/types';
import { toErrorBody } from '../../api/berth';
import { useEventsConfig } from '../../api/sync';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';

export function LiveUpdatesPanel({ registry }: { registry: RegistryView }) {
  const config = useEventsConfig(registry.name);
  const headingId = useId();
  return (
    <section className="live-updates" aria-labelledby={headingId}>
      {/* The dialog's title says it already; the heading names the section for screen readers. */}
      <h3 id={headingId} className="sr-only">
        Live updates
      </h3>
      <p>
        Paste this block into the registry&apos;s <code>config.yml</code> (CNCF Distribution: top level, then restart it): every push, pull
        and delete then reaches Berth within a second.
        {registry.kind === 'dockerhub' ? ' Docker Hub sends no such events: use Sync now instead.' : ''}
      </p>
      {config.isPending ? (
        <p className="list-note" role="status">
          Reading the settings…
        </p>
      ) : config.isError ? (
        <p className="error-text" role="alert">
          {toErrorBody(config.error).detail}
        </p>
      ) : (
        <div className="code-block">
          <pre tabIndex={0} role="region" aria-label="Notifications settings for config.yml">
            <code>{config.data.yaml}</code>
          </pre>
          <CopyButton text={config.data.yaml} label="Copy the notifications settings">
            Copy
          </CopyButton>
        </div>
      )}
      <p className="muted">
        Only the linked repositories follow these events
        {registry.auto_import ? '; with auto import on, a push to any other repository imports it' : ''}.
      </p>
    </section>
  );
}

export function LiveUpdatesDialog({ registry, onClose }: { registry: RegistryView; onClose(): void }) {
  return (
    <Dialog title={`Live updates from ${registry.name}`} onClose={onClose} className="dialog-wide">
      <LiveUpdatesPanel registry={registry} />
      <div className="dialog-actions">
        <button type="button" data-autofocus onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

/**
 * One manifest in full: its digest and the real `docker pull` line (by digest), the platforms of
 * an index (each opens its own manifest), or an image's config (created, labels) and layers.
 */
import { QueryNote } from '../../components/QueryNote';
import { useId, useState } from 'react';
import type { ManifestView } from '../../../../main/contract/types';
import { useErrorToast, useRegistryManifest } from '../../api/registries';
import { CopyButton } from '../../components/CopyButton';
import { RelativeTime } from '../../components/RelativeTime';
import { formatSize, platformLabel, shortDigest } from './format';
import { createdOf } from './RegistryTags';

interface Props {
  registry: string;
  repository: string;
  tag: string;
  onClose(): void;
}

export function ManifestPanel({ registry, repository, tag, onClose }: Props) {
  // An index's platforms open one after another; Back returns up the path.
  const [path, setPath] = useState<{ reference: string; label: string }[]>([]);
  const current = path[path.length - 1];
  const reference = current?.reference ?? tag;
  const manifest = useRegistryManifest(registry, repository, reference);
  useErrorToast(manifest.error);
  const headingId = useId();
  const title = current ? `${repository}:${tag} — ${current.label}` : `${repository}:${tag}`;

  return (
    <section className="manifest-panel" aria-labelledby={headingId}>
      <div className="section-header">
        <h3 id={headingId} className="section-title">
          {title}
        </h3>
        <div className="row-actions">
          {current ? (
            <button type="button" className="button-small" onClick={() => setPath((p) => p.slice(0, -1))}>
              Back to the index
            </button>
          ) : null}
          <button type="button" className="button-small" onClick={onClose}>
            Close details
          </button>
        </div>
      </div>
      {!manifest.isSuccess ? (
        <QueryNote query={manifest} reading="Reading the manifest…" />
      ) : (
        <ManifestBody manifest={manifest.data} onOpenPlatform={(digest, label) => setPath((p) => [...p, { reference: digest, label }])} />
      )}
    </section>
  );
}

function ManifestBody({ manifest, onOpenPlatform }: { manifest: ManifestView; onOpenPlatform(digest: string, label: string): void }) {
  const pull = `docker pull ${manifest.pull_ref}@${manifest.digest}`;
  const created = createdOf(manifest);
  const labels = Object.entries(manifest.config?.labels ?? {});
  const annotations = Object.entries(manifest.annotations);
  return (
    <div className="manifest-body">
      <dl className="manifest-facts">
        <div>
          <dt>Digest</dt>
          <dd>
            <code className="digest">{manifest.digest}</code>{' '}
            <CopyButton text={manifest.digest} label={`Copy digest of ${manifest.reference}`} className="button-tiny">
              Copy digest
            </CopyButton>
          </dd>
        </div>
        <div>
          <dt>Pull</dt>
          <dd>
            <code className="pull-by-digest">{pull}</code>{' '}
            <CopyButton text={pull} label={`Copy pull command of ${manifest.reference}`} className="button-tiny">
              Copy pull
            </CopyButton>
          </dd>
        </div>
        <div>
          <dt>Media type</dt>
          <dd>
            <code>{manifest.media_type}</code>
          </dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>
            {formatSize(manifest.total_size)}
            {manifest.platforms.length > 0 ? ' (largest platform)' : ''} · manifest {formatSize(manifest.size)}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <RelativeTime iso={created} never="not recorded" />
          </dd>
        </div>
        {manifest.config ? (
          <div>
            <dt>Platform</dt>
            <dd>
              {manifest.config.os ?? '?'}/{manifest.config.architecture ?? '?'} · {manifest.config.history_length} history entries
            </dd>
          </div>
        ) : null}
      </dl>

      {manifest.platforms.length > 0 ? (
        <table className="tags-table">
          <caption className="manifest-caption">Platforms</caption>
          <thead>
            <tr>
              <th scope="col">Platform</th>
              <th scope="col">Digest</th>
              <th scope="col">Manifest size</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {manifest.platforms.map((p) => (
              <tr key={p.digest}>
                <th scope="row">{platformLabel(p)}</th>
                <td>
                  <code title={p.digest}>{shortDigest(p.digest)}</code>
                </td>
                <td>{formatSize(p.size)}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="button-tiny"
                    aria-label={`Open ${platformLabel(p)}`}
                    onClick={() => onOpenPlatform(p.digest, platformLabel(p))}
                  >
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      {manifest.layers.length > 0 ? (
        <table className="tags-table">
          <caption className="manifest-caption">Layers ({manifest.layers.length})</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Digest</th>
              <th scope="col">Size</th>
              <th scope="col">Media type</th>
            </tr>
          </thead>
          <tbody>
            {manifest.layers.map((layer, i) => (
              <tr key={`${layer.digest}-${i}`}>
                <th scope="row">{i + 1}</th>
                <td>
                  <code title={layer.digest}>{shortDigest(layer.digest)}</code>
                </td>
                <td>{formatSize(layer.size)}</td>
                <td className="muted media-type">{layer.media_type}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      {labels.length > 0 || annotations.length > 0 ? <h4 className="manifest-caption">Labels and annotations</h4> : null}
      {labels.length > 0 || annotations.length > 0 ? (
        <dl className="labels">
          {labels.map(([key, value]) => (
            <div key={`label-${key}`}>
              <dt>
                <code>{key}</code>
              </dt>
              <dd>{value}</dd>
            </div>
          ))}
          {annotations.map(([key, value]) => (
            <div key={`annotation-${key}`}>
              <dt>
                <code>{key}</code> <span className="muted">(annotation)</span>
              </dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : manifest.config ? (
        <p className="muted">No labels.</p>
      ) : null}
    </div>
  );
}

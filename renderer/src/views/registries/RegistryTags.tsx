/**
 * A repository's tags in a registry: a virtual table whose rows each read their manifest summary
 * (digest, size, created, platforms) only while they are on screen.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef, type ReactNode } from 'react';
import type { ManifestView } from '../../../../main/contract/types';
import { toErrorBody } from '../../api/berth';
import { useErrorToast, useRegistryManifest, useRegistryTags } from '../../api/registries';
import { RelativeTime } from '../../components/RelativeTime';
import { formatSize, platformLabel, shortDigest } from './format';

interface Props {
  registry: string;
  repository: string;
  selected: string | null;
  onOpen(tag: string): void;
  onDelete(tag: string): void;
}

const ROW_HEIGHT = 37;
const COLUMNS = 6;

export function RegistryTags({ registry, repository, selected, onOpen, onDelete }: Props) {
  const tags = useRegistryTags(registry, repository);
  useErrorToast(tags.error);
  const all = useMemo(() => tags.data?.pages.flatMap((p) => p.results) ?? [], [tags.data]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const captionId = useId();
  const virtualizer = useVirtualizer({
    count: all.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = tags;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= all.length - 20) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastIndex, all.length]);

  if (tags.isPending) {
    return (
      <p className="list-note" role="status">
        Loading tags…
      </p>
    );
  }
  if (tags.isError) {
    return (
      <p className="list-note error-text" role="alert">
        {toErrorBody(tags.error).detail}
      </p>
    );
  }
  if (all.length === 0) return <p className="list-note">This repository has no tags (all of them may have been deleted).</p>;

  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    <div ref={scrollRef} className="registry-tags-scroll">
      <table className="tags-table registry-tags" aria-describedby={captionId}>
        <caption id={captionId} className="sr-only">
          Tags of {repository} ({all.length}
          {hasNextPage ? ' so far' : ''})
        </caption>
        <thead>
          <tr>
            <th scope="col">Tag</th>
            <th scope="col">Digest</th>
            <th scope="col">Size</th>
            <th scope="col">Created</th>
            <th scope="col">Platforms</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {top > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={COLUMNS} style={{ height: top, padding: 0, border: 'none' }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const tag = all[item.index] ?? '';
            return (
              <TagRow
                key={tag}
                registry={registry}
                repository={repository}
                tag={tag}
                selected={tag === selected}
                onOpen={() => onOpen(tag)}
                onDelete={() => onDelete(tag)}
              />
            );
          })}
          {bottom > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={COLUMNS} style={{ height: bottom, padding: 0, border: 'none' }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

/** When the image was built: the config's time, or for an index its OCI annotation. */
export function createdOf(manifest: ManifestView): string | null {
  return manifest.config?.created ?? manifest.annotations['org.opencontainers.image.created'] ?? null;
}

export function platformsOf(manifest: ManifestView): string {
  if (manifest.platforms.length > 0) return manifest.platforms.map(platformLabel).join(', ');
  const config = manifest.config;
  return config?.os && config.architecture ? `${config.os}/${config.architecture}` : '—';
}

function TagRow(props: { registry: string; repository: string; tag: string; selected: boolean; onOpen(): void; onDelete(): void }) {
  const { registry, repository, tag, selected, onOpen, onDelete } = props;
  const manifest = useRegistryManifest(registry, repository, tag);
  const cell = (render: (m: ManifestView) => ReactNode) =>
    manifest.data ? (
      render(manifest.data)
    ) : manifest.isError ? (
      <span className="error-text" title={toErrorBody(manifest.error).detail}>
        unavailable
      </span>
    ) : (
      <span className="muted">…</span>
    );
  return (
    <tr className={selected ? 'row-selected' : undefined}>
      <th scope="row" className="tag-name">
        {tag}
      </th>
      <td>
        {cell((m) => (
          <code title={m.digest}>{shortDigest(m.digest)}</code>
        ))}
      </td>
      <td>
        {cell((m) => (
          <span title={`${m.total_size.toLocaleString()} bytes`}>{formatSize(m.total_size)}</span>
        ))}
      </td>
      <td>
        {cell((m) => (
          <RelativeTime iso={createdOf(m)} never="—" />
        ))}
      </td>
      <td className="platforms-cell">{cell((m) => platformsOf(m))}</td>
      <td className="row-actions">
        <button type="button" className="button-tiny" aria-label={`Details of ${tag}`} aria-pressed={selected} onClick={onOpen}>
          Details
        </button>
        <button type="button" className="button-tiny button-danger-quiet" aria-label={`Delete tag ${tag}`} onClick={onDelete}>
          Delete
        </button>
      </td>
    </tr>
  );
}

/**
 * In a local tag's row: the pull line of a linked repo's tag (none for a catalogue-only repo), and,
 * for a tag that came from a registry, its size, platforms, created time and source (its digest is
 * the row's image ID). Details are read only for rows that come on screen.
 */
import { useEffect, useRef, useState } from 'react';
import { pullCommand } from '../../api/pull';
import { useRepo } from '../../api/queries';
import { useTagDetail } from '../../api/sync';
import { CopyButton } from '../../components/CopyButton';
import { RelativeTime } from '../../components/RelativeTime';
import { formatSize, platformLabel, shortDigest } from '../registries/format';

interface Props {
  namespace: string;
  repoName: string;
  tag: string;
}

/** "Copy pull" for a linked repo's tag; nothing for a catalogue-only repo. */
export function TagPullCopy({ namespace, repoName, tag }: Props) {
  const link = useRepo(namespace, repoName).data?.link;
  if (!link) return null;
  return (
    <CopyButton text={pullCommand(link.pull_ref, tag)} label={`Copy pull command for ${tag}`} className="button-tiny">
      Copy pull
    </CopyButton>
  );
}

function useOnScreen<T extends Element>() {
  const ref = useRef<T>(null);
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || seen) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setSeen(true);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [seen]);
  return [ref, seen] as const;
}

/**
 * The row's "Registry facts" cell: empty for a tag made here. Its own cell, so the row header stays
 * the tag's name; the facts wrap onto more lines rather than being cut, and the row grows to fit.
 */
export function TagRegistryFacts({ namespace, repoName, tag, imageId }: Props & { imageId: string }) {
  const [ref, seen] = useOnScreen<HTMLDivElement>();
  const detail = useTagDetail(namespace, repoName, tag, seen).data;
  const fromRegistry = detail?.source.startsWith('registry:') ?? false;
  return (
    <div ref={ref} role="cell" className="tag-cell-facts">
      {detail && fromRegistry ? (
        <>
          {/* The digest is the image ID the row shows already, unless the two ever part. */}
          {detail.digest && detail.digest !== `sha256:${imageId}` ? (
            <code title={detail.digest} aria-label={`digest ${detail.digest}`}>
              {shortDigest(detail.digest)}
            </code>
          ) : null}
          {detail.size !== null ? <span>{formatSize(detail.size)}</span> : null}
          {detail.platforms.length > 0 ? <span>{detail.platforms.map(platformLabel).join(', ')}</span> : null}
          {detail.image_created ? (
            <span>
              created <RelativeTime iso={detail.image_created} />
            </span>
          ) : null}
          <span className="tag-source">from {detail.source.slice('registry:'.length)}</span>
        </>
      ) : null}
    </div>
  );
}

/** A repo's history: who changed what and when, newest first, with Restore on tag entries. */
import { useId } from 'react';
import type { HistoryEntryView } from '../../../../main/contract/types';
import { toErrorBody } from '../../api/berth';
import { useRepoHistory, useRestoreTag } from '../../api/history';
import { shortImageId } from '../../api/pull';
import { RelativeTime } from '../../components/RelativeTime';
import { actorLabel, describeEntry, restorable } from './describe';

interface Props {
  namespace: string;
  repoName: string;
}

export function HistorySection({ namespace, repoName }: Props) {
  const history = useRepoHistory(namespace, repoName);
  const restore = useRestoreTag(namespace, repoName);
  const headingId = useId();
  const entries = history.data?.pages.flatMap((page) => page.results) ?? [];
  const total = history.data?.pages[0]?.count ?? 0;

  return (
    <section className="history" aria-labelledby={headingId}>
      <div className="section-header">
        <h3 id={headingId} className="section-title">
          History
        </h3>
        {total > 0 ? <span className="muted">{total === 1 ? '1 change' : `${total} changes`}</span> : null}
      </div>
      {history.isPending ? (
        <p className="list-note" role="status">
          Loading history…
        </p>
      ) : history.isError ? (
        <p className="list-note error-text" role="alert">
          {toErrorBody(history.error).detail}
        </p>
      ) : (
        <>
          <ol className="history-list" aria-label={`History of ${namespace}/${repoName}`}>
            {entries.map((entry) => (
              <HistoryItem key={entry.id} entry={entry} busy={restore.isPending} onRestore={() => restore.mutate(entry)} />
            ))}
          </ol>
          {history.hasNextPage ? (
            <button
              type="button"
              className="button-small"
              disabled={history.isFetchingNextPage}
              onClick={() => void history.fetchNextPage()}
            >
              {history.isFetchingNextPage ? 'Loading…' : 'Show older changes'}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}

function HistoryItem({ entry, busy, onRestore }: { entry: HistoryEntryView; busy: boolean; onRestore(): void }) {
  return (
    <li className="history-item">
      <span className="history-what">{describeEntry(entry)}</span>
      <span className="history-meta">
        <span className={`actor actor-${entry.actor.split(':')[0] ?? 'api'}`}>{actorLabel(entry.actor)}</span>
        <RelativeTime iso={entry.at} />
      </span>
      <span className="history-action">
        {restorable(entry) ? (
          <button
            type="button"
            className="button-tiny"
            disabled={busy}
            aria-label={`Restore tag ${entry.tag ?? ''} to ${shortImageId(String(entry.after))}`}
            title="Put the tag back as it was after this change"
            onClick={onRestore}
          >
            Restore
          </button>
        ) : null}
      </span>
    </li>
  );
}

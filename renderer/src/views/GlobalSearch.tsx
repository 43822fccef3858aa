/** Search every namespace at once (as Docker Hub's search box does); a result opens that repo. */
import { useCallback, useEffect, useId, useState } from 'react';
import { toErrorBody } from '../api/berth';
import { useGlobalSearch } from '../api/queries';

const number = new Intl.NumberFormat();

export function GlobalSearch({ onOpen }: { onOpen(namespace: string, repoName: string): void }) {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const id = useId();
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 200);
    return () => clearTimeout(timer);
  }, [text]);
  const search = useGlobalSearch(q);
  const results = q ? (search.data?.results ?? []) : [];

  const open = useCallback(
    (fullName: string) => {
      const slash = fullName.indexOf('/');
      onOpen(fullName.slice(0, slash), fullName.slice(slash + 1));
      setText('');
      setQ('');
    },
    [onOpen],
  );

  // Enter opens the first match of what is typed now, even if the debounce has not caught up.
  const [openFirst, setOpenFirst] = useState(false);
  const fresh = openFirst && search.isSuccess && !search.isPlaceholderData ? search.data : undefined;
  useEffect(() => {
    if (!fresh) return;
    setOpenFirst(false);
    const first = fresh.results[0];
    if (first) open(first.name);
  }, [fresh, open]);

  return (
    <div className="global-search">
      <label htmlFor={`${id}-input`} className="sr-only">
        Search all namespaces
      </label>
      <input
        id={`${id}-input`}
        type="search"
        placeholder="Search all namespaces"
        value={text}
        autoComplete="off"
        spellCheck={false}
        aria-controls={q ? `${id}-results` : undefined}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && text.trim()) {
            e.preventDefault();
            setQ(text.trim());
            setOpenFirst(true);
          } else if (e.key === 'Escape' && text) {
            e.preventDefault();
            setText('');
            setQ('');
          }
        }}
      />
      {q ? (
        <div id={`${id}-results`} className="global-results" aria-live="polite">
          {search.isPending ? (
            <p className="sidebar-note">Searching…</p>
          ) : search.isError ? (
            <p className="sidebar-note error-text">{toErrorBody(search.error).detail}</p>
          ) : results.length === 0 ? (
            <p className="sidebar-note">No repository matches “{q}”.</p>
          ) : (
            <ul aria-label="Search results">
              {results.map((r) => (
                <li key={r.name}>
                  <button type="button" className="global-result" onClick={() => open(r.name)} title={r.description || r.name}>
                    <span className="global-result-name">{r.name}</span>
                    <span className="global-result-meta">
                      {r.is_public ? '' : 'Private · '}★ {number.format(r.star_count)} · ↓ {number.format(r.pull_count)}
                    </span>
                  </button>
                </li>
              ))}
              {search.data && search.data.num_results > results.length ? (
                <li className="sidebar-note">{number.format(search.data.num_results - results.length)} more — refine the search</li>
              ) : null}
            </ul>
          )}
        </div>
      ) : null}
    </div>
  );
}

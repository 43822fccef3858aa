/**
 * Search every namespace at once (as Docker Hub's search box does); a result opens that repo.
 * A combobox (WAI-ARIA's list autocomplete pattern): focus stays in the box, ↓/↑ move through the
 * results, Enter opens the highlighted one (or the first), Escape clears.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { toErrorBody } from '../api/berth';
import { useGlobalSearch } from '../api/queries';

const number = new Intl.NumberFormat();

export function GlobalSearch({ onOpen }: { onOpen(namespace: string, repoName: string): void }) {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [active, setActive] = useState(-1);
  const id = useId();
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 200);
    return () => clearTimeout(timer);
  }, [text]);
  const search = useGlobalSearch(q);
  const results = q ? (search.data?.results ?? []) : [];
  useEffect(() => {
    setActive(-1);
  }, [q]);

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

  const expanded = results.length > 0;
  const optionId = (index: number) => `${id}-option-${index}`;
  const activeResult = active >= 0 ? results[active] : undefined;

  return (
    <div className="global-search">
      <label htmlFor={`${id}-input`} className="sr-only">
        Search all namespaces
      </label>
      <input
        id={`${id}-input`}
        type="search"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={`${id}-results`}
        aria-activedescendant={activeResult ? optionId(active) : undefined}
        placeholder="Search all namespaces"
        value={text}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && results.length > 0) {
            e.preventDefault();
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setActive((current) =>
              current < 0 ? (step > 0 ? 0 : results.length - 1) : (current + step + results.length) % results.length,
            );
          } else if (e.key === 'Enter' && activeResult) {
            e.preventDefault();
            open(activeResult.name);
          } else if (e.key === 'Enter' && text.trim()) {
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
      <div id={`${id}-results`} className="global-results" aria-live="polite" hidden={!q}>
        {!q ? null : search.isPending ? (
          <p className="sidebar-note">Searching…</p>
        ) : search.isError ? (
          <p className="sidebar-note error-text">{toErrorBody(search.error).detail}</p>
        ) : results.length === 0 ? (
          <p className="sidebar-note">No repository matches “{q}”.</p>
        ) : (
          <>
            <ul role="listbox" aria-label="Search results">
              {results.map((r, index) => (
                <li
                  key={r.name}
                  id={optionId(index)}
                  role="option"
                  aria-selected={index === active}
                  className={`global-result ${index === active ? 'global-result-active' : ''}`}
                  title={r.description || r.name}
                  // mousedown would blur the box first; the click opens.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => open(r.name)}
                >
                  <span className="global-result-name">{r.name}</span>
                  <span className="global-result-meta">
                    {r.is_public ? '' : 'Private · '}★ {number.format(r.star_count)} · ↓ {number.format(r.pull_count)}
                  </span>
                </li>
              ))}
            </ul>
            {search.data && search.data.num_results > results.length ? (
              <p className="sidebar-note">{number.format(search.data.num_results - results.length)} more — refine the search</p>
            ) : null}
          </>
        )}
      </div>
    </div>
  );
}

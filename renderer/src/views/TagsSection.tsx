/**
 * The Tags tab: the tags as `docker images` lists them — filtered, sorted (newest, name, version)
 * and rendered as a virtual list, so hundreds of tags stay light — then the form that adds or moves
 * one (a row's "Move…" fills it in). Tags can be selected and deleted together. A confirmation whose tags another program deletes meanwhile
 * says so and closes (or keeps only the tags still there).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { TagView } from '../../../main/contract/types';
import { toErrorBody } from '../api/berth';
import { useDeleteTags } from '../api/mutations';
import { shortImageId } from '../api/pull';
import { useRepo, useTags } from '../api/queries';
import { filterTags, sortTags, TAG_SORTS, type TagSort } from '../api/tag-order';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyButton, CopyIcon } from '../components/CopyButton';
import { focusWhenReady } from '../components/focus';
import { RelativeTime } from '../components/RelativeTime';
import { useToast } from '../components/Toasts';
import { useElementWidth } from '../hooks/useElementWidth';
import { TagForm, type TagPrefill } from './TagForm';
import { TagPullCopy, TagRegistryFacts } from './sync/TagRegistryFacts';

interface Props {
  namespace: string;
  repoName: string;
}

/** Below this width a row shows on two lines. */
const COMPACT_BELOW = 620;
/** A row's height without registry facts; a row with them grows to fit (measured on screen). */
const ROW_HEIGHT = { wide: 44, compact: 96 } as const;
/** Names of the tags a confirmation lists before "and N more". */
const LISTED = 8;

const number = new Intl.NumberFormat();

export function TagsSection({ namespace, repoName }: Props) {
  const tags = useTags(namespace, repoName);
  const toast = useToast();
  const remove = useDeleteTags(namespace, repoName);
  const id = useId();

  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<TagSort>('newest');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState<{ tags: string[]; from: 'row' | 'selection' } | null>(null);
  const [prefill, setPrefill] = useState<TagPrefill | null>(null);
  const ownDeletes = useRef(new Set<string>());
  const tagInputRef = useRef<HTMLInputElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  const all = useMemo(() => tags.data ?? [], [tags.data]);
  const present = useMemo(() => new Set(all.map((t) => t.tag)), [all]);
  const shown = useMemo(() => sortTags(filterTags(all, filter), sort), [all, filter, sort]);

  // Tags that disappear (deleted here or elsewhere) leave the selection…
  useEffect(() => {
    setSelected((current) => {
      const kept = [...current].filter((t) => present.has(t));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [present]);
  // …and an open confirmation says that another program was quicker.
  useEffect(() => {
    if (!confirming || remove.isPending) return;
    const gone = confirming.tags.filter((t) => !present.has(t) && !ownDeletes.current.has(t));
    if (gone.length === 0) return;
    const still = confirming.tags.filter((t) => present.has(t));
    toast.info(
      gone.length === 1
        ? `Tag ${gone[0]} was deleted by another program.`
        : `${gone.length} of these tags were deleted by another program.`,
    );
    setConfirming(still.length > 0 ? { ...confirming, tags: still } : null);
    if (still.length === 0) void focusWhenReady(() => filterRef.current ?? tagInputRef.current);
  }, [confirming, present, remove.isPending, toast]);

  const sectionRef = useRef<HTMLElement>(null);
  const width = useElementWidth(sectionRef);
  const compact = width > 0 && width < COMPACT_BELOW;
  const rowHeight = compact ? ROW_HEIGHT.compact : ROW_HEIGHT.wide;
  // Each row is a grid of its own, sized to its buttons: the header's last column takes the rows'
  // width, so its titles stand over their columns (a linked repo's rows have one button more).
  const linked = useRepo(namespace, repoName).data?.link != null;
  const [actionsWidth, setActionsWidth] = useState<number | null>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });
  const rowsOnScreen = virtualizer.getVirtualItems().length;
  useLayoutEffect(() => {
    const cell = tableRef.current?.querySelector('[data-tag-row] .tag-cell-actions');
    setActionsWidth(cell ? Math.ceil(cell.getBoundingClientRect().width) : null);
  }, [linked, compact, rowsOnScreen]);
  useEffect(() => {
    virtualizer.measure();
  }, [virtualizer, rowHeight]);
  // A new filter or order starts at the top of the list. (A block body: scrollTo may return a
  // promise, which React would take for the effect's cleanup.)
  useEffect(() => {
    void scrollRef.current?.scrollTo({ top: 0 });
  }, [filter, sort]);

  const allShownSelected = shown.length > 0 && shown.every((t) => selected.has(t.tag));
  const someShownSelected = shown.some((t) => selected.has(t.tag));
  const toggle = (tag: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(tag);
      else next.delete(tag);
      return next;
    });

  const deleteConfirmed = () => {
    if (!confirming) return;
    const targets = confirming.tags;
    const from = confirming.from;
    // Where focus goes once the rows are gone: the row that takes the first one's place.
    const order = shown.map((t) => t.tag);
    const firstIndex = Math.min(...targets.map((t) => order.indexOf(t)).filter((i) => i >= 0));
    const survivors = order.filter((t) => !targets.includes(t));
    const neighbour = survivors[Math.min(Number.isFinite(firstIndex) ? firstIndex : 0, survivors.length - 1)];
    for (const t of targets) ownDeletes.current.add(t);
    remove.mutate(targets, {
      onSettled: () => {
        setConfirming(null);
        for (const t of targets) ownDeletes.current.delete(t);
        setSelected((current) => new Set([...current].filter((t) => !targets.includes(t))));
        void focusWhenReady(() => {
          if (from === 'row' && neighbour) {
            virtualizer.scrollToIndex(Math.max(0, survivors.indexOf(neighbour)), { align: 'auto' });
            return tableRef.current?.querySelector<HTMLElement>(`[data-tag-row="${CSS.escape(neighbour)}"] [data-action="delete"]`);
          }
          return survivors.length > 0 ? (filterRef.current ?? tagInputRef.current) : tagInputRef.current;
        });
      },
    });
  };

  const selectedCount = selected.size;
  /** The selected tags as listed, then any the filter hides. */
  const selectionInOrder = () => {
    const listed = shown.filter((t) => selected.has(t.tag)).map((t) => t.tag);
    return [...listed, ...[...selected].filter((t) => !listed.includes(t))];
  };

  return (
    <section ref={sectionRef} className="tags" aria-label={`Tags of ${namespace}/${repoName}`}>
      {tags.isPending ? (
        <p className="list-note" role="status">
          Loading tags…
        </p>
      ) : tags.isError ? (
        <p className="list-note error-text" role="alert">
          {toErrorBody(tags.error).detail}
        </p>
      ) : all.length === 0 ? (
        <p className="muted wrap-anywhere">
          No tags yet. Add one below, or push one over the API: PUT /v1/repositories/{namespace}/{repoName}/tags/TAG.
        </p>
      ) : (
        <>
          <div className="tag-toolbar">
            <label className="sr-only" htmlFor={`${id}-filter`}>
              Filter tags
            </label>
            <input
              id={`${id}-filter`}
              ref={filterRef}
              type="search"
              className="tag-filter"
              placeholder="Filter by tag or image ID"
              value={filter}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setFilter(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && filter) {
                  e.preventDefault();
                  setFilter('');
                }
              }}
            />
            <label className="sr-only" htmlFor={`${id}-sort`}>
              Sort tags
            </label>
            <select id={`${id}-sort`} value={sort} onChange={(e) => setSort(e.target.value as TagSort)}>
              {TAG_SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
            <span className="muted tag-count" aria-live="polite">
              {shown.length === all.length
                ? `${number.format(all.length)} ${all.length === 1 ? 'tag' : 'tags'}`
                : `${number.format(shown.length)} of ${number.format(all.length)} tags`}
            </span>
          </div>
          {selectedCount > 0 ? (
            <div className="selection-bar" role="group" aria-label="Selected tags">
              <span>{number.format(selectedCount)} selected</span>
              <button
                type="button"
                className="button-small button-danger-quiet"
                onClick={() => setConfirming({ tags: selectionInOrder(), from: 'selection' })}
              >
                Delete {number.format(selectedCount)} {selectedCount === 1 ? 'tag' : 'tags'}…
              </button>
              <button type="button" className="button-small" onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
            </div>
          ) : null}

          <div
            ref={tableRef}
            role="table"
            aria-label={`Tags of ${namespace}/${repoName}`}
            aria-rowcount={shown.length + 1}
            className={`tag-table ${compact ? 'tag-table-compact' : ''}`}
            style={actionsWidth === null ? undefined : ({ '--tag-actions-width': `${actionsWidth}px` } as CSSProperties)}
          >
            <div role="rowgroup">
              <div role="row" aria-rowindex={1} className="tag-row tag-head">
                <div role="columnheader" className="tag-cell-select">
                  <input
                    type="checkbox"
                    aria-label={`Select all ${number.format(shown.length)} shown tags`}
                    checked={allShownSelected}
                    ref={(box) => {
                      if (box) box.indeterminate = someShownSelected && !allShownSelected;
                    }}
                    disabled={shown.length === 0}
                    onChange={(e) => {
                      const on = e.target.checked;
                      setSelected((current) => {
                        const next = new Set(current);
                        for (const t of shown) {
                          if (on) next.add(t.tag);
                          else next.delete(t.tag);
                        }
                        return next;
                      });
                    }}
                  />
                </div>
                <div role="columnheader" className="tag-cell-name">
                  Tag
                </div>
                <div role="columnheader" className="tag-cell-id">
                  Image ID
                </div>
                <div role="columnheader" className="tag-cell-time">
                  Pushed
                </div>
                <div role="columnheader" className="tag-cell-actions">
                  <span className="sr-only">Actions</span>
                </div>
                <div role="columnheader" className="tag-cell-facts sr-only">
                  Registry facts
                </div>
              </div>
            </div>
            <div
              ref={scrollRef}
              role="rowgroup"
              className="tag-scroll"
              style={{ height: Math.min(virtualizer.getTotalSize(), 12 * rowHeight), maxHeight: '60vh' }}
            >
              <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {virtualizer.getVirtualItems().map((item) => {
                  const tag = shown[item.index];
                  if (!tag) return null;
                  return (
                    <TagRow
                      key={tag.tag}
                      tag={tag}
                      rowIndex={item.index + 2}
                      index={item.index}
                      top={item.start}
                      minHeight={rowHeight}
                      measure={virtualizer.measureElement}
                      checked={selected.has(tag.tag)}
                      namespace={namespace}
                      repoName={repoName}
                      onCheck={(on) => toggle(tag.tag, on)}
                      onMove={() => setPrefill({ tag: tag.tag, imageId: `sha256:${tag.image_id}`, nonce: Date.now() })}
                      onDelete={() => setConfirming({ tags: [tag.tag], from: 'row' })}
                    />
                  );
                })}
              </div>
            </div>
          </div>
          {shown.length === 0 ? <p className="list-note wrap-anywhere">No tag matches “{filter.trim()}”.</p> : null}
        </>
      )}

      <TagForm namespace={namespace} repoName={repoName} existing={all} prefill={prefill} tagInputRef={tagInputRef} />

      {confirming ? (
        <ConfirmDialog
          title={
            confirming.tags.length === 1 ? `Delete tag ${confirming.tags[0]}?` : `Delete ${number.format(confirming.tags.length)} tags?`
          }
          confirmLabel={confirming.tags.length === 1 ? 'Delete tag' : `Delete ${number.format(confirming.tags.length)} tags`}
          danger
          busy={remove.isPending}
          onClose={() => setConfirming(null)}
          onConfirm={deleteConfirmed}
        >
          {confirming.tags.length === 1 ? (
            <p className="wrap-anywhere">
              The tag <strong>{confirming.tags[0]}</strong> is removed from {namespace}/{repoName}. The image it points to keeps any other
              tags.
            </p>
          ) : (
            <>
              <p>
                These tags are removed from {namespace}/{repoName}. The images they point to keep any other tags.
              </p>
              <ul className="confirm-list">
                {confirming.tags.slice(0, LISTED).map((t) => (
                  <li key={t}>{t}</li>
                ))}
                {confirming.tags.length > LISTED ? (
                  <li className="muted">and {number.format(confirming.tags.length - LISTED)} more</li>
                ) : null}
              </ul>
            </>
          )}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface RowProps {
  tag: TagView;
  rowIndex: number;
  /** The row's place in the virtual list, for measuring it. */
  index: number;
  top: number;
  minHeight: number;
  measure(element: HTMLDivElement | null): void;
  checked: boolean;
  namespace: string;
  repoName: string;
  onCheck(on: boolean): void;
  onMove(): void;
  onDelete(): void;
}

function TagRow({ tag, rowIndex, index, top, minHeight, measure, checked, namespace, repoName, onCheck, onMove, onDelete }: RowProps) {
  return (
    <div
      ref={measure}
      role="row"
      aria-rowindex={rowIndex}
      data-index={index}
      data-tag-row={tag.tag}
      className={`tag-row ${checked ? 'tag-row-checked' : ''}`}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, minHeight, transform: `translateY(${top}px)` }}
    >
      <div role="cell" className="tag-cell-select">
        <input type="checkbox" aria-label={`Select ${tag.tag}`} checked={checked} onChange={(e) => onCheck(e.target.checked)} />
      </div>
      {/* Named by the tag alone: the copy button inside would otherwise join the header's name. */}
      <div role="rowheader" className="tag-cell-name" title={tag.tag} aria-label={tag.tag}>
        <span className="tag-name-text">{tag.tag}</span>
        <CopyButton text={tag.tag} label={`Copy tag name ${tag.tag}`} className="icon-button copy-icon tag-name-copy">
          <CopyIcon />
        </CopyButton>
      </div>
      <div role="cell" className="tag-cell-id">
        <code className="image-id" title={`sha256:${tag.image_id}`}>
          {shortImageId(tag.image_id)}
        </code>
        <CopyButton text={`sha256:${tag.image_id}`} label={`Copy image ID of ${tag.tag}`} className="button-tiny">
          Copy ID
        </CopyButton>
      </div>
      <div role="cell" className="tag-cell-time">
        <RelativeTime iso={tag.updated_at} />
      </div>
      <div role="cell" className="tag-cell-actions">
        <TagPullCopy namespace={namespace} repoName={repoName} tag={tag.tag} />
        <button
          type="button"
          className="button-tiny"
          aria-label={`Move tag ${tag.tag}`}
          title="Point this tag at another image"
          onClick={onMove}
        >
          Move…
        </button>
        <button
          type="button"
          className="button-tiny button-danger-quiet"
          aria-label={`Delete tag ${tag.tag}`}
          data-action="delete"
          onClick={onDelete}
        >
          Delete
        </button>
      </div>
      {/* Last in reading order, as in the header; under the name on screen. */}
      <TagRegistryFacts namespace={namespace} repoName={repoName} tag={tag.tag} imageId={tag.image_id} />
    </div>
  );
}

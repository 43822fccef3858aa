/** Tags of a repo as `docker images` would list them, with copyable pull lines and add/move/delete. */
import { useId, useState } from 'react';
import type { TagView } from '../../../main/contract/types';
import { validateImageId, validateTag } from '../../../main/contract/names';
import { toErrorBody } from '../api/berth';
import { useDeleteTag, usePutTag } from '../api/mutations';
import { shortImageId } from '../api/pull';
import { useTags } from '../api/queries';
import { CopyButton } from '../components/CopyButton';
import { Dialog } from '../components/Dialog';
import { Field, fieldError } from '../components/Field';
import { RelativeTime } from '../components/RelativeTime';
import { TagPullCopy, TagRegistryFacts } from './sync/TagRegistryFacts';

interface Props {
  namespace: string;
  repoName: string;
}

export function TagsSection({ namespace, repoName }: Props) {
  const tags = useTags(namespace, repoName);
  const [confirming, setConfirming] = useState<string | null>(null);
  const remove = useDeleteTag(namespace, repoName);
  const headingId = useId();

  return (
    <section className="tags" aria-labelledby={headingId}>
      <div className="section-header">
        <h3 id={headingId} className="section-title">
          Tags
        </h3>
      </div>
      {tags.isPending ? (
        <p className="list-note" role="status">
          Loading tags…
        </p>
      ) : tags.isError ? (
        <p className="list-note error-text" role="alert">
          {toErrorBody(tags.error).detail}
        </p>
      ) : tags.data.length === 0 ? (
        <p className="muted">
          No tags yet. Add one below, or push one over the API: PUT /v1/repositories/{namespace}/{repoName}/tags/TAG.
        </p>
      ) : (
        <table className="tags-table">
          <caption className="sr-only">
            Tags of {namespace}/{repoName}
          </caption>
          <thead>
            <tr>
              <th scope="col">Tag</th>
              <th scope="col">Image ID</th>
              <th scope="col">Pushed</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tags.data.map((tag) => (
              <TagRow key={tag.tag} namespace={namespace} repoName={repoName} tag={tag} onDelete={() => setConfirming(tag.tag)} />
            ))}
          </tbody>
        </table>
      )}
      <TagForm namespace={namespace} repoName={repoName} existing={tags.data ?? []} />
      {confirming ? (
        <Dialog title={`Delete tag ${confirming}?`} onClose={() => setConfirming(null)}>
          <p>
            The tag <strong>{confirming}</strong> is removed from {namespace}/{repoName}. The image it points to keeps any other tags.
          </p>
          <div className="dialog-actions">
            <button type="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="button-danger"
              data-autofocus
              disabled={remove.isPending}
              onClick={() => remove.mutate(confirming, { onSettled: () => setConfirming(null) })}
            >
              Delete tag
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}

function TagRow({ namespace, repoName, tag, onDelete }: Props & { tag: TagView; onDelete(): void }) {
  return (
    <tr>
      <th scope="row" className="tag-name">
        {tag.tag}
        <TagRegistryFacts namespace={namespace} repoName={repoName} tag={tag.tag} />
      </th>
      <td>
        <code className="image-id" title={`sha256:${tag.image_id}`}>
          {shortImageId(tag.image_id)}
        </code>{' '}
        <CopyButton text={`sha256:${tag.image_id}`} label={`Copy image ID of ${tag.tag}`} className="button-tiny">
          Copy ID
        </CopyButton>
      </td>
      <td>
        <RelativeTime iso={tag.updated_at} />
      </td>
      <td className="row-actions">
        <TagPullCopy namespace={namespace} repoName={repoName} tag={tag.tag} />
        <button type="button" className="button-tiny button-danger-quiet" aria-label={`Delete tag ${tag.tag}`} onClick={onDelete}>
          Delete
        </button>
      </td>
    </tr>
  );
}

/** Adds a tag, or moves an existing one to another image (a push either way). */
function TagForm({ namespace, repoName, existing }: Props & { existing: TagView[] }) {
  const [tag, setTag] = useState('');
  const [imageId, setImageId] = useState('');
  const [touched, setTouched] = useState({ tag: false, imageId: false });
  const [serverErrors, setServerErrors] = useState<Record<string, string[]> | undefined>();
  const put = usePutTag(namespace, repoName);
  const moving = existing.some((t) => t.tag === tag);

  const tagError = (touched.tag && tag ? validateTag(tag) : null) ?? fieldError(serverErrors, 'tag');
  const imageError = (touched.imageId && imageId ? validateImageId(imageId.trim()) : null) ?? fieldError(serverErrors, 'image_id');

  return (
    <form
      className="tag-form"
      aria-label="Add or move a tag"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched({ tag: true, imageId: true });
        if (validateTag(tag) || validateImageId(imageId.trim())) {
          setServerErrors({
            ...(validateTag(tag) ? { tag: [validateTag(tag) as string] } : {}),
            ...(validateImageId(imageId.trim()) ? { image_id: [validateImageId(imageId.trim()) as string] } : {}),
          });
          return;
        }
        put.mutate(
          { tag, imageId: imageId.trim() },
          {
            onSuccess: () => {
              setTag('');
              setImageId('');
              setTouched({ tag: false, imageId: false });
              setServerErrors(undefined);
            },
            onError: (error) => setServerErrors(toErrorBody(error).errors ?? { tag: [toErrorBody(error).detail] }),
          },
        );
      }}
    >
      <Field label="Tag" error={tagError}>
        {(p) => (
          <input
            {...p}
            value={tag}
            placeholder="latest"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              setTag(e.target.value);
              setTouched((t) => ({ ...t, tag: true }));
              setServerErrors(undefined);
            }}
          />
        )}
      </Field>
      <Field label="Image ID" error={imageError}>
        {(p) => (
          <input
            {...p}
            className="mono"
            value={imageId}
            placeholder="sha256:… (64 hex characters)"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              setImageId(e.target.value);
              setTouched((t) => ({ ...t, imageId: true }));
              setServerErrors(undefined);
            }}
          />
        )}
      </Field>
      <button type="submit" className="button-primary" disabled={put.isPending}>
        {moving ? 'Move tag' : 'Add tag'}
      </button>
    </form>
  );
}

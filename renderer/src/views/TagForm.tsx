/**
 * Adds a tag, or moves an existing one to another image (a push either way). A row's "Move…"
 * fills it in. Problems with what was typed show under the field; anything else (a disk that
 * refused the write) is a toast, once. After a push the Tag field has focus for the next one.
 */
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { TagView } from '../../../main/contract/types';
import { RULES, validateImageId, validateTag } from '../../../main/contract/names';
import { inlineFieldErrors } from '../api/berth';
import { usePutTag } from '../api/mutations';
import { Field, fieldError } from '../components/Field';

export interface TagPrefill {
  tag: string;
  imageId: string;
  /** Changes on every "Move…", so the same row twice fills the form twice. */
  nonce: number;
}

interface Props {
  namespace: string;
  repoName: string;
  existing: readonly TagView[];
  prefill: TagPrefill | null;
  tagInputRef: RefObject<HTMLInputElement | null>;
}

export function TagForm({ namespace, repoName, existing, prefill, tagInputRef }: Props) {
  const [tag, setTag] = useState('');
  const [imageId, setImageId] = useState('');
  const [touched, setTouched] = useState({ tag: false, imageId: false });
  const [serverErrors, setServerErrors] = useState<Record<string, string[]> | undefined>();
  const imageRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const put = usePutTag(namespace, repoName);
  const moving = existing.some((t) => t.tag === tag);

  // "Move…": the form takes the row's tag and image; once they are rendered, the image id is
  // selected, ready to be replaced by the new one.
  const selectImage = useRef<string | null>(null);
  useEffect(() => {
    if (!prefill) return;
    setTag(prefill.tag);
    setImageId(prefill.imageId);
    setTouched({ tag: true, imageId: true });
    setServerErrors(undefined);
    selectImage.current = prefill.imageId;
  }, [prefill]);
  useLayoutEffect(() => {
    const input = imageRef.current;
    if (selectImage.current === null || !input || input.value !== selectImage.current) return;
    selectImage.current = null;
    formRef.current?.scrollIntoView({ block: 'nearest' });
    input.focus();
    input.select();
  });

  const tagError = (touched.tag && tag ? validateTag(tag) : null) ?? fieldError(serverErrors, 'tag');
  const imageError = (touched.imageId && imageId ? validateImageId(imageId.trim()) : null) ?? fieldError(serverErrors, 'image_id');

  return (
    <form
      ref={formRef}
      className="tag-form"
      aria-label="Add or move a tag"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched({ tag: true, imageId: true });
        const localTag = validateTag(tag);
        const localImage = validateImageId(imageId.trim());
        if (localTag || localImage) {
          setServerErrors({ ...(localTag ? { tag: [localTag] } : {}), ...(localImage ? { image_id: [localImage] } : {}) });
          (localTag ? tagInputRef.current : imageRef.current)?.focus();
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
              tagInputRef.current?.focus();
            },
            // Field problems go under the fields; the rest is a toast (usePutTag), not shown here too.
            onError: (error) => setServerErrors(inlineFieldErrors(error, ['tag', 'image_id']) ?? undefined),
          },
        );
      }}
    >
      <Field label="Tag" error={tagError}>
        {(p) => (
          <input
            {...p}
            ref={tagInputRef}
            value={tag}
            placeholder="latest"
            title={RULES.tag}
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
            ref={imageRef}
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

/**
 * `docker pull` lines. Berth's API is not an image registry, so a pull line always names the
 * registry a repo is linked to (its `pull_ref`); an unlinked repo has none.
 */

/** `docker pull <pull_ref>:<tag>`, or `@sha256:…` for a digest, or the bare ref. */
export function pullCommand(pullRef: string, reference?: string): string {
  if (!reference) return `docker pull ${pullRef}`;
  return `docker pull ${pullRef}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
}

/** The short id `docker images` prints: the first 12 hex characters. */
export function shortImageId(imageId: string): string {
  return imageId.replace(/^sha256:/, '').slice(0, 12);
}

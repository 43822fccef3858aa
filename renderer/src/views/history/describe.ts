/** History entries in words: who made a change, and what it was. */
import type { HistoryEntryView } from '../../../../main/contract/types';
import { shortImageId } from '../../api/pull';

/** Who acted, as the window names them. */
export function actorLabel(actor: string): string {
  if (actor === 'api') return 'Local API';
  if (actor === 'window') return 'Berth window';
  if (actor === 'import') return 'Import';
  if (actor.startsWith('registry:')) return `Registry ${actor.slice('registry:'.length)}`;
  return actor;
}

const FIELD_NAMES: Record<string, string> = {
  description: 'description',
  full_description: 'full description',
  is_public: 'visibility',
  build_config: 'build settings',
};

const image = (value: unknown) => (typeof value === 'string' ? shortImageId(value) : '?');

function repoUpdate(after: unknown): string {
  const changed = after && typeof after === 'object' ? Object.keys(after) : [];
  const afterFields = (after ?? {}) as Record<string, unknown>;
  if (changed.length === 1 && changed[0] === 'is_public')
    return afterFields.is_public ? 'Made the repository public' : 'Made the repository private';
  if (changed.length === 1 && changed[0] === 'build_config' && afterFields.build_config === null) return 'Removed the build settings';
  const names = changed.map((field) => FIELD_NAMES[field] ?? field);
  const visibility = 'is_public' in afterFields ? ` (now ${afterFields.is_public ? 'public' : 'private'})` : '';
  return `Changed the ${names.join(', ')}${visibility}`;
}

/** One sentence for an entry, e.g. "Moved tag latest from a4002247cb22 to e72ac664f4f0". */
export function describeEntry(e: HistoryEntryView): string {
  const tag = e.tag ?? '';
  switch (e.action) {
    case 'repo.create':
      return 'Created the repository';
    case 'repo.update':
      return repoUpdate(e.after);
    case 'repo.star':
      return 'Starred the repository';
    case 'repo.unstar':
      return 'Removed the star';
    case 'repo.delete':
      return 'Deleted the repository (to the trash)';
    case 'repo.restore':
      return 'Restored the repository from the trash';
    case 'tag.create':
      return `Pushed new tag ${tag} (${image(e.after)})`;
    case 'tag.move':
      return `Moved tag ${tag} from ${image(e.before)} to ${image(e.after)}`;
    case 'tag.push':
      return `Pushed tag ${tag} again (${image(e.after)})`;
    case 'tag.delete':
      return `Deleted tag ${tag} (${image(e.before)})`;
    case 'tag.restore':
      return `Restored tag ${tag} to ${image(e.after)}`;
    default:
      return tag ? `${e.action} ${tag}` : e.action;
  }
}

/** An entry a tag can be restored from: one of a tag, after which it existed. */
export function restorable(e: HistoryEntryView): boolean {
  return e.tag !== undefined && typeof e.after === 'string';
}

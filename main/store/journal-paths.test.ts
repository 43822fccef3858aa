/**
 * The journal names the files it holds by path; replay follows only the shapes of the catalogue's
 * own files (docs/architecture.md): namespace and repo files, history chunks and trash entries.
 * Anything else, a path climbing out of the data folder included, is refused.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeJournalPath } from './journal-format';

const DATA = '/data';
const ID = '01kdvdna30ffa1ej1c02ct8nsa';
const ID2 = '01kdvdnaz0wzw08r9fat6bk68n';

describe("the journal's paths", () => {
  it.each(['namespaces/acme/namespace.json', 'namespaces/acme/repos/web.json', `history/${ID}/${ID2}.json`, `trash/${ID}.json`])(
    'follows %s',
    (path) => {
      expect(safeJournalPath(DATA, path)).toBe(join(DATA, ...path.split('/')));
    },
  );

  it.each([
    'berth.json',
    'namespaces/../berth.json',
    'namespaces/acme/repos/../../../outside.json',
    `history/${ID}/../../berth.json`,
    `history/${ID}/notanid.json`,
    `history/../${ID}.json`,
    `history/${ID}.json`,
    `trash/${ID}`,
    `trash/${ID.toUpperCase()}.json`,
    `trash/../${ID}.json`,
    `trash/${ID}/${ID2}.json`,
    'token',
    'journal/000000000001.log',
  ])('refuses %s', (path) => {
    expect(safeJournalPath(DATA, path)).toBeNull();
  });
});

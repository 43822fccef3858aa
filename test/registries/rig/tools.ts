/** The system tools the registry rigs need, found on PATH or reported with how to install them. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const INSTALL_HINT = 'apt-get install docker-registry skopeo openssl';

export function findTool(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The tool's path; a missing tool fails the test with the install command (the registry tools'
 * unless told another), never skips it.
 */
export function requireTool(name: string, install = INSTALL_HINT): string {
  const path = findTool(name);
  if (!path) throw new Error(`${name} is not installed (not found on PATH). The tests need it: ${install}`);
  return path;
}

import type { ServerInfo } from '../../../main/contract/types';

/** host:port as `docker pull` wants it, e.g. 127.0.0.1:5080. */
export function registryHost(info: ServerInfo | undefined): string {
  if (!info) return 'localhost';
  if (info.url) {
    try {
      return new URL(info.url).host;
    } catch {
      // fall back to the parts below
    }
  }
  return `${info.host}:${info.port}`;
}

export function pullCommand(info: ServerInfo | undefined, namespace: string, repoName: string, tag?: string): string {
  return `docker pull ${registryHost(info)}/${namespace}/${repoName}${tag ? `:${tag}` : ''}`;
}

/** The short id `docker images` prints: the first 12 hex characters. */
export function shortImageId(imageId: string): string {
  return imageId.replace(/^sha256:/, '').slice(0, 12);
}

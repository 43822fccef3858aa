/**
 * The `notifications:` block a CNCF Distribution registry needs to send its events to Berth
 * (config.yml; docs/registries.md, "Live registry events"). Blob events are left out at the
 * source (`ignoredmediatypes`); Berth ignores any that still come.
 */
import type { EventsConfigView } from '../contract/types';

/** A YAML double-quoted scalar (JSON strings are valid YAML). */
const quoted = (text: string): string => JSON.stringify(text);

export function eventsConfig(apiUrl: string, registry: string, secret: string): EventsConfigView {
  const url = `${apiUrl.replace(/\/+$/, '')}/v1/registries/${encodeURIComponent(registry)}/events`;
  const yaml = [
    'notifications:',
    '  events:',
    '    includereferences: true',
    '  endpoints:',
    `    - name: ${quoted(`berth-${registry}`)}`,
    `      url: ${quoted(url)}`,
    '      headers:',
    `        Authorization: [${quoted(`Bearer ${secret}`)}]`,
    '      timeout: 5s',
    '      threshold: 5',
    '      backoff: 1s',
    '      ignoredmediatypes:',
    '        - application/octet-stream',
    '',
  ].join('\n');
  return { url, secret, yaml };
}

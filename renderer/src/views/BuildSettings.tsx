/**
 * A repo's automated-build settings, read-only. Local tools (the hosted service's own clients)
 * set them over the API; Berth keeps them and builds nothing. They are whatever JSON a client
 * sent, so every value is shown as plain text: never HTML, never a link.
 */
import { useId } from 'react';
import type { BuildConfigView } from '../../../main/contract/types';

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One value as text: strings as they are, anything else as compact JSON; absent is a dash. */
function text(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return JSON.stringify(value);
}

/** Where the code comes from: a clone URL (the Simple client) or the hosted code repo's path. */
function sourceOf(config: Json): unknown {
  if (config.code_repo_clone_url !== undefined) return config.code_repo_clone_url;
  if (config.code_repo_path !== undefined) return config.code_repo_path;
  if (typeof config.code_repo_namespace === 'string' && typeof config.code_repo_name === 'string') {
    return `${config.code_repo_namespace}/${config.code_repo_name}`;
  }
  return undefined;
}

/** Tag configs are a list in the hosted service's documents; some clients send a single object. */
function tagConfigsOf(config: Json): Json[] {
  const value = config.tag_configs;
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

export function BuildSettings({ config }: { config: BuildConfigView }) {
  const headingId = useId();
  const tagConfigs = tagConfigsOf(config);
  return (
    <section className="build-settings" aria-labelledby={headingId}>
      <div className="section-header">
        <h3 id={headingId} className="section-title">
          Build settings
        </h3>
        <span className="muted">Read-only: set by API clients; Berth runs no builds.</span>
      </div>
      <dl className="build-facts">
        <div>
          <dt>Code repo client</dt>
          <dd>{text(config.code_repo_client)}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd className="mono">{text(sourceOf(config))}</dd>
        </div>
      </dl>
      {tagConfigs.length === 0 ? (
        <p className="muted">No tag configurations.</p>
      ) : (
        <table className="tags-table build-tags">
          <caption className="sr-only">Tag configurations of the build settings</caption>
          <thead>
            <tr>
              <th scope="col">Tag</th>
              <th scope="col">Branch or tag</th>
              <th scope="col">Dockerfile</th>
              <th scope="col">Build context</th>
              <th scope="col">Active</th>
            </tr>
          </thead>
          <tbody>
            {tagConfigs.map((tagConfig, index) => (
              <tr key={index}>
                <th scope="row" className="tag-name">
                  {text(tagConfig.docker_repo_tag ?? tagConfig.docker_build_tag)}
                </th>
                <td>
                  {tagConfig.code_repo_type === undefined ? '' : `${text(tagConfig.code_repo_type)} `}
                  <span className="mono">{text(tagConfig.code_repo_type_value)}</span>
                </td>
                <td className="mono">{text(tagConfig.dockerfile_location)}</td>
                <td className="mono">{text(tagConfig.build_context_path)}</td>
                <td>{text(tagConfig.is_active)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details className="build-json">
        <summary>All build settings (JSON)</summary>
        <pre>{JSON.stringify(config, null, 2)}</pre>
      </details>
    </section>
  );
}

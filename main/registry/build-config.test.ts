import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILD_CONFIG_MAX_BYTES, BUILD_CONFIG_MESSAGES, buildConfigView, validateBuildConfig } from './build-config';

const compactBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** A build_config whose compact JSON is exactly `bytes` long, padded with `filler` (1, 2, 3 or 4 UTF-8 bytes). */
function configOfSize(bytes: number, filler = 'x'): Record<string, unknown> {
  const base = { code_repo_client: 'Simple', pad: '' };
  const room = bytes - compactBytes(base);
  const unit = compactBytes(filler) - 2;
  const pad = filler.repeat(Math.floor(room / unit)) + 'x'.repeat(room % unit);
  const config = { ...base, pad };
  expect(compactBytes(config)).toBe(bytes);
  return config;
}

describe('build settings: what is accepted', () => {
  it('takes the hosted service sample, and null (which removes the settings)', () => {
    const sample = {
      code_repo_client: 'Simple',
      code_repo_clone_url: 'http://github.com/example/example.git',
      tag_configs: [
        {
          code_repo_type: 'branch',
          code_repo_type_value: 'master',
          docker_repo_tag: 'latest',
          dockerfile_location: '/',
          is_active: false,
          version_tagging: 1,
        },
      ],
    };
    expect(validateBuildConfig(sample)).toBeNull();
    expect(validateBuildConfig({})).toBeNull();
    expect(validateBuildConfig(null)).toBeNull();
  });

  it('refuses anything but an object', () => {
    for (const value of ['Simple', 1, true, [], [{ code_repo_client: 'Simple' }], undefined]) {
      expect(validateBuildConfig(value)).toBe(BUILD_CONFIG_MESSAGES.notObject);
    }
  });

  it('measures 16 KiB as compact JSON in UTF-8: exactly 16,384 bytes pass, one more does not', () => {
    // One-, two-, three- and four-byte characters (é, €, 😀), and escapes that grow in JSON (", \n, control characters).
    for (const filler of ['x', 'é', '€', '😀', '"', '\n', '\u0001']) {
      expect({ filler, refused: validateBuildConfig(configOfSize(BUILD_CONFIG_MAX_BYTES, filler)) }).toEqual({ filler, refused: null });
      expect({ filler, refused: validateBuildConfig(configOfSize(BUILD_CONFIG_MAX_BYTES + 1, filler)) }).toEqual({
        filler,
        refused: BUILD_CONFIG_MESSAGES.tooLarge,
      });
    }
  });

  it('agrees with JSON.stringify on the size of any JSON object (property, seeded by fast-check)', () => {
    const object = fc
      .dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 })
      // Keys refused at any depth (tested below) are left out: this property is about size.
      .filter(
        (o) => !Object.hasOwn(o, '~pad') && !JSON.stringify(o).includes('"__proto__":') && !JSON.stringify(o).includes('"constructor":{'),
      );
    fc.assert(
      fc.property(object, fc.constantFrom(-1, 0, 1, null), (config, offset) => {
        // Most objects are small: pad some to just under, at or just over the limit, to probe the boundary.
        let value: Record<string, unknown> = config;
        if (offset !== null) {
          const overhead = Object.keys(config).length === 0 ? '"~pad":""'.length : ',"~pad":""'.length;
          const pad = BUILD_CONFIG_MAX_BYTES + offset - compactBytes(config) - overhead;
          if (pad >= 0) value = { ...config, '~pad': 'p'.repeat(pad) };
        }
        const expected = compactBytes(value) <= BUILD_CONFIG_MAX_BYTES ? null : BUILD_CONFIG_MESSAGES.tooLarge;
        expect(validateBuildConfig(value)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses __proto__ and constructor.prototype keys at any depth, naming where', () => {
    const proto = JSON.parse('{"tag_configs": [{"__proto__": {"polluted": true}}]}') as Record<string, unknown>;
    expect(validateBuildConfig(proto)).toBe(BUILD_CONFIG_MESSAGES.forbiddenKey('__proto__', 'build_config.tag_configs[0]'));
    const ctor = JSON.parse('{"a": {"constructor": {"prototype": {"polluted": true}}}}') as Record<string, unknown>;
    expect(validateBuildConfig(ctor)).toBe(BUILD_CONFIG_MESSAGES.forbiddenKey('constructor.prototype', 'build_config.a'));
    // A key named constructor (without a prototype inside) is plain data.
    expect(validateBuildConfig({ constructor: 'docker', toString: { x: 1 } })).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses what JSON cannot hold (the window could send it through structured clone)', () => {
    // eslint-disable-next-line no-sparse-arrays
    const holes = [1, , 3];
    for (const value of [
      { a: undefined },
      { a: Number.NaN },
      { a: Infinity },
      { a: 1n },
      { a: new Date(0) },
      { a: new Map() },
      { a: holes },
      { a: () => 1 },
    ]) {
      expect(validateBuildConfig(value)).toBe(BUILD_CONFIG_MESSAGES.notJson);
    }
  });

  it('refuses settings nested deeper than 64 levels, without exhausting the stack on deeper ones', () => {
    const nest = (levels: number): Record<string, unknown> => {
      let value: Record<string, unknown> = {};
      for (let i = 1; i < levels; i++) value = { a: value };
      return value;
    };
    expect(validateBuildConfig(nest(64))).toBeNull();
    expect(validateBuildConfig(nest(65))).toBe(BUILD_CONFIG_MESSAGES.tooDeep);
    expect(validateBuildConfig(nest(100_000))).toBe(BUILD_CONFIG_MESSAGES.tooDeep);
  });

  it('stops at the budget instead of walking a huge object', () => {
    const huge: Record<string, number> = {};
    for (let i = 0; i < 200_000; i++) huge[`k${i}`] = i;
    expect(validateBuildConfig(huge)).toBe(BUILD_CONFIG_MESSAGES.tooLarge);
    expect(validateBuildConfig({ a: 'x'.repeat(50_000_000) })).toBe(BUILD_CONFIG_MESSAGES.tooLarge);
  });
});

describe('build settings: how the detail shows them', () => {
  it('as given, with created_by and docker_repo_path added (theirs win over a sent value)', () => {
    const given = { code_repo_client: 'GitHub', code_repo_namespace: 'octo', created_by: 'someone-else' };
    expect(buildConfigView('madams', 'web', given)).toEqual({
      code_repo_client: 'GitHub',
      code_repo_namespace: 'octo',
      created_by: 'madams',
      docker_repo_path: 'madams/web',
    });
    expect(buildConfigView('madams', 'web', undefined)).toBeNull();
  });
});

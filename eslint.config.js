import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * The layers of main/ (docs/architecture.md): what each folder must not import. Tests may cross
 * layers; the composition root (main/backend.ts), the Electron entry (main/index.ts) and the
 * `serve` CLI wire everything together and are not restricted.
 */
const ROOT_MODULES = ['backend', 'backend.options', 'api-listener', 'index'];
const LAYERS = {
  contract: {
    forbidden: ['registry', 'store', 'files', 'http', 'ipc', 'registries', 'sync', 'settings', 'auth', 'electron', 'cli', ...ROOT_MODULES],
    why: 'main/contract is shared with the preload and the renderer: it imports nothing else of main/.',
  },
  files: {
    forbidden: [
      'contract',
      'registry',
      'store',
      'http',
      'ipc',
      'registries',
      'sync',
      'settings',
      'auth',
      'electron',
      'cli',
      ...ROOT_MODULES,
    ],
    why: 'main/files is the bottom layer (durable file writes): it imports nothing else of main/.',
  },
  store: {
    forbidden: ['registry', 'http', 'ipc', 'registries', 'sync', 'settings', 'auth', 'electron', 'cli', ...ROOT_MODULES],
    why: 'main/store persists records; the rules over them live in main/registry, which imports the store, never the reverse.',
  },
  registry: {
    forbidden: ['http', 'ipc', 'registries', 'sync', 'settings', 'auth', 'electron', 'cli', ...ROOT_MODULES],
    why: 'main/registry holds the rules over the store; the adapters (http, ipc) call it, never the reverse.',
  },
  http: {
    forbidden: ['store', 'files', 'ipc', 'registries', 'sync', 'settings', 'electron', 'cli', ...ROOT_MODULES],
    why: 'main/http is a thin adapter over the registry service: it never reaches the store or the composition root.',
  },
  ipc: {
    forbidden: ['store', 'files', 'http', 'registries', 'sync', 'auth', 'electron', 'cli', ...ROOT_MODULES],
    why: 'main/ipc is a thin adapter over the registry service and settings: it never reaches the store, HTTP or the composition root.',
  },
  registries: {
    forbidden: ['store', 'http', 'ipc', 'registry', 'settings', 'auth', 'electron', 'cli', ...ROOT_MODULES],
    why: 'main/registries (the OCI client) stands alone: contract errors and durable files only, never the store, HTTP or the registry.',
  },
  sync: {
    forbidden: ['store', 'files', 'http', 'ipc', 'settings', 'auth', 'electron', 'cli', ...ROOT_MODULES],
    why: 'main/sync ties the registry (catalogue rules) to main/registries (real registries); it never reaches the store or the adapters.',
  },
  settings: {
    forbidden: ['store', 'registry', 'http', 'ipc', 'registries', 'sync', 'auth', 'electron', 'cli', ...ROOT_MODULES],
    why: 'main/settings knows only the contract: Electron glue and tests give it its key-value store.',
  },
  auth: {
    forbidden: ['store', 'registry', 'http', 'ipc', 'registries', 'sync', 'settings', 'electron', 'cli', ...ROOT_MODULES],
    why: 'main/auth (the API token) knows only the contract.',
  },
  electron: {
    forbidden: ['store', 'files', 'http', 'registries'],
    why: 'The Electron glue wires the window to the backend the composition root built; it does not reach into the store or HTTP.',
  },
};
const ELECTRON_ONLY_IN_GLUE = {
  regex: '^electron(/.*)?$',
  message: 'Only the Electron glue (main/electron, main/index.ts) imports electron: everything else runs in plain Node.',
};
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One config per folder depth: a file N folders below main/ reaches main/<name> as ('../' × N) + name. */
function layerConfigs() {
  const configs = [];
  for (const [folder, { forbidden, why }] of Object.entries(LAYERS)) {
    for (let depth = 1; depth <= 3; depth++) {
      const up = '\\.\\./'.repeat(depth);
      const patterns = forbidden.map((name) => ({ regex: `^${up}${escape(name)}(\\.ts)?(/.*)?$`, message: why }));
      if (folder !== 'electron') patterns.push(ELECTRON_ONLY_IN_GLUE);
      configs.push({
        files: [`main/${folder}/${'*/'.repeat(depth - 1)}*.ts`],
        ignores: ['**/*.test.ts'],
        rules: { 'no-restricted-imports': ['error', { patterns }] },
      });
    }
  }
  return configs;
}

/** The renderer and the preload reach the backend only through window.berth and the contract. */
const OUTSIDE_CONTRACT = {
  regex: '(^|/)main/(?!contract/)',
  message: 'The window reaches main/ only through main/contract (types, schemas, naming rules) and window.berth.',
};

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'test-results', 'playwright-report', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      // Type-aware rules read the program as tsc does: main/, preload/, test/, bench/ through
      // tsconfig.json, the renderer through tsconfig.web.json.
      parserOptions: { project: ['./tsconfig.json', './tsconfig.web.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // A promise nobody awaits loses its error; one passed where a plain callback belongs is never awaited.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // Plain JavaScript (this file, scripts/*.mjs) is outside the TypeScript programs.
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...layerConfigs(),
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            OUTSIDE_CONTRACT,
            { regex: '^(electron|node:.*)$', message: 'The renderer runs in a sandboxed page: no Electron, no Node.' },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [OUTSIDE_CONTRACT] }] },
  },
);

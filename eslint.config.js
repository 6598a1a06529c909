// @ts-check
/**
 * Lint that guards the layers and the workflow code (`npm run lint`, run by .ci/run before the tests).
 *
 * - Promises: `no-floating-promises` (type-aware, via the TypeScript project service and tsconfig.json) in the
 *   runtime code. A promise is awaited, returned, handled with `.catch`, or marked fire-and-forget with `void`.
 * - Unused code: `no-unused-vars` everywhere; a `_`-prefixed name marks a deliberately unused one.
 * - Editor: React's rules of hooks and exhaustive-deps (eslint-plugin-react-hooks).
 * - Layers, with `no-restricted-imports` patterns per folder (test files are exempt):
 *     core/             ↛ server/
 *     workflows/        ↛ server/
 *     nodes/            imports only nodes/ and packages (custom-nodes/: only itself, nodes/ and packages)
 *     workflows/model/  imports only itself, nodes/ and packages, minus the Node-only ones (type-only imports are fine);
 *                       it is the pure journey model, shared with the editor
 *     editor/           ↛ core/, server/ (type-only imports are fine)
 * - Workflow code (`*.workflow.ts`, bundled into Temporal's deterministic sandbox, and `workflows/model/`): no Node
 *   built-ins, no mongodb, no @temporalio/client|worker|activity|testing, no dynamic import or require; a
 *   `workflows/**\/*.workflow.ts` file imports at runtime only from workflows/model/, nodes/, other workflow files and
 *   packages (activities are imported as types). `@temporalio/workflow` is imported at runtime only by *.workflow.ts.
 *   Workflow files elsewhere (test/bench/) get the package rules only.
 *
 * Relative imports are matched exactly: the patterns are made per folder depth, so `../../server/x` from
 * core/store/a.ts (two levels down) names server/, and `../server/x` from there would not.
 */
import { builtinModules } from 'node:module';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const SOURCES = '{ts,tsx,mts,cts,js,mjs,cjs}';
/** Files are linted for relative imports up to this many folders below the repo root. */
const MAX_DEPTH = 8;
/** The runtime code, linted with type information (no-floating-promises). */
const TYPED = ['server', 'core', 'workflows', 'nodes', 'custom-nodes', 'scripts', 'editor/src', 'test'];
const TESTS = ['**/*.test.{ts,tsx}', 'test/**'];

const escape = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const startsWith = (/** @type {string[]} */ a, /** @type {string[]} */ b) => b.every((seg, i) => a[i] === seg);
/** Matches a relative import that climbs exactly `k` folders (`./x` for 0). */
const up = (/** @type {number} */ k) => (k === 0 ? '\\./(?!\\.\\./)' : `(?:\\./)?(?:\\.\\./){${k}}(?!\\.\\./)`);

/**
 * A regex (source) matching the relative imports that leave the allowed folders (`allow`) or enter denied ones
 * (`deny`), for a file `depth` folders below the root inside folder `base`. Folders are root-relative, as segments.
 * @param {string} base
 * @param {number} depth
 * @param {{ allow?: string[], deny?: string[], except?: string }} rule  `except`: a regex (source) of import paths always allowed
 */
function leaving(base, depth, { allow, deny, except }) {
  const home = base.split('/');
  const allowed = allow?.map((p) => p.split('/'));
  const denied = deny?.map((p) => p.split('/'));
  const alternatives = (/** @type {string[][]} */ prefixes, /** @type {string[]} */ at) =>
    prefixes.filter((p) => p.length > at.length && startsWith(p, at)).map((p) => p.slice(at.length).map(escape).join('/'));
  /** @type {string[]} */
  const out = [];
  for (let k = 0; k <= depth; k++) {
    // Climbing k folders lands below `home` (names unknown) while k < depth - home.length, else on a known folder.
    const at = k < depth - home.length ? null : home.slice(0, depth - k);
    if (allowed) {
      if (allowed.some((p) => startsWith(at ?? home, p))) continue;
      const alts = at ? alternatives(allowed, at) : [];
      out.push(alts.length ? `${up(k)}(?!(?:${alts.join('|')})(?:/|$))` : up(k));
    }
    if (denied && at) {
      const alts = alternatives(denied, at);
      if (alts.length) out.push(`${up(k)}(?:${alts.join('|')})(?:/|$)`);
    }
  }
  if (allowed) out.push(`(?:\\./)?(?:\\.\\./){${depth + 1},}`); // out of the repo
  if (!out.length) return null;
  return `^${except ? `(?!${except})` : ''}(?:${out.join('|')})`;
}

/**
 * Config blocks, one per folder depth, for the files under `base` (matching `name`).
 * @returns {import('eslint').Linter.Config[]}
 */
function perDepth(/** @type {string} */ base, /** @type {string} */ name, /** @type {(depth: number) => any[]} */ patternsAt) {
  const first = base.split('/').length;
  return Array.from({ length: MAX_DEPTH - first + 1 }, (_, i) => {
    const depth = first + i;
    return {
      name: `journeys/${base}/${name}/depth-${depth}`,
      files: [`${base}/${'*/'.repeat(depth - first)}${name}`],
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: patternsAt(depth).filter(Boolean) }] },
    };
  });
}

const WORKFLOW_ONLY = {
  regex: '^@temporalio/workflow(?:/|$)',
  allowTypeImports: true,
  message: '@temporalio/workflow works only inside a workflow: import it at runtime only in *.workflow.ts files.',
};
const NOT_IN_WORKFLOW_CODE = [
  {
    regex: `^(?:node:.*|(?:${builtinModules.map(escape).join('|')}))$`,
    allowTypeImports: true,
    message: 'Workflow code runs in a deterministic sandbox: no Node built-ins (do the I/O in an activity).',
  },
  {
    regex: '^(?:mongodb|@temporalio/(?:client|worker|activity|testing))(?:/|$)',
    allowTypeImports: true,
    message: 'Workflow code runs in a deterministic sandbox: no database driver, no Temporal client, worker or activity APIs (do the I/O in an activity).',
  },
];
/** @type {import('eslint').Linter.RulesRecord} */
const NO_DYNAMIC_LOADING = {
  'no-restricted-syntax': [
    'error',
    { selector: 'ImportExpression', message: 'Workflow code is bundled ahead of time: no dynamic import().' },
    { selector: "CallExpression[callee.name='require']", message: 'Workflow code is bundled ahead of time: no require().' },
  ],
};

/** A `patterns` entry from `leaving`, or null when nothing is restricted. */
function boundary(/** @type {string | null} */ regex, /** @type {string} */ message, allowTypeImports = false) {
  return regex && { regex, message, allowTypeImports };
}

export default defineConfig(
  globalIgnores(['**/node_modules/', '**/dist/', '.cache/', '.data/', 'artifacts/', 'bench-results/', 'coverage/']),

  {
    name: 'journeys/base',
    files: [`**/*.${SOURCES}`],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [WORKFLOW_ONLY] }],
    },
  },

  {
    name: 'journeys/typed',
    files: TYPED.map((dir) => `${dir}/**/*.{ts,tsx}`),
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },

  {
    name: 'journeys/editor-hooks',
    files: ['editor/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },

  // Layers. A later block replaces an earlier one's options for the same file, so each block lists all its patterns.
  ...perDepth('core', `*.${SOURCES}`, (d) => [
    WORKFLOW_ONLY,
    boundary(leaving('core', d, { deny: ['server'] }), 'core/ must not depend on the HTTP layer (server/).'),
  ]),
  // The store is below the engine: it builds follow-up events and returns them; ingestion (core/engine) runs them.
  ...perDepth('core/store', `*.${SOURCES}`, (d) => [
    WORKFLOW_ONLY,
    boundary(leaving('core', d, { deny: ['server'] }), 'core/ must not depend on the HTTP layer (server/).'),
    boundary(leaving('core/store', d, { deny: ['core/engine'] }), 'core/store/ must not depend on core/engine/: return the events to ingest instead of calling ingestion.'),
  ]),
  ...perDepth('workflows', `*.${SOURCES}`, (d) => [
    WORKFLOW_ONLY,
    boundary(leaving('workflows', d, { deny: ['server'] }), 'workflows/ must not depend on the HTTP layer (server/).'),
  ]),
  ...perDepth('workflows/model', `*.${SOURCES}`, (d) => [
    { ...WORKFLOW_ONLY, message: 'workflows/model/ is pure (shared with the editor): @temporalio/workflow only in *.workflow.ts.' },
    ...NOT_IN_WORKFLOW_CODE,
    boundary(
      leaving('workflows/model', d, { allow: ['workflows/model', 'nodes'] }),
      'workflows/model/ is the pure journey model: it imports only itself, nodes/ and packages (type-only imports are fine).',
      true,
    ),
  ]),
  ...perDepth('nodes', `*.${SOURCES}`, (d) => [
    WORKFLOW_ONLY,
    boundary(leaving('nodes', d, { allow: ['nodes'] }), 'nodes/ imports only nodes/ and packages.'),
  ]),
  ...perDepth('custom-nodes', `*.${SOURCES}`, (d) => [
    WORKFLOW_ONLY,
    boundary(leaving('custom-nodes', d, { allow: ['custom-nodes', 'nodes'] }), 'A custom node imports only its own folder, nodes/ and packages.'),
  ]),
  ...perDepth('editor', `*.${SOURCES}`, (d) => [
    WORKFLOW_ONLY,
    boundary(
      leaving('editor', d, { deny: ['core', 'server'] }),
      'The editor runs in the browser: no runtime imports of core/ or server/ (type-only imports are fine).',
      true,
    ),
  ]),
  {
    name: 'journeys/layers/tests-exempt',
    files: TESTS,
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },

  // Workflow code: Temporal bundles *.workflow.ts (and what it imports) into a deterministic sandbox.
  {
    name: 'journeys/workflow-code',
    files: ['**/*.workflow.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: NOT_IN_WORKFLOW_CODE }], ...NO_DYNAMIC_LOADING },
  },
  {
    name: 'journeys/workflow-model-code',
    files: [`workflows/model/**/*.${SOURCES}`],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: NO_DYNAMIC_LOADING,
  },
  ...perDepth('workflows', '*.workflow.ts', (d) => [
    ...NOT_IN_WORKFLOW_CODE,
    boundary(
      leaving('workflows', d, { allow: ['workflows/model', 'nodes'], except: '.*\\.workflow(?:\\.ts)?$' }),
      'Workflow code imports at runtime only workflows/model/, nodes/, other *.workflow.ts files and packages; import activities and other workflows/ modules as types.',
      true,
    ),
  ]),
);

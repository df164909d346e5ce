// @ts-check
import { builtinModules } from 'node:module';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const SOURCE_DIRS = ['src', 'workflows', 'activities', 'procedures', 'tests', 'bench', 'scripts', 'tools'];
const EXT = '{ts,mts,cts,js,mjs,cjs}';
const under = (dir) => `${dir}/**/*.${EXT}`;

// ---------------------------------------------------------------- deterministic, I/O-free code
// Workflow code is replayed: anything that reads the real clock, randomness, the process or does I/O
// breaks replay. src/domain and procedures are imported by workflows, so they obey the same rules.

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const nodeBuiltins = [...new Set(builtinModules.map((m) => m.split('/')[0]))].map(escape).join('|');

/** @param {{ workflowSdk: boolean }} opts */
const restrictedImports = ({ workflowSdk }) => ({
  patterns: [
    {
      regex: `^(node:|(${nodeBuiltins})(/|$))`,
      caseSensitive: true,
      message: 'Node built-ins do I/O or are non-deterministic; do it in an activity.',
    },
    { regex: '^(@prisma/|prisma$|pg($|/))', message: 'Database access belongs in activities/.' },
    { regex: '^@nestjs/', message: 'NestJS belongs in src/ outside src/domain.' },
    workflowSdk
      ? {
          regex: '^@temporalio/(client|worker|activity|testing)($|/)',
          message: 'Workflow code may import only @temporalio/workflow from the SDK.',
        }
      : {
          regex: '^@temporalio/',
          message: 'Pure domain code does not depend on Temporal; only workflows/ may import @temporalio/workflow.',
        },
    {
      regex: '^(\\.\\./)+activities($|/)',
      allowTypeImports: true,
      message: 'Only `import type` from activities/ (activities run outside the workflow sandbox).',
    },
    {
      regex: '^(\\.\\./)+(src/)?(db|infra|config|api|worker)($|/)',
      message: 'Only pure src/domain code may be imported here.',
    },
  ],
});

const restrictedGlobals = [
  ...['process', 'require', 'setTimeout', 'setInterval', 'setImmediate'].map((name) => ({
    name,
    message: `${name} is not deterministic or does I/O; use @temporalio/workflow (sleep, condition) or an activity.`,
  })),
  { name: 'crypto', message: 'Random values are not deterministic; use uuid4() from @temporalio/workflow or pass them in.' },
  { name: 'performance', message: 'Read time through workflows/clock.ts.' },
];

const restrictedProperties = [
  { object: 'Math', property: 'random', message: 'Not deterministic; use random() from @temporalio/workflow or pass the value in.' },
  ...['process', 'require', 'setTimeout', 'setInterval', 'setImmediate', 'crypto', 'performance'].map((property) => ({
    object: 'globalThis',
    property,
    message: `${property} is not deterministic or does I/O.`,
  })),
];

const clockSyntax = [
  {
    selector: "NewExpression[callee.type='Identifier'][callee.name='Date'][arguments.length=0]",
    message: 'new Date() reads the clock: use workflowNow() from workflows/clock.ts, or take `now` as an argument.',
  },
  {
    selector: "MemberExpression[object.type='Identifier'][object.name='Date'][property.name='now']",
    message: 'Date.now() reads the clock: use workflowNow() from workflows/clock.ts, or take `now` as an argument.',
  },
  {
    selector: "CallExpression[callee.type='Identifier'][callee.name='Date']",
    message: 'Date() reads the clock: use workflowNow() from workflows/clock.ts, or take `now` as an argument.',
  },
];

/** @param {{ workflowSdk: boolean }} opts */
const deterministicRules = (opts) => ({
  'no-restricted-imports': 'off',
  '@typescript-eslint/no-restricted-imports': ['error', restrictedImports(opts)],
  'no-restricted-globals': ['error', ...restrictedGlobals],
  'no-restricted-properties': ['error', ...restrictedProperties],
  'no-restricted-syntax': ['error', ...clockSyntax],
});

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', '.tools/', '.data/', 'coverage/', 'prisma/calendar/', 'reports/', '.stryker-tmp/']),

  {
    files: SOURCE_DIRS.map(under),
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },

  // Plain Node scripts are CommonJS.
  {
    files: [`scripts/**/*.{js,cjs}`],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  { files: [under('src/domain'), under('procedures')], rules: deterministicRules({ workflowSdk: false }) },
  { files: [under('workflows')], rules: deterministicRules({ workflowSdk: true }) },

  // Imports point down: the database, configuration and activities never import workflow code (shared names live in
  // src/domain/shared-names.ts), and the pure domain never imports a procedure (definition types live in the kernel).
  {
    files: [under('src/db'), under('src/config'), under('activities')],
    ignores: [under('src/domain')],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(\\.\\./)+workflows($|/)', allowTypeImports: true, message: 'Imports point down: shared names live in src/domain/shared-names.ts, not in workflows/.' },
          ],
        },
      ],
    },
  },
  {
    files: [under('src/domain')],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...restrictedImports({ workflowSdk: false }).patterns,
            { regex: '^(\\.\\./)+procedures($|/)', message: 'Imports point down: the kernel knows no procedure; definition types live in src/domain/kernel/definition.ts.' },
          ],
        },
      ],
    },
  },

  // The single place that reads the SDK's deterministic workflow clock (Date is patched inside the sandbox).
  { files: ['workflows/clock.ts'], rules: { 'no-restricted-syntax': 'off' } },
);

// Flat ESLint config. Layering is enforced here (STYLE §4.1): engine/ is
// pure TypeScript, renderer/ never reaches into main/, preload/ holds the
// contract shared by both sides.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const FORBIDDEN_IN_ENGINE = [
  {
    group: ['electron', 'electron/*', 'react', 'react-dom', 'react/*'],
    message: 'engine/ is pure TypeScript: no electron or react.',
  },
  {
    group: ['**/main/**', '**/preload/**', '**/renderer/**'],
    message: 'engine/ may not import main/, preload/ or renderer/.',
  },
];

// the Raft core and the state machine replay from a seed: no clock and no
// randomness of their own (DESIGN §3.1, §3.3)
const NONDETERMINISM = [
  { object: 'Date', property: 'now', message: 'inject a Clock' },
  { object: 'Math', property: 'random', message: 'inject an Rng' },
  { object: 'performance', property: 'now', message: 'inject a Clock' },
  { object: 'crypto', property: 'randomUUID', message: 'inject an Rng' },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'bench/results/**',
      'test-results/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
    },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: ['error', 'all'],
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: FORBIDDEN_IN_ENGINE }],
    },
  },
  {
    files: [
      'engine/raft/**/*.ts',
      'engine/state/**/*.ts',
      'engine/sim/**/*.ts',
    ],
    rules: {
      'no-restricted-properties': ['error', ...NONDETERMINISM],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'the core is driven by tick()' },
        { name: 'setInterval', message: 'the core is driven by tick()' },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', 'electron', 'node:*'],
              message: 'renderer/ never imports main/, electron or node.',
            },
            {
              group: ['**/engine/**'],
              allowTypeImports: true,
              message: 'renderer/ imports engine/ for types only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    ignores: ['preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', '**/main/**', '**/renderer/**'],
              message: 'the contract in preload/ holds no electron code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/studio/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', '**/renderer/**'],
              message: 'main/studio is Electron-free.',
            },
          ],
        },
      ],
    },
  },
  {
    // the CLI and scripts print for people; that is their output
    files: ['main/cli/**/*.ts', 'scripts/**', 'bench/**', 'bin/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

// Lint: typescript-eslint with type information (floating promises and friends), and the fence that
// keeps src/domain pure (ARCHITECTURE.md sections 1-2). Formatting is Prettier's (`npm run lint` checks it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const purity = 'src/domain is pure (ARCHITECTURE.md section 1)';
const determinism = 'src/domain is deterministic: take time, ids and random numbers as inputs';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'bench/results/**',
      'coverage/**',
      'reports/**',
      '.stryker-tmp/**',
      '**/*.cjs',
      '**/*.js',
      // The dashboard's browser modules are linted (below), without type information: they are plain
      // JavaScript served as is (no build step), outside the TypeScript project.
      '!src/api/dashboard/**',
      'src/api/client/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Async methods that implement a promise-returning port without awaiting are fine.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'use a string-literal union' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(node:|fs$|path$|os$|net$|crypto$|child_process$|worker_threads$)',
              message: `${purity}: no Node built-ins`,
            },
            {
              regex: '^(@nats-io/|ioredis$|fastify$|@fastify/|pino$|prom-client$|commander$)',
              message: `${purity}: no I/O libraries`,
            },
            {
              regex: '(^|/)(adapters|api|app|cli|worker|projections|ui)(/|$)|(^|/)main\\.ts$',
              message: `${purity}: it imports nothing outside itself`,
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'Date',
          'setTimeout',
          'setInterval',
          'setImmediate',
          'queueMicrotask',
          'process',
          'Buffer',
          'fetch',
          'require',
        ].map((name) => ({ name, message: `${purity}: no clock, timers, environment or I/O` })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: determinism },
        { object: 'performance', property: 'now', message: determinism },
        { object: 'crypto', property: 'randomUUID', message: determinism },
        { object: 'crypto', property: 'getRandomValues', message: determinism },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // vitest's asymmetric matchers (expect.objectContaining, ...) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  prettier,
  {
    files: ['src/api/dashboard/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.browser },
      sourceType: 'module',
    },
  },
);

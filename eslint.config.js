// ESLint flat config: typescript-eslint's recommended rules for the TypeScript packages and apps,
// the JS recommended rules for scripts, benches and the browser pages; formatting is Prettier's job.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      'test-results/**',
      'bench/results/**',
      '.tracefleet/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // `void promise` marks a deliberate fire-and-forget.
      'no-void': 'off',
      'prefer-const': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Tests read untyped JSON answers of the API and the infra files.
    files: ['test/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Pages served to browsers (no build step).
    files: ['apps/api/src/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  prettier,
);

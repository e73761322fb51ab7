// Lint rules for the whole project: typescript-eslint's recommended set over src/, test/,
// bench/ and scripts/. `npm test` runs it before Vitest, so a finding fails CI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'schema/**', 'examples/**/reports/**', '**/.llm-eval/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        setImmediate: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly',
        TextDecoder: 'readonly', structuredClone: 'readonly', fetch: 'readonly', Response: 'readonly',
        performance: 'readonly', queueMicrotask: 'readonly', globalThis: 'readonly', document: 'readonly',
        window: 'readonly', location: 'readonly', history: 'readonly', navigator: 'readonly',
        __dirname: 'readonly', require: 'readonly', module: 'writable', exports: 'writable',
      },
    },
    rules: {
      // Sanitizers and their tests match terminal control characters on purpose.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);

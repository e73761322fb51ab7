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
  {
    files: ['src/**/*.ts'],
    rules: {
      // A list spread into call arguments overflows the stack past ~100k items (a per-case list at
      // scale): use pushAll / minOf / maxOf from src/util/arrays.ts.
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name=/^(push|unshift)$/] > SpreadElement", message: 'push(...list) overflows the stack on long lists: use pushAll from src/util/arrays.ts' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name=/^(min|max)$/] > SpreadElement", message: 'Math.min/max(...list) overflows the stack on long lists: use minOf/maxOf from src/util/arrays.ts' },
      ],
    },
  },
  {
    // results/ is storage and summaries: it must not reach forward into the stages that judge or
    // render a run (docs/architecture.md, "Which way imports run").
    files: ['src/results/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../gate/*', '../gate'], message: 'results/ produces data; only gate/ turns it into a verdict (gate/decide.ts).' },
            { group: ['../comparison/*', '../runner/*', '../reporters/*', '../cli/*'], message: 'results/ must not import a later pipeline stage.' },
          ],
        },
      ],
    },
  },
);

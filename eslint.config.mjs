// ESLint flat config: security rules only (no style). Forbids unsanitized HTML sinks
// (innerHTML/outerHTML/insertAdjacentHTML/document.write ...) in the extension and the
// webview, and every form of eval. See docs/robustness.md.
import tseslint from 'typescript-eslint';
import nounsanitized from 'eslint-plugin-no-unsanitized';

export default [
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-output/**'] },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module',
      // declared so that no-implied-eval recognises setTimeout("code") and friends
      globals: { setTimeout: 'readonly', setInterval: 'readonly', execScript: 'readonly', window: 'readonly', globalThis: 'readonly', self: 'readonly' },
    },
    // the typescript-eslint plugin is registered (no rule enabled) so that disable comments
    // naming its rules resolve
    plugins: { 'no-unsanitized': nounsanitized, '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      'no-unsanitized/method': 'error',
      'no-unsanitized/property': 'error',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
];

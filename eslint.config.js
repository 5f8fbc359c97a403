// Flat config: typescript-eslint's recommended rules on our sources; generated output ignored.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['bin/**/*.js', 'eslint.config.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'never evaluate user text' },
        { selector: "NewExpression[callee.name='Function']", message: 'never evaluate user text' },
      ],
    },
  },
  {
    files: ['sim/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'sim/ is deterministic: use a named random stream' },
        { object: 'Date', property: 'now', message: 'sim/ runs on the virtual clock' },
        { object: 'performance', property: 'now', message: 'sim/ runs on the virtual clock' },
      ],
    },
  },
);

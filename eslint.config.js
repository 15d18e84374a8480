// Lint rules for the whole repository (`npm run lint`, run by .ci/run before the tests):
// ESLint's recommended rules plus typescript-eslint's, for src/, test/ and scripts/.
// Formatting is Prettier's job (.prettierrc.json), so no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a value taken only to be left out (destructuring, unused callback args).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Control bytes are the subject matter here (NUL-dropping, ESC colours, curl's URL checks).
      'no-control-regex': 'off',
    },
  },
);

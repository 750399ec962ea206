// TypeScript rules for the plugin, the local org, scripts and tests; Salesforce's LWC rules
// for the components.
import tseslint from 'typescript-eslint';
import lwcEslint from '@salesforce/eslint-config-lwc';
import globals from 'globals';

export default [
  { ignores: ['lib/**', 'node_modules/**', 'coverage/**', '**/*.cjs', 'force-app/main/default/staticresources/**', 'tmp/**'] },
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: ['plugin-src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'] })),
  {
    files: ['plugin-src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error'
    }
  },
  ...lwcEslint.configs.recommended.map((c) => ({ ...c, files: ['force-app/**/lwc/**/*.js'] })),
  // the preview runtime: the lightning/* modules Lightning Experience provides, as LWC modules
  ...lwcEslint.configs.recommended.map((c) => ({ ...c, files: ['plugin-src/preview/runtime/**/*.js'] })),
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js'],
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
    // Tests wait for wire adapters and promises with timers; components may not.
    rules: { '@lwc/lwc/no-async-operation': 'off' }
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js', '*.js'],
    languageOptions: { globals: { ...globals.node } }
  }
];

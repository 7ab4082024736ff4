// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layers and what each may import (dependencies point inward, to `core`). A layer not listed in
 * another's `allow` is off limits to it; the composition roots (`server`, `cli`) wire everything.
 */
const LAYERS = {
  core: [],
  net: ['core'],
  config: ['core', 'net'],
  store: ['core'],
  models: ['core', 'net'],
  tools: ['core', 'net'],
  channels: ['core'],
  inbox: ['core'],
  agent: ['core', 'tools'],
  server: ['core', 'net', 'config', 'store', 'models', 'tools', 'channels', 'inbox', 'agent'],
  cli: [
    'core',
    'net',
    'config',
    'store',
    'models',
    'tools',
    'channels',
    'inbox',
    'agent',
    'server',
  ],
  web: ['core'],
};

const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => {
  const forbidden = Object.keys(LAYERS).filter(
    (other) => other !== layer && !allowed.includes(other),
  );
  return {
    files: [`src/${layer}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((other) => ({
            group: [`../${other}/*`, `../../${other}/*`, `../../../${other}/*`],
            message: `The ${layer} layer may not import from ${other} (see ARCHITECTURE.md, "Layers").`,
          })),
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'drizzle', '.parley', 'coverage', '.test-cache'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration once, in src/config/server-settings.ts, and pass it down.',
        },
      ],
    },
  },
  {
    files: [
      'src/config/server-settings.ts',
      'src/cli/**',
      'test/**',
      'bench/**',
      '*.config.*',
      'bin/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
  ...layerRules,
);

/**
 * Import boundaries of NAS Studio, checked in `npm test` (npm run lint:deps): the editor host,
 * the engine and the browser code stay apart, the contract folder stays a leaf, and nothing
 * imports in a cycle. See docs/architecture.md.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const { builtinModules } = require('node:module');

/** Node's built-in modules, as dependency-cruiser names them ('fs', 'node:fs', 'fs/promises'). */
const NODE_BUILTINS = `^(node:)?(${builtinModules.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`;

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules must not import each other in a cycle (type-only imports included).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'vscode-only-in-extension',
      severity: 'error',
      comment: 'Only the extension host (and its in-VS-Code tests) may import vscode.',
      from: { pathNot: ['^extension/', '^test/e2e/suite/'] },
      to: { path: '^vscode$' },
    },
    {
      name: 'no-node-in-webviews',
      severity: 'error',
      comment: 'Webviews run in a browser: nothing they import, directly or not, may use Node built-ins.',
      from: { path: '^webviews/' },
      to: { path: NODE_BUILTINS, reachable: true },
    },
    {
      name: 'engine-not-into-extension',
      severity: 'error',
      comment: 'The engine (server/, cli/) never imports the extension host or webview code; shared code lives in contract/.',
      from: { path: '^(server|cli)/' },
      to: { path: '^(extension|webviews)/' },
    },
    {
      name: 'contract-is-a-leaf',
      severity: 'error',
      comment: 'contract/ is shared by every process: it imports nothing else of the project and no Node built-ins.',
      from: { path: '^contract/' },
      to: { path: '^(server|cli|extension|webviews|test|bench|scripts)/' },
    },
    {
      name: 'contract-without-node',
      severity: 'error',
      from: { path: '^contract/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (tfjs-node is an optional dependency, loaded only when installed).',
      from: {},
      to: { couldNotResolve: true, pathNot: '^@tensorflow/tfjs-node$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^(node_modules|dist|\\.vscode-e2e)/', '^esbuild\\.mjs$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], mainFields: ['module', 'main', 'types'] },
  },
};

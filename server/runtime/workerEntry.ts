import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts one of the engine's worker-thread entry points (server/runtime/<name>.ts): the
 * esbuild bundle dist/<name>.js when running bundled, else the TypeScript source through tsx's
 * require hook (tests and benchmarks run from source).
 */
export function startWorker(name: string, options: WorkerOptions = {}): Worker {
  const bundled = join(__dirname, `${name}.js`);
  if (process.env.NAS_STUDIO_BUNDLED && existsSync(bundled)) return new Worker(bundled, { ...options, execArgv: [] });
  const source = join(__dirname, `${name}.ts`);
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { ...options, eval: true, execArgv: [] });
}

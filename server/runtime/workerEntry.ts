import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Path and Node options for starting one of the engine's worker-thread entry points, both
 * from the esbuild bundle (dist/<name>.js) and from TypeScript sources (tests, via tsx).
 */
export function workerEntry(name: string): { file: string; execArgv: string[] } {
  const bundled = join(__dirname, `${name}.js`);
  if (process.env.NAS_STUDIO_BUNDLED && existsSync(bundled)) return { file: bundled, execArgv: [] };
  return { file: join(__dirname, `${name}.ts`), execArgv: ['--import', 'tsx'] };
}

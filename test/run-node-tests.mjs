// Runs every *.test.ts under the given folders with node:test, TypeScript through tsx.
// Usage: node test/run-node-tests.mjs DIR... [-- node --test options]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const split = args.indexOf('--');
const dirs = split >= 0 ? args.slice(0, split) : args;
const extra = split >= 0 ? args.slice(split + 1) : [];
const filter = process.env.TEST_FILTER;

function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.ts') && (!filter || path.includes(filter)) ? [path] : [];
  });
}

const files = dirs.flatMap(collect).sort();
if (files.length === 0) {
  console.error(`no *.test.ts files under ${dirs.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...extra, ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);

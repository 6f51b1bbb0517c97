// Regression test for issue 11: batchAssembly.ts and imageDataset.ts imported each other.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const DATA = resolve(__dirname, '../../../server/data');

/** Each module of server/data with the server/data modules it imports (type-only imports included). */
function importGraph(): Map<string, string[]> {
  const modules = readdirSync(DATA).filter((f) => f.endsWith('.ts'));
  return new Map(
    modules.map((m) => {
      const imports = ts.preProcessFile(readFileSync(join(DATA, m), 'utf8'), true, true).importedFiles.map((i) => i.fileName);
      return [m, imports.filter((i) => i.startsWith('./')).map((i) => `${i.slice(2)}.ts`)];
    }),
  );
}

test('server/data has no import cycles', () => {
  const graph = importGraph();
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (m: string) => {
    state.set(m, 'open');
    path.push(m);
    for (const next of graph.get(m) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(m, 'done');
  };
  for (const m of graph.keys()) if (!state.has(m)) visit(m);
  assert.deepEqual(cycles, []);
  assert.ok(graph.get('batchAssembly.ts')?.includes('imageDataset.ts'), 'the graph is read (batchAssembly uses ImageDataset)');
});

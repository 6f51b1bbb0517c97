// The import boundaries `npm test` enforces (npm run lint:deps, .dependency-cruiser.cjs): each rule
// fires on a small project that breaks it, and the real tree keeps them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../..');
const DEPCRUISE = join(REPO, 'node_modules/.bin/depcruise');

/** Runs the project's rules over a throwaway tree of files; returns the violated rule names. */
function violations(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'nas-boundaries-'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const folders = [...new Set(Object.keys(files).map((f) => f.split('/')[0]))];
  const r = spawnSync(DEPCRUISE, [...folders, '--config', join(REPO, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd: dir, encoding: 'utf8' });
  const result = JSON.parse(r.stdout) as { summary: { violations: { rule: { name: string } }[] } };
  return [...new Set(result.summary.violations.map((v) => v.rule.name))].sort();
}

const CLEAN = {
  'contract/protocol.ts': 'export const METHOD = "nas/x";\n',
  'server/main.ts': 'import { readFileSync } from "node:fs";\nimport { METHOD } from "../contract/protocol";\nexport const x = [readFileSync, METHOD];\n',
  'webviews/view.ts': 'import { METHOD } from "../contract/protocol";\nexport const y = METHOD;\n',
};

test('a tree that keeps the boundaries passes', { timeout: 120_000 }, () => {
  assert.deepEqual(violations(CLEAN), []);
});

test('each boundary is enforced: vscode outside extension/, Node built-ins reached from webviews/, engine into extension/, contract importing the project, cycles', { timeout: 120_000 }, () => {
  assert.deepEqual(violations({ ...CLEAN, 'server/ui.ts': 'import * as vscode from "vscode";\nexport const v = vscode;\n' }), ['no-unresolvable', 'vscode-only-in-extension']);
  assert.deepEqual(
    violations({ ...CLEAN, 'webviews/view.ts': 'import { helper } from "../server/helper";\nexport const y = helper;\n', 'server/helper.ts': 'import { join } from "node:path";\nexport const helper = join;\n' }),
    ['no-node-in-webviews'],
    'a Node built-in two imports away from a webview',
  );
  assert.deepEqual(violations({ ...CLEAN, 'extension/panel.ts': 'export const p = 1;\n', 'server/uses.ts': 'import { p } from "../extension/panel";\nexport const q = p;\n' }), ['engine-not-into-extension']);
  assert.deepEqual(violations({ ...CLEAN, 'contract/bad.ts': 'import { x } from "../server/main";\nexport const z = x;\n' }), ['contract-is-a-leaf']);
  assert.deepEqual(
    violations({ ...CLEAN, 'server/a.ts': 'import type { B } from "./b";\nexport type A = B | 1;\n', 'server/b.ts': 'import type { A } from "./a";\nexport type B = A | 2;\n' }),
    ['no-cycles'],
    'a cycle of type-only imports',
  );
});

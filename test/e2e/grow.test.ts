// Issue 14: a tiny compound scaling spec run from the palette of real VS Code; its plot shows
// accuracy against FLOPs with a line per scaling rule and the grid search faded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerInstalled, runCommand, withWorkbench } from './codeServer';
import { explorerRow, viewFrame } from './workbench';

const missing = codeServerInstalled();

/** One conv layer on a slice of the embedded MNIST, one epoch per network: seconds each. */
const SPEC = {
  name: 'tiny-cnn',
  base: {
    architecture: {
      space: 'layers',
      input: [28, 28, 1],
      layers: [
        { type: 'conv2d', filters: 8, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
        { type: 'maxpool', size: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
  },
  dataset: { type: 'mnist' },
  training: { epochs: 1, batchSize: 64, trainSamples: 512, validationSamples: 256, testSamples: 256, workers: 1 },
  grid: { step: 0.2, tolerance: 0.15 },
  maxPhi: 2,
  baselines: ['depth'],
  seed: 1,
};

test('real VS Code: Scale Network from the palette; the explorer row; the plot draws a line per rule and fades the grid', { skip: missing, timeout: 420_000 }, async () => {
  await withWorkbench({ name: 'grow', port: 8547, viewport: { width: 1500, height: 950 }, prepare: (ws) => writeFileSync(join(ws, 'tiny.scaling.json'), JSON.stringify(SPEC, null, 2)) }, async ({ page, workspace, shot }) => {
    // From the Explorer (Quick Open's file search can lag on a loaded machine).
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'tiny.scaling.json' }).first().click();
    const lens = (text: string | RegExp) => page.locator('.codelens-decoration a', { hasText: text });
    await lens('Scale Network').waitFor({ timeout: 90_000 });
    await runCommand(page, 'NAS Studio: Scale Network (Compound Scaling)');

    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    const row = explorerRow(page, /^tiny-cnn.*finished · (\d+)\/\1 networks/).first();
    await row.waitFor({ timeout: 300_000 });

    // What the views say, against the journal on disk.
    const root = join(workspace, '.nas-studio/experiments');
    const [id] = readdirSync(root);
    const records = readFileSync(join(root, id, 'journal.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"candidate_finished"'))
      .map((l) => JSON.parse(l) as { trial: number });
    assert.match(await row.innerText(), new RegExp(`finished · ${records.length}/${records.length} networks · d [\\d.]+ · w [\\d.]+ · r [\\d.]+ · φ=2 \\d+\\.\\d\\d%`));

    // The spec stays open in the editor: its status lens opens the plot.
    await lens(/finished \d+\/\d+ networks/).click();
    const view = await viewFrame(page, 'plot', /^tiny-cnn · accuracy \/ FLOPs per scaling rule$/);
    await view.locator('.nas-rule').nth(1).waitFor({ timeout: 30_000 });
    const rules = await view.locator('.nas-rule').evaluateAll((groups) => groups.map((g) => [g.getAttribute('data-rule'), g.getAttribute('data-points')]));
    assert.deepEqual(rules, [['compound', '3'], ['depth only', '3']]);
    const status = await view.locator('.nas-status').innerText();
    assert.match(status, new RegExp(`^${new Set(records.map((r) => r.trial)).size} networks · 2 rules · \\d+ grid points? faded · finished`));
    assert.equal(await view.locator('.nas-scatter').getAttribute('data-faded'), /(\d+) grid points? faded/.exec(status)![1]);
    await shot('plot');
  });
});

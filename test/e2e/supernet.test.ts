import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingEpoch } from '../../contract/runs';
import { codeServerInstalled, runCommand, withWorkbench } from './codeServer';
import { TINY_SUPERNET } from '../tinySupernet';
import { explorerRow, quickOpen, viewFrame } from './workbench';

const missing = codeServerInstalled();

/** A small supernet on a slice of the embedded MNIST: two epochs (full, then elastic kernel) of a few seconds each. */
const SPEC = {
  name: 'digits',
  supernet: TINY_SUPERNET,
  dataset: { type: 'mnist' },
  training: {
    mode: 'progressive-shrinking',
    phases: [
      { phase: 'full', epochs: 1, learningRate: 0.1 },
      { phase: 'kernel', epochs: 1, learningRate: 0.03 },
    ],
    trainSamples: 4096,
    validation: 512,
    testSamples: 512,
    calibrationSamples: 256,
    batchSize: 64,
    workers: 1,
  },
  seed: 1,
};

const percent = (v: number) => `${(v * 100).toFixed(2)}%`;

test('real VS Code: Train Supernet from the palette; live status; epochs and accuracies in the explorer; training curves; export a sub-network', { skip: missing, timeout: 420_000 }, async () => {
  await withWorkbench({ name: 'supernet', port: 8468, viewport: { width: 1500, height: 950 }, prepare: (ws) => writeFileSync(join(ws, 'digits.supernet.json'), JSON.stringify(SPEC, null, 2)) }, async ({ page, workspace, shot }) => {
    // Opening the NAS Studio explorer activates the extension at once; activation by
    // "workspaceContains" waits for a file search that can lag on a loaded machine.
    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    await quickOpen(page, 'digits.supernet.json');
    const lens = (text: string | RegExp) => page.locator('.codelens-decoration a', { hasText: text });
    await lens('Train Supernet').waitFor({ timeout: 90_000 });

    await runCommand(page, 'NAS Studio: Train Supernet');
    // While it trains: the status bar counts epochs with one percentage, the elapsed time and the
    // ETA ("—" until two epochs finished: this run has two), the CodeLens offers Stop.
    await page.locator('.statusbar-item', { hasText: /digits.* [01]\/2 epochs · \d+(m\d\d)?s elapsed · ETA —/ }).first().waitFor({ timeout: 90_000 });
    await lens('Stop').waitFor({ timeout: 30_000 });
    await shot('training');

    const row = explorerRow(page, /^digits.*finished · epoch 2\/2 · largest/).first();
    await row.waitFor({ timeout: 240_000 });

    // What the explorer and the views say, against the journal on disk.
    const root = join(workspace, '.nas-studio/experiments');
    const [id] = readdirSync(root);
    const epochs: TrainingEpoch[] = readFileSync(join(root, id, 'journal.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"epoch_finished"'))
      .map((l) => JSON.parse(l));
    assert.deepEqual(epochs.map((e) => [e.epoch, e.phase]), [[1, 'full'], [2, 'kernel']]);
    const last = epochs[1];
    const largest = percent(last.validation.largest.accuracy);
    const smallest = percent(last.validation.smallest.accuracy);
    assert.match(await row.innerText(), new RegExp(`finished · epoch 2/2 · largest ${largest} · smallest ${smallest}`));
    assert.ok(last.validation.largest.accuracy > 0.5, `largest sub-network: ${largest}`);

    // Expanded: the sub-networks' validation and test accuracies, and the speed.
    await row.click();
    const detail = (label: string) => explorerRow(page, label).first();
    assert.ok(last.test);
    assert.match(await detail('Largest sub-network').innerText({ timeout: 10_000 }), new RegExp(`validation ${largest} · test ${percent(last.test.largest.accuracy)}`));
    assert.match(await detail('Smallest sub-network').innerText(), new RegExp(`validation ${smallest} · test ${percent(last.test.smallest.accuracy)}`));
    assert.match(await detail('Speed').innerText(), /\d+ images\/s on /);

    // The CodeLens status opens the training curves: both epochs, both phases, the same accuracies.
    // Opening the NAS Studio explorer activates the extension at once; activation by
    // "workspaceContains" waits for a file search that can lag on a loaded machine.
    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    await quickOpen(page, 'digits.supernet.json');
    await lens(/finished epoch 2\/2/).click();
    const view = await viewFrame(page, 'progress', /^Supernet training · digits · 2 phases$/);
    const legend = await view.locator('.nas-training-legend').innerText();
    assert.ok(legend.includes(`largest sub-network (validation): ${largest}`), legend);
    assert.ok(legend.includes(`smallest sub-network (validation): ${smallest}`), legend);
    assert.deepEqual(await view.locator('.nas-accuracy-chart .nas-phase-label').allTextContents(), ['full', 'kernel']);
    assert.equal(await view.locator('.nas-search').isHidden(), true);
    assert.equal(await view.locator('vscode-single-select').isHidden(), true, 'no search: no x-axis choice');
    await shot('curves');

    // Export the smallest sub-network from the palette: a TF.js model in the run's exports folder.
    await runCommand(page, 'NAS Studio: Export Supernet Sub-network');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Smallest sub-network' }).first().click();
    const exported = page.locator('.notification-list-item', { hasText: /Exported .* to .*smallest: validation/ }).first();
    await exported.waitFor({ timeout: 120_000 });
    const folder = join(root, id, 'exports/smallest');
    assert.ok(existsSync(join(folder, 'model.json')) && existsSync(join(folder, 'weights.bin')));
    const subnet = JSON.parse(readFileSync(join(folder, 'subnet.json'), 'utf8'));
    assert.deepEqual(subnet.d, [1, 1]);
    assert.match(await exported.innerText(), new RegExp(`validation ${percent(subnet.metrics.val_accuracy)}, ${subnet.metrics.params.toLocaleString('en-US')} params`));
    await shot('exported');
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerInstalled, REPO, runCommand, withWorkbench } from './codeServer';
import { writeDigitSubset } from './digitSubset';
import { choose } from './quickInput';
import { explorerRow, quickOpen, viewFrame } from './workbench';

const missing = codeServerInstalled();

/** A search of one small network on 400 digits: seconds to run. */
const DIGITS_SPEC = {
  name: 'Digits',
  space: { type: 'layers', input: [28, 28, 1], classes: 10, convBlocks: { max: 1, filters: [8], kernels: [3] }, denseLayers: { max: 1, units: [32] }, dropout: [0] },
  evaluator: { type: 'train', dataset: { type: 'idx', trainImages: 'digits-images.idx', trainLabels: 'digits-labels.idx' }, trainSamples: 300, validationSamples: 100, testSamples: 0, workers: 1 },
  strategy: { type: 'random' },
  objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
  report: ['params'],
  budget: { trials: 1 },
};

test('real VS Code: with no runs the welcome view creates the quickstart example, then offers the folder\'s specs and runs one; its CodeLens opens the trials table', { skip: missing, timeout: 420_000 }, async () => {
  await withWorkbench({ name: 'welcome', port: 8540, prepare: (ws) => writeDigitSubset(ws, 400) }, async ({ page, workspace, shot }) => {
    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    const welcome = page.locator('.welcome-view-content');
    const link = (name: string) => welcome.getByRole('button', { name });
    // No spec in the folder: no "Run a Spec…", but the quickstart.
    await welcome.getByText('No runs yet.').first().waitFor({ timeout: 60_000 });
    await link('Create the Quickstart Example').waitFor();
    assert.equal(await link('Run a Spec…').count(), 0);
    await shot('empty');

    await link('Create the Quickstart Example').click();
    await page.locator('.tab', { hasText: 'quickstart.nas.json' }).waitFor({ timeout: 60_000 });
    assert.equal(readFileSync(join(workspace, 'quickstart.nas.json'), 'utf8'), readFileSync(join(REPO, 'examples/quickstart.nas.json'), 'utf8'), 'the very spec npm run quickstart runs');

    // Now the folder has specs: the welcome view offers them.
    writeFileSync(join(workspace, 'digits.nas.json'), JSON.stringify(DIGITS_SPEC, null, 2));
    await link('Run a Spec…').waitFor({ timeout: 60_000 });
    await welcome.getByText('This folder has specs to run').waitFor();
    await shot('specs-to-run');
    await link('Run a Spec…').click();
    await choose(page, 'Run which spec?', 'digits.nas.json');
    await explorerRow(page, /Digits.*finished · 1\/1/).waitFor({ timeout: 300_000 });
    assert.ok(existsSync(join(workspace, 'digits.nas.json')));

    // The spec's CodeLens opens the trials table of its latest run.
    await quickOpen(page, 'digits.nas.json');
    await page.locator('.codelens-decoration a', { hasText: 'Trials table' }).first().click();
    await viewFrame(page, 'table');
    // Open Results on the open spec: its latest run's plot, no question asked.
    await quickOpen(page, 'digits.nas.json');
    await runCommand(page, 'NAS Studio: Open Results');
    await viewFrame(page, 'plot');
    assert.equal(await page.locator('.quick-input-widget', { hasText: 'Open the results of' }).isVisible(), false);
    await shot('table-and-plot');
  });
});

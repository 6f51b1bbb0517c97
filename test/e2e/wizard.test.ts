import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerInstalled, withWorkbench } from './codeServer';
import { writeDigitSubset } from './digitSubset';
import { answerDialog, choose, quickInput, type } from './quickInput';
import { explorerRow } from './workbench';

const missing = codeServerInstalled();

test('real VS Code: the New Experiment wizard asks every step in order, writes a valid formatted spec, and Run Now runs it to the end', { skip: missing, timeout: 420_000 }, async () => {
  let data: { images: string; labels: string } | undefined;
  await withWorkbench({ name: 'wizard', port: 8467, prepare: (ws) => (data = writeDigitSubset(ws, 400)) }, async ({ page, workspace, shot }) => {
    assert.ok(data);
    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    await page.getByRole('button', { name: 'New Experiment' }).first().click();

    const enter = async (title: string) => {
      await quickInput(page, title);
      await page.keyboard.press('Enter');
    };
    await choose(page, 'New experiment (1/9): search space', 'CNN / MLP layer stack');
    // One evaluator trains the layers space: step 2 goes straight to its dataset, 400 digits as IDX files.
    await choose(page, 'New experiment (2/9): train each architecture on', 'IDX files…');
    await quickInput(page, 'New experiment (2/9): training images (IDX)');
    await answerDialog(page, data.images);
    await quickInput(page, 'New experiment (2/9): training labels (IDX)');
    await answerDialog(page, data.labels);
    await choose(page, 'New experiment (3/9): search strategy', 'Random search');
    await shot('objectives');
    // From here on Enter takes the defaults.
    await enter('New experiment (4/9): objective');
    await enter('New experiment (5/9): metrics to record');
    await enter('New experiment (6/9): constraints');
    await type(page, 'New experiment (7/9): how many architectures', '2');
    await enter('New experiment (8/9): time budget');
    await type(page, 'New experiment (9/9): name', 'My Digits');

    const file = join(workspace, 'my-digits.nas.json');
    for (let i = 0; i < 150 && !existsSync(file); i++) await page.waitForTimeout(100);
    const text = readFileSync(file, 'utf8');
    const spec = JSON.parse(text);
    assert.equal(spec.name, 'My Digits');
    assert.equal(spec.$schema, undefined, 'no relative $schema: jsonValidation covers *.nas.json');
    assert.deepEqual(spec.evaluator.dataset, { type: 'idx', trainImages: 'digits-images.idx', trainLabels: 'digits-labels.idx' });
    // Sized for the dataset: its image shape and classes, 3/4 of its 400 examples to train on, no test split.
    assert.deepEqual([spec.space.input, spec.space.classes], [[28, 28, 1], 10]);
    assert.deepEqual([spec.evaluator.trainSamples, spec.evaluator.validationSamples, spec.evaluator.testSamples], [300, 100, 0]);
    assert.deepEqual(spec.objectives, [{ metric: 'val_accuracy', goal: 'maximize' }]);
    assert.deepEqual(spec.report, ['params', 'flops', 'latency_ms'], 'no test_accuracy without a test split');
    assert.equal(spec.strategy.type, 'random');
    assert.deepEqual(spec.budget, { trials: 2 });
    assert.match(text, /"input": \[28, 28, 1\],\n/, 'arrays of numbers on one line');

    // It ends by offering to run or open it; Run Now opens it and starts the run.
    await page.getByRole('button', { name: 'Run Now' }).first().click();
    await page.locator('.tab', { hasText: 'my-digits.nas.json' }).waitFor({ timeout: 15_000 });
    // The engine validated it: the status bar's problem counter stays at 0 errors, 0 warnings.
    assert.match(await page.locator('[id="status.problems"]').innerText(), /^\s*0\s+0\s*$/);
    await explorerRow(page, /My Digits.*finished · 2\/2/).waitFor({ timeout: 300_000 });
    await shot('finished');
  });
});

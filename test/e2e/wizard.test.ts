import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerInstalled, runCommand, withWorkbench } from './codeServer';
import { choose, type } from './quickInput';

const missing = codeServerInstalled();

test('real VS Code: the New Experiment wizard writes a valid spec that runs', { skip: missing, timeout: 300_000 }, async () => {
  await withWorkbench({ name: 'wizard', port: 8467 }, async ({ page, workspace, shot }) => {
    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    await page.getByRole('button', { name: 'New Experiment' }).first().click();

    await type(page, 'New experiment (1/6): name', 'My Digits');
    await choose(page, 'New experiment (2/6)', 'CNN / MLP layer stack');
    // One evaluator fits the layers space, so the wizard goes straight on to the objective.
    await choose(page, 'New experiment (4/6)', 'val_accuracy');
    await choose(page, 'Maximize or minimize val_accuracy?', 'maximize');
    await choose(page, 'New experiment (5/6)', 'Random search');
    await type(page, 'New experiment (6/6)', '2');

    const file = join(workspace, 'my-digits.nas.json');
    for (let i = 0; i < 100 && !existsSync(file); i++) await page.waitForTimeout(100);
    const spec = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(spec.name, 'My Digits');
    assert.deepEqual(spec.objectives, [{ metric: 'val_accuracy', goal: 'maximize' }]);
    assert.equal(spec.strategy.type, 'random');
    assert.equal(spec.budget.trials, 2);
    // It opened in an editor without problems.
    await page.locator('.tab', { hasText: 'my-digits.nas.json' }).waitFor({ timeout: 15_000 });
    // The engine validated it: the status bar's problem counter stays at 0 errors, 0 warnings.
    await page.waitForTimeout(2000);
    assert.match(await page.locator('[id="status.problems"]').innerText(), /^\s*0\s+0\s*$/);

    // Smaller training so the run is quick; then run it from the editor's title bar.
    spec.evaluator = { ...spec.evaluator, trainSamples: 512, validationSamples: 256, testSamples: 0, workers: 1 };
    spec.space.convBlocks.max = 0;
    writeFileSync(file, JSON.stringify(spec, null, 2));
    await runCommand(page, 'NAS Studio: Run Experiment');
    await page.locator('.monaco-list-row', { hasText: /My Digits.*finished · 2\/2/ }).waitFor({ timeout: 180_000 });
    await shot('finished');
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerInstalled, REPO, runCommand, withWorkbench } from './codeServer';
import { explorerRow, openFile, readJsonWhenWritten } from './workbench';
import { answerDialog, choose, quickInput, type } from './quickInput';
import { writeSyntheticNb201Table, writeTabularSpec } from '../syntheticNb201';

const missing = codeServerInstalled();

test('real VS Code: New Experiment offers the finished search of the same space as a warm start, and the warm-started run shows where it started from', { skip: missing, timeout: 300_000 }, async () => {
  let table = '';
  // A finished 30-trial search of the NAS-Bench-201 space in the workspace's experiments folder, made with the CLI.
  const prepare = (ws: string) => {
    table = writeSyntheticNb201Table(ws);
    const spec = writeTabularSpec(ws, 'c10-source', 30, table, 'regularized-evolution');
    execFileSync(process.execPath, [join(REPO, 'bin/nas-studio.js'), 'run', spec, '--out', join(ws, '.nas-studio/experiments/c10-source')], { cwd: ws, stdio: 'ignore' });
  };
  await withWorkbench({ name: 'warm-start', port: 8571, prepare }, async ({ page, workspace, shot }) => {
    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    await explorerRow(page, /c10-source.*finished · 30\/30/).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'New Experiment' }).first().click();

    await choose(page, 'New experiment (1/9)', 'NAS-Bench-201 cell');
    // One evaluator fits the space: the wizard asks for its table at once.
    await quickInput(page, 'New experiment (2/9)');
    await answerDialog(page, table);
    await choose(page, 'New experiment (3/9)', 'Predictor-guided local search');
    await choose(page, 'New experiment (4/9)', 'maximize acc');
    for (const step of ['New experiment (5/9)', 'New experiment (6/9)']) {
      await quickInput(page, step);
      await page.keyboard.press('Enter');
    }
    await type(page, 'New experiment (7/9)', '20');
    await quickInput(page, 'New experiment (8/9)');
    await page.keyboard.press('Enter');
    await type(page, 'New experiment (9/9): name', 'Warm Target');
    // The finished search of the same space is offered; tick it and accept.
    await quickInput(page, 'warm start from earlier searches of this space');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'c10-source' }).first().click();
    await shot('warm-start-pick');
    await page.keyboard.press('Enter');
    await choose(page, 'Warm start: how to use them', 'Evaluate their best architectures first and pre-fit its predictor');

    const file = join(workspace, 'warm-target.nas.json');
    const spec = await readJsonWhenWritten(page, file);
    assert.deepEqual(spec.warmStart, { runs: ['c10-source'], use: 'both' });
    await page.getByRole('button', { name: 'Open Spec' }).first().click();
    await page.locator('.tab', { hasText: 'warm-target.nas.json' }).waitFor({ timeout: 15_000 });
    // The engine validated the warm start (the source exists, finished, same space): no problems.
    await page.waitForTimeout(2000);
    assert.match(await page.locator('[id="status.problems"]').innerText(), /^\s*0\s+0\s*$/);

    await runCommand(page, 'NAS Studio: Run Experiment');
    const run = explorerRow(page, /Warm Target.*finished · 20\/20/).first();
    await run.waitFor({ timeout: 120_000 });
    await run.click();
    // Under the run, where it started from: every distinct architecture the source evaluated, transferred, none a trial.
    const source = readFileSync(join(workspace, '.nas-studio/experiments/c10-source/journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const distinct = source.filter((r) => r.type === 'trial_finished' && !r.cached).length;
    await explorerRow(page, `Warm start: ${distinct} observations from c10-source (top-k + prior)`).waitFor({ timeout: 30_000 });
    await explorerRow(page, 'Trials (20)').waitFor({ timeout: 30_000 });
    await shot('warm-started-run');

    // Run Experiment on a spec without a warm start suggests the finished searches of its space; accepting names them in the spec.
    const cold = writeTabularSpec(workspace, 'cold-target', 300, table, 'predictor-local-search');
    await openFile(page, cold);
    await page.locator('.tab', { hasText: 'cold-target.nas.json' }).waitFor({ timeout: 15_000 });
    await runCommand(page, 'NAS Studio: Run Experiment');
    // Toasts that others push aside stay in the notification centre. (The new run may be a candidate itself once finished.)
    await runCommand(page, 'Notifications: Show Notifications');
    const suggestion = page.locator('.notification-list-item', { hasText: /finished searches of this space \(.*Warm Target, c10-source\) could warm-start cold-target\.nas\.json/ }).first();
    await suggestion.waitFor({ timeout: 30_000 });
    await shot('warm-start-suggested');
    await suggestion.getByRole('button', { name: 'Add Warm Start' }).click();
    let warmStart: { runs: string[] } | undefined;
    for (let i = 0; i < 100 && !warmStart; i++, await page.waitForTimeout(100)) warmStart = (await readJsonWhenWritten(page, cold)).warmStart;
    assert.ok(warmStart, 'the spec names a warm start');
    assert.equal(warmStart.runs.at(-1), 'c10-source', 'newest first: the source last');
    assert.match(warmStart.runs.at(-2)!, /^warm-target-/);
  });
});

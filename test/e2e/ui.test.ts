import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerInstalled, runCommand, withWorkbench } from './codeServer';
import { writeTinySpec } from './e2eSpec';
import { explorerRow } from './workbench';

const missing = codeServerInstalled();

test('real VS Code: install the .vsix, run an experiment from the palette, the explorer shows it finished with its best result', { skip: missing, timeout: 300_000 }, async () => {
  await withWorkbench({ name: 'ui', port: 8461, prepare: (ws) => writeTinySpec(ws, 'digits', 4) }, async ({ page, workspace, shot }) => {
    // The activity bar container and the explorer's welcome view.
    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    await page.getByText('No runs yet. This folder has specs to run').waitFor({ timeout: 60_000 });

    await runCommand(page, 'NAS Studio: Run Experiment');
    const row = explorerRow(page, 'digits').first();
    await row.waitFor({ timeout: 60_000 });
    await explorerRow(page, 'finished · 4/4').waitFor({ timeout: 240_000 });
    const description = await row.innerText();
    assert.match(description, /best \d{1,3}\.\d{2}%/);
    await row.click();
    const best = explorerRow(page, 'Best:').first();
    await best.waitFor({ timeout: 15_000 });
    assert.match(await best.innerText(), /Best: (fc\d+|linear)/);
    // The experiment folder was written by the engine inside the workspace.
    assert.equal(readdirSync(join(workspace, '.nas-studio/experiments')).length, 1);
    await shot('explorer-finished');
  });
});

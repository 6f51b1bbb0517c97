import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { codeServerInstalled, REPO, withWorkbench } from './codeServer';
import { answerDialog, pickItem } from './quickInput';
import { viewFrame, waitForData } from './workbench';

const ofa = resolve(process.env.NAS_SHARED_DATA ?? join(REPO, '../shared/data'), 'ofa');
const missing = codeServerInstalled() ?? (existsSync(join(ofa, 'acc_predictor.json')) ? undefined : `OFA reference data not found under ${ofa}`);

test('real VS Code: Specialize Sub-network from the Experiments view, the Pareto sweep listed under its run, export opens its graph', { skip: missing, timeout: 300_000 }, async () => {
  await withWorkbench({ name: 'specialize', port: 8466 }, async ({ page, workspace, shot }) => {
    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    await page.getByText('Pick the most accurate Once-for-All sub-network').waitFor({ timeout: 60_000 });

    // The rocket in the Experiments view's title bar (its actions show while the pointer is over the view).
    const rocket = page.locator('.part.sidebar .action-label[aria-label="Specialize Sub-network"]').first();
    await page.locator('.part.sidebar').hover();
    await rocket.click();
    await answerDialog(page, join(ofa, 'acc_predictor.json'));
    await pickItem(page, 'Latency lookup tables');
    await answerDialog(page, join(ofa, 'note10'));
    await page.locator('.quick-input-widget', { hasText: 'Specialize (3/3)' }).waitFor({ timeout: 15_000 });
    const limits = page.locator('.quick-input-widget input');
    await limits.fill('20, 30');
    await page.keyboard.press('Enter');

    // The sweep is a run in the Experiments view; its notification names both results when it ends.
    const run = page.locator('.monaco-list-row', { hasText: /^ofa-20-30ms.*finished · 2\/2 limits · best \d\d\.\d\d% at \d+\.\d\d ms/ }).first();
    await run.waitFor({ timeout: 180_000 });
    await page.locator('.notification-toast', { hasText: /ofa-20-30ms finished after 2\/2 limits\. ≤ 20 ms: \d\d\.\d\d %, ≤ 30 ms: \d\d\.\d\d %/ }).waitFor({ timeout: 30_000 });
    // Expanded, both limits are listed with their predicted accuracy, latency within the limit.
    await run.click();
    const row20 = page.locator('.monaco-list-row', { hasText: /≤ 20 ms: \d\d\.\d\d %/ }).first();
    const row30 = page.locator('.monaco-list-row', { hasText: /≤ 30 ms: \d\d\.\d\d %/ }).first();
    await row20.waitFor({ timeout: 30_000 });
    await row30.waitFor({ timeout: 30_000 });
    const latency = (text: string) => Number(/(\d+\.\d\d) ms ·/.exec(text)?.[1]);
    assert.ok(latency(await row20.innerText()) <= 20, await row20.innerText());
    assert.ok(latency(await row30.innerText()) <= 30, await row30.innerText());
    const accuracy = (text: string) => Number(/: (\d\d\.\d\d) %/.exec(text)?.[1]);
    assert.ok(accuracy(await row30.innerText()) >= accuracy(await row20.innerText()), 'a larger budget never predicts worse');
    await shot('view');

    // Export the 30 ms sub-network: it is written for set_active_subnet and opens as a graph.
    await row30.hover();
    await row30.locator('.action-label[aria-label="Export Sub-network"]').click();
    const target = join(workspace, 'note10-30ms.arch.json');
    await answerDialog(page, target);
    for (let i = 0; i < 100 && !existsSync(target); i++) await page.waitForTimeout(100);
    const exported = JSON.parse(readFileSync(target, 'utf8'));
    assert.equal(exported.space, 'ofa-mbv3');
    assert.equal(exported.ks.length, 20);
    assert.ok(exported.latency_ms <= 30 && exported.predicted_accuracy > 0.8);
    const graph = await viewFrame(page, 'graph', /^note10-30ms\.arch\.json/);
    const active = exported.d.reduce((n: number, d: number) => n + d, 0);
    const nodes = await waitForData(graph, '.nas-graph', 'nodes', String(1 + 2 + 20 + 4 + 1));
    assert.equal(nodes, String(1 + 2 + 20 + 4 + 1), `input, stem, first block, 20 blocks (${active} active), head, output`);
    await shot('graph');
  });
});

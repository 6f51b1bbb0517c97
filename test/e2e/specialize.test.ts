import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { codeServerInstalled, REPO, withWorkbench } from './codeServer';
import { answerDialog, pickItem } from './quickInput';
import { explorerRow, readJsonWhenWritten, viewFrame, waitForData } from './workbench';

const ofa = resolve(process.env.NAS_SHARED_DATA ?? join(REPO, '../shared/data'), 'ofa');
const missing = codeServerInstalled() ?? (existsSync(join(ofa, 'acc_predictor.json')) ? undefined : `OFA reference data not found under ${ofa}`);

test('real VS Code: Specialize Sub-network from the Experiments view, the sweep listed under its run with stars on its Pareto set only, a row opens its graph, the curve, export under a readable name', { skip: missing, timeout: 420_000 }, async () => {
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
    await limits.fill('20, 30, 150, 200');
    await page.keyboard.press('Enter');

    // The sweep is a run in the Experiments view; its notification names every result when it ends.
    const run = explorerRow(page, /^ofa-20-30-150-200ms.*finished · 4\/4 limits · best \d\d\.\d\d% at \d+\.\d\d ms/).first();
    await run.waitFor({ timeout: 240_000 });
    await page.locator('.notification-toast', { hasText: /ofa-20-30-150-200ms finished after 4\/4 limits\. ≤ 20 ms: \d\d\.\d\d %, ≤ 30 ms: \d\d\.\d\d %, ≤ 150 ms/ }).waitFor({ timeout: 30_000 });
    // Expanded, every limit is listed with its predicted accuracy, latency within the limit.
    await run.click();
    const rowOf = (limit: number) => explorerRow(page, new RegExp(`≤ ${limit} ms: \\d\\d\\.\\d\\d %`)).first();
    const row20 = rowOf(20);
    const row30 = rowOf(30);
    for (const limit of [20, 30, 150, 200]) await rowOf(limit).waitFor({ timeout: 30_000 });
    const latency = (text: string) => Number(/(\d+\.\d\d) ms ·/.exec(text)?.[1]);
    assert.ok(latency(await row20.innerText()) <= 20, await row20.innerText());
    assert.ok(latency(await row30.innerText()) <= 30, await row30.innerText());
    const accuracy = (text: string) => Number(/: (\d\d\.\d\d) %/.exec(text)?.[1]);
    assert.ok(accuracy(await row30.innerText()) >= accuracy(await row20.innerText()), 'a larger budget never predicts worse');
    // The star is on the sweep's Pareto set only: rows no other row matches or beats on both accuracy and latency.
    const shown = await Promise.all(
      [20, 30, 150, 200].map(async (limit) => {
        const text = await rowOf(limit).innerText();
        return { limit, text, acc: accuracy(text), ms: latency(text), star: (await rowOf(limit).locator('[class*="codicon-star-full"]').count()) > 0 };
      }),
    );
    for (const r of shown) {
      const beaten = shown.some((o) => o.limit !== r.limit && o.acc >= r.acc && o.ms <= r.ms && (o.acc > r.acc || o.ms < r.ms || o.limit < r.limit));
      assert.equal(r.star, !beaten, `≤ ${r.limit} ms: ${r.text}`);
    }
    assert.ok(shown.some((r) => !r.star), `not every row is starred: ${shown.map((r) => r.text).join(' | ')}`);
    await shot('view');

    // A click on a row opens that sub-network's graph, its predicted accuracy and latency in the header.
    await row30.click();
    const subnetGraph = await viewFrame(page, 'graph', /^ofa-20-30-150-200ms · ≤ 30 ms: r\d+ d\d{5}/);
    await subnetGraph.locator('.nas-summary', { hasText: new RegExp(`^Predicted accuracy ${accuracy(await row30.innerText()).toFixed(2)}% · Latency \\d+\\.\\d\\d ms · FLOPs`) }).waitFor({ timeout: 30_000 });
    await shot('subnet-graph');

    // The curve: the inline action on the run row opens it, the same rows starred.
    await run.hover();
    await run.locator('.action-label[aria-label="Show Specialization Curve"]').click();
    const curve = await viewFrame(page, 'specialization', /^Specialization · ofa-20-30-150-200ms/);
    await curve.locator('.nas-sweep-table tbody tr').nth(3).waitFor({ timeout: 30_000 });
    const starred = await curve.locator('.nas-sweep-table tbody tr.nas-pareto-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-limit'))));
    assert.deepEqual(starred, shown.filter((r) => r.star).map((r) => r.limit));
    assert.equal(await curve.locator('.nas-sweep-chart .nas-axis-title').first().textContent(), 'Latency limit (ms)');
    await shot('curve');

    // Export the 30 ms sub-network: it is written for set_active_subnet and opens as a graph.
    await row30.hover();
    await row30.locator('.action-label[aria-label="Export Sub-network"]').click();
    // The dialog suggests a readable name: the lookup table's folder and the limit.
    const suggested = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: '..' }).first().waitFor({ timeout: 15_000 });
    assert.match(await suggested.inputValue(), /ofa-note10-30ms\.arch\.json$/);
    const target = join(workspace, 'note10-30ms.arch.json');
    await answerDialog(page, target);
    const exported = await readJsonWhenWritten(page, target);
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

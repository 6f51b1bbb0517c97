import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatMs, formatPercent } from '../../contract/format';
import { describeMetric, formatMetric } from '../../contract/metricInfo';
import { TRAINED_METRICS } from '../../contract/trainedMetrics';
import type { DerivedNetwork, ProxylessEpoch } from '../../contract/runs';
import { codeServerInstalled, runCommand, withWorkbench } from './codeServer';
import { writeTinyProxylessSpec } from '../tinyProxyless';
import { explorerRow, quickOpen, viewFrame } from './workbench';

const missing = codeServerInstalled();

const escape = (text: string) => text.replace(/[|.()[\]]/g, '\\$&');

test('real VS Code: Run ProxylessNAS Search from the palette; the heatmap of α, the derived network in the explorer, its graph, hover and CodeLens', { skip: missing, timeout: 600_000 }, async () => {
  await withWorkbench({ name: 'proxyless', port: 8534, viewport: { width: 1500, height: 950 }, prepare: (ws) => writeTinyProxylessSpec(ws, 'tiny') }, async ({ page, workspace, shot }) => {
    // From the file explorer: Quick Open's file search may still be indexing on a loaded machine.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'tiny.proxyless.json' }).first().click({ timeout: 90_000 });
    const lens = (text: string | RegExp) => page.locator('.codelens-decoration a', { hasText: text });
    await lens('Run ProxylessNAS Search').waitFor({ timeout: 90_000 });

    await runCommand(page, 'NAS Studio: Run ProxylessNAS Search');
    await lens('Stop').waitFor({ timeout: 90_000 });
    await shot('running');

    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    const row = explorerRow(page, /^tiny.*finished · epoch 4\/4 · derived/).first();
    await row.waitFor({ timeout: 420_000 });

    // What the editor says, against the journal on disk.
    const root = join(workspace, '.nas-studio/experiments');
    const [id] = readdirSync(root);
    const records = readFileSync(join(root, id, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const epochs: ProxylessEpoch[] = records.filter((r) => r.type === 'epoch_finished');
    const derived: DerivedNetwork & { choices: number[] } = records.find((r) => r.type === 'derived');
    assert.deepEqual(epochs.map((e) => e.epoch), [1, 2, 3, 4]);
    assert.match(await row.innerText(), new RegExp(`${escape(derived.description)} · ${escape(formatMs(derived.measuredLatencyMs))}`));

    // Expanded: the derived architecture, its measured latency against the table, its accuracy.
    await row.click();
    // By the row's label, at its start (hasText alone would take 'Expected latency' for 'Latency').
    const detail = (label: string) => explorerRow(page, new RegExp(`^${label}`)).first();
    assert.match(await detail('Derived architecture').innerText({ timeout: 10_000 }), new RegExp(escape(derived.description)));
    assert.match(await detail('Latency(?! table)').innerText(), new RegExp(`measured ${escape(formatMs(derived.measuredLatencyMs))} \\(table ${escape(formatMs(derived.predictedLatencyMs))}`));
    assert.match(await detail('Accuracy').innerText(), new RegExp(`validation ${escape(formatPercent(derived.valAccuracy))}`));
    // The table was checked against whole networks and corrected from them; the row says how well each predicts.
    const table = records.find((r) => r.type === 'latency_table');
    const percent = (f: number) => escape((f * 100).toFixed(1));
    assert.match(
      await detail('Latency table').innerText(),
      new RegExp(`measured here.*60 networks measured end to end: table sums ${percent(table.correction.raw.within10)} % within ±10 %.*corrected ${percent(table.correction.corrected.within10)} % within ±10 %`, 's'),
    );
    await shot('explorer');

    // The derived architecture opens in the graph view: one node per block that is not skipped.
    await detail('Derived architecture').click();
    const graph = await viewFrame(page, 'graph', /derived\.arch\.json/);
    const ops = (derived.arch as unknown as { stages: { ops: string[] }[] }).stages.flatMap((s) => s.ops);
    await graph.locator('.nas-node').first().waitFor({ timeout: 30_000 });
    assert.equal(await graph.locator('.nas-node.nas-inactive').count(), ops.filter((op) => op === 'Zero').length);
    await shot('graph');

    // Its text beside it: the hover over the architecture gives its measured latency and accuracy.
    await runCommand(page, 'NAS Studio: Open Architecture as Text');
    const textEditor = page.locator('.editor-instance .monaco-editor', { has: page.locator('.view-line', { hasText: '"description"' }) }).first();
    await textEditor.locator('.view-line span', { hasText: '"proxyless"' }).first().hover();
    const hover = page.locator('.monaco-hover', { hasText: 'proxyless architecture' }).first();
    await hover.waitFor({ timeout: 30_000 });
    const hoverText = await hover.innerText();
    assert.ok(hoverText.includes(derived.description), hoverText);
    assert.match(hoverText, new RegExp(`${escape(describeMetric('latency_ms', TRAINED_METRICS).title)}\\s+${escape(formatMetric('latency_ms', derived.measuredLatencyMs, TRAINED_METRICS))}`));
    assert.match(hoverText, new RegExp(`${escape(describeMetric('val_accuracy', TRAINED_METRICS).title)}\\s+${escape(formatMetric('val_accuracy', derived.valAccuracy, TRAINED_METRICS))}`));
    await shot('hover');

    // The CodeLens status names the derived network and its measured latency, and opens the heatmap.
    await quickOpen(page, 'tiny.proxyless.json');
    const status = lens(/finished epoch 4\/4 · derived · /);
    assert.match(await status.innerText({ timeout: 30_000 }), new RegExp(`${escape(derived.description)} · ${escape(formatMs(derived.measuredLatencyMs))}`));
    await status.click();
    const view = await viewFrame(page, 'proxyless', /^Architecture parameters · tiny$/);
    await view.locator('.nas-heatmap tbody tr').first().waitFor({ timeout: 30_000 });
    assert.deepEqual(await view.locator('.nas-heatmap tbody th').allInnerTexts(), ['stage 1 · block 1', 'stage 1 · block 2', 'stage 2 · block 1', 'stage 2 · block 2']);
    // The outlined cells are the derived network's operations; their values are the last epoch's probabilities.
    const last = epochs[3];
    const chosen = await view.locator('.nas-heatmap .nas-chosen').evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-candidate'), c.textContent]));
    assert.deepEqual(chosen, ops.map((op, b) => [op, last.probabilities[b][derived.choices[b]].toFixed(2)]));
    const legend = await view.locator('.nas-proxyless-legend').innerText();
    assert.ok(legend.includes(`E[lat]: ${formatMs(last.expectedLatencyMs)}`), legend);
    assert.ok(legend.includes(`validation accuracy: ${formatPercent(last.validation.accuracy)}`), legend);
    assert.match(await view.locator('.nas-derived-latency').innerText(), new RegExp(`measured ${escape(formatMs(derived.measuredLatencyMs))}`));
    assert.match(await view.locator('.nas-latency-table').innerText(), /^latency table: measured here.*; 60 networks measured end to end: table sums/);
    await shot('heatmap');
  });
});

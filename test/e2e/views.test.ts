import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { codeServerInstalled, runCommand, withWorkbench } from './codeServer';
import { writeTinySpec } from './e2eSpec';
import { explorerRow, openFile, quickOpen, viewFrame, waitForData } from './workbench';

const missing = codeServerInstalled();
const TRIALS = 20;
const PARAMS_LIMIT = 30_000;

interface JournalTrial {
  readonly trial: number;
  readonly arch: { readonly layers: readonly unknown[] };
  readonly metrics: Record<string, number>;
  readonly feasible: boolean;
  readonly error?: string;
}

function finishedTrials(experimentDir: string): JournalTrial[] {
  return readFileSync(join(experimentDir, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((r) => r.type === 'trial_finished');
}

/** Pareto front size by the definition (minimize x, maximize y), brute force: independent of the view's sweep. */
function frontSize(trials: readonly JournalTrial[], x: string, y: string): number {
  const points = trials.map((t) => [t.metrics[x], t.metrics[y]]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  return points.filter(([xi, yi]) => !points.some(([xj, yj]) => xj <= xi && yj >= yi && (xj < xi || yj > yi))).length;
}

/** Hovers the first point of the Pareto front (its pixel comes from the front line's path) and returns the tooltip's trial. */
async function hoverFirstFrontPoint(plot: Frame): Promise<{ trial: number; x: number; y: number }> {
  const path = (await plot.locator('.nas-front-line').getAttribute('d')) ?? '';
  const match = /^M([\d.]+),([\d.]+)/.exec(path);
  assert.ok(match, `front line path "${path}"`);
  const position = { x: Number(match[1]), y: Number(match[2]) };
  await plot.locator('.nas-scatter').hover({ position });
  const title = await plot.locator('.nas-tooltip-title', { hasText: /^Trial \d+$/ }).innerText({ timeout: 10_000 });
  return { trial: Number(title.replace('Trial ', '')), ...position };
}

async function shownRow(page: Page, text: string | RegExp) {
  const row = explorerRow(page, text).first();
  await row.waitFor({ timeout: 60_000 });
  return row;
}

test('views in a real VS Code: CodeLens, plot from the explorer, click to graph, export, arch editor, hover, progress, restore after reload', { skip: missing, timeout: 480_000 }, async () => {
  // Five epochs on 6000 digits and few repeated architectures: slow enough (about 2 s a trial, some
  // 40 s in all) that the plot opens while the run goes on, even when the first webview loads slowly.
  const prepare = (workspace: string) =>
    writeTinySpec(workspace, 'views', TRIALS, 6000, {
      space: { type: 'layers', convBlocks: { max: 0 }, denseLayers: { max: 2, units: [16, 32, 64, 128] }, dropout: [0, 0.25, 0.5] },
      evaluator: { type: 'train', epochs: 5, trainSamples: 6000, validationSamples: 256, testSamples: 256, latencyRepeats: 3, workers: 1 },
      constraints: [{ metric: 'params', max: PARAMS_LIMIT }],
      report: ['test_accuracy', 'latency_ms'],
    });
  await withWorkbench({ name: 'views', port: 8463, viewport: { width: 1600, height: 1000 }, prepare }, async ({ page, workspace, shot }) => {

    // CodeLens on the spec before any run.
    await quickOpen(page, 'views.nas.json');
    await page.locator('.codelens-decoration', { hasText: 'Run Experiment' }).waitFor({ timeout: 90_000 });

    await runCommand(page, 'NAS Studio: Run Experiment');
    // While it runs the CodeLens offers Stop and shows the live status. Stop it after a few trials,
    // open its plot from the status lens, then resume it from the explorer: whatever the machine's
    // speed, the open plot must then receive the remaining trials live.
    const lens = (text: string | RegExp) => page.locator('.codelens-decoration a', { hasText: text });
    await lens(new RegExp(`running ([2-9]|1\\d)/${TRIALS}`)).waitFor({ timeout: 90_000 });
    await lens('Stop').click();
    const stoppedLens = lens(new RegExp(`stopped \\d+/${TRIALS}`));
    await stoppedLens.waitFor({ timeout: 60_000 });
    await lens('Resume').waitFor();
    await stoppedLens.click();
    const live = await viewFrame(page, 'plot', /^views · latency \/ accuracy$/);
    const stoppedAt = (await live.locator('.nas-status', { hasText: /· stopped$/ }).innerText({ timeout: 60_000 })).split(' ')[0];

    await page.locator('.activitybar .action-item a[aria-label^="NAS Studio"]').first().click();
    const row = await shownRow(page, /^views/);
    await row.hover();
    await row.locator('.action-label[aria-label="Run Experiment"]').click();
    const seen: string[] = [];
    for (const deadline = Date.now() + 180_000; Date.now() < deadline; await page.waitForTimeout(100)) {
      const text = await live.locator('.nas-status').innerText().catch(() => '');
      if (text && seen.at(-1) !== text) seen.push(text);
      if (text.endsWith('· finished')) break;
    }
    process.stdout.write(`# stopped after ${stoppedAt} trials; plot status lines seen after resuming:\n${seen.map((l) => `#   ${l}`).join('\n')}\n`);
    assert.ok(Number(stoppedAt) >= 2 && Number(stoppedAt) < TRIALS, `stopped after ${stoppedAt}`);
    assert.ok(seen.some((l) => new RegExp(`^\\d+ trials · .* · running \\(\\d+/${TRIALS}\\)$`).test(l)), 'the plot showed the run going on');

    // Everything the plot says, against the journal on disk.
    const root = join(workspace, '.nas-studio/experiments');
    const [first] = readdirSync(root);
    const trials = finishedTrials(join(root, first));
    assert.equal(trials.length, TRIALS);
    const feasible = trials.filter((t) => t.feasible);
    assert.deepEqual(feasible.map((t) => t.trial), trials.filter((t) => t.metrics.params <= PARAMS_LIMIT && !t.error).map((t) => t.trial));
    const front = frontSize(trials, 'params', 'val_accuracy');
    const finalStatus = `${TRIALS} trials · ${feasible.length} feasible · ${front} on the Pareto front · finished`;
    assert.equal(seen.at(-1), finalStatus);
    assert.equal(await live.locator('.nas-scatter').getAttribute('data-points'), String(TRIALS));
    assert.equal(await live.locator('.nas-scatter').getAttribute('data-front'), String(front));
    assert.equal(await live.locator('.nas-constraint-label').first().textContent(), `Parameters ≤ 30 k`);
    await runCommand(page, 'View: Close All Editors');

    // Explorer -> experiment -> inline "Open Results" opens the plot of the finished experiment.
    await row.hover();
    await row.locator('.action-label[aria-label="Open Results"]').click();
    const plot = await viewFrame(page, 'plot', /^views · latency \/ accuracy$/);
    assert.equal(await waitForData(plot, '.nas-scatter', 'points', String(TRIALS)), String(TRIALS));
    assert.equal(await plot.locator('.nas-status').innerText(), finalStatus);
    await shot('plot');

    // Clicking a point opens that trial's graph beside the plot.
    const point = await hoverFirstFrontPoint(plot);
    await plot.locator('.nas-scatter').click({ position: { x: point.x, y: point.y } });
    const clicked = trials.find((t) => t.trial === point.trial);
    assert.ok(clicked);
    const graph = await viewFrame(page, 'graph', new RegExp(`^Trial ${point.trial} · `));
    // A layer stack draws one node per layer plus input and output.
    assert.equal(await waitForData(graph, '.nas-graph', 'nodes', String(clicked.arch.layers.length + 2)), String(clicked.arch.layers.length + 2));
    await shot('graph-from-plot');

    // Export the plot as SVG: the save dialog starts in the experiment's exports folder.
    await plot.locator('vscode-button', { hasText: 'Export SVG' }).click();
    const dialog = page.locator('.quick-input-widget input');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    // VS Code's own (simple) save dialog fills in the suggested path as it loads the folder.
    let suggested = '';
    for (let i = 0; i < 50 && !suggested.endsWith('.svg'); i++, await page.waitForTimeout(200)) suggested = await dialog.inputValue();
    assert.equal(suggested, join(root, first, 'exports', 'views-pareto.svg'));
    await page.keyboard.press('Enter');
    const exported = join(root, first, 'exports', 'views-pareto.svg');
    for (let i = 0; i < 100 && !existsSync(exported); i++) await page.waitForTimeout(100);
    const svg = readFileSync(exported, 'utf8');
    assert.match(svg, /^<svg[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal((svg.match(/<circle [^>]*r="2\.5"/g) ?? []).length, TRIALS, 'every point is a circle in the exported SVG');
    assert.equal((svg.match(/<circle [^>]*r="7"/g) ?? []).length, 1, 'and the clicked point is ringed');

    // Explorer: a trial item opens its graph in the same graph panel.
    await row.click();
    await (await shownRow(page, `Trials (${TRIALS})`)).click();
    await (await shownRow(page, /^#0 /)).click();
    const trial0 = await viewFrame(page, 'graph', /^Trial 0 · /);
    const zero = trials.find((t) => t.trial === 0);
    assert.ok(zero);
    assert.equal(await waitForData(trial0, '.nas-graph', 'nodes', String(zero.arch.layers.length + 2)), String(zero.arch.layers.length + 2));

    // The exported best architecture opens in the graph editor.
    const bestFile = join(root, first, 'exports', 'best.arch.json');
    const exportedBest = JSON.parse(readFileSync(bestFile, 'utf8'));
    await openFile(page, bestFile);
    const editorGraph = await viewFrame(page, 'graph', /^best\.arch\.json · /);
    assert.equal(await editorGraph.locator('.nas-heading').innerText(), `best.arch.json · ${exportedBest.description} · trial ${exportedBest.trial}`);
    assert.equal(await waitForData(editorGraph, '.nas-graph', 'nodes', String(exportedBest.layers.length + 2)), String(exportedBest.layers.length + 2));

    // Its text beside it; hovering the architecture shows its metrics and a picture of its graph.
    await runCommand(page, 'NAS Studio: Open Architecture as Text');
    const textEditor = page.locator('.editor-instance .monaco-editor', { has: page.locator('.view-line', { hasText: '"description"' }) }).first();
    await textEditor.locator('.view-line span', { hasText: '"layers"' }).first().hover();
    const hover = page.locator('.monaco-hover', { hasText: 'layers architecture' }).first();
    await hover.waitFor({ timeout: 30_000 });
    const hoverText = await hover.innerText();
    assert.match(hoverText, new RegExp(`Validation accuracy\\s+${(exportedBest.metrics.val_accuracy * 100).toFixed(2).replace('.', '\\.')}%`));
    assert.match(hoverText, new RegExp(`${exportedBest.layers.length + 2} nodes`));
    const picture = hover.locator('img[src^="data:image/svg+xml;base64,"]');
    await picture.waitFor({ timeout: 10_000 });
    const size = await picture.evaluate((img: HTMLImageElement) => ({ width: img.naturalWidth, height: img.naturalHeight, complete: img.complete }));
    assert.ok(size.complete && size.width > 100 && size.height > 30, `the hover renders the graph picture: ${JSON.stringify(size)}`);
    await picture.scrollIntoViewIfNeeded();
    await shot('hover');

    // Editing the text redraws the graph: one more hidden layer, one more node.
    const edited = { ...exportedBest, layers: [exportedBest.layers[0], { type: 'dense', units: 16, activation: 'relu' }, ...exportedBest.layers.slice(1)] };
    await textEditor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify(edited)); // one line: no auto-indent in the way
    assert.equal(await waitForData(editorGraph, '.nas-graph', 'nodes', String(edited.layers.length + 2)), String(edited.layers.length + 2));
    await page.keyboard.press('Control+S');
    for (let i = 0; i < 50 && readFileSync(bestFile, 'utf8') !== JSON.stringify(edited); i++) await page.waitForTimeout(100);
    assert.deepEqual(JSON.parse(readFileSync(bestFile, 'utf8')), edited);

    // The spec's CodeLens shows the final status with the best feasible val_accuracy; its Progress lens opens the progress view.
    await quickOpen(page, 'views.nas.json');
    const best = Math.max(...feasible.map((t) => t.metrics.val_accuracy));
    await page.locator('.codelens-decoration', { hasText: `finished ${TRIALS}/${TRIALS} · best Validation accuracy ${(best * 100).toFixed(2)}%` }).waitFor({ timeout: 30_000 });
    await shot('codelens');
    await page.locator('.codelens-decoration a', { hasText: 'Progress' }).click();
    const progress = await viewFrame(page, 'progress');
    assert.equal(await waitForData(progress, '.nas-best-chart', 'series', '1'), '1');
    assert.match(await progress.locator('.nas-progress-legend').innerText(), new RegExp(`views · regularized-evolution: ${(best * 100).toFixed(2).replace('.', '\\.')}% after ${TRIALS} evaluations`));
    await shot('progress');

    // After Developer: Reload Window (which saves the workbench state first, unlike a bare page
    // reload) VS Code restores the panels through their serializers.
    await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60_000 }), runCommand(page, 'Developer: Reload Window')]);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    const restoredPlot = await viewFrame(page, 'plot', /^views · latency \/ accuracy$/, 90_000);
    assert.equal(await waitForData(restoredPlot, '.nas-scatter', 'points', String(TRIALS)), String(TRIALS));
    assert.equal(await restoredPlot.locator('.nas-scatter').getAttribute('data-front'), String(front));
    const restoredProgress = await viewFrame(page, 'progress', undefined, 90_000);
    assert.equal(await waitForData(restoredProgress, '.nas-best-chart', 'series', '1'), '1');
    const restoredEditor = await viewFrame(page, 'graph', /^best\.arch\.json · /, 90_000);
    assert.equal(await waitForData(restoredEditor, '.nas-graph', 'nodes', String(edited.layers.length + 2)), String(edited.layers.length + 2));
    await shot('restored');
  });
});

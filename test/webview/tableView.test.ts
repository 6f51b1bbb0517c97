import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { accuracyInfo, countInfo, formatMetric, metricTitle, millisecondsInfo } from '../../contract/metricInfo';
import { trialRowOf } from '../../extension/panels/trialPages';
import { toPages } from '../../webviews/paging';
import { syntheticTrials, summaryFor } from './fixtures';
import { launchChromium, openView, screenshotThemes, type ViewPage } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

const metricInfo = { acc_top1: accuracyInfo('Top-1 accuracy', 'percent'), lat_ms_note10: millisecondsInfo('Latency on note10'), flops_m: countInfo('FLOPs', 1e6) };
const trials = syntheticTrials(100_000, 3).map((t, i) => (i % 97 === 5 ? { ...t, metrics: {}, feasible: false, error: 'out of memory' } : i % 31 === 7 ? { ...t, cached: true } : t));
const summary = summaryFor(trials, { metricInfo, report: ['flops_m'] });

async function loadTable(view: ViewPage): Promise<void> {
  await view.send({ type: 'init', view: 'table', experiment: summary });
  // As the host sends them to the table: rows without genome and architecture.
  for (const page of toPages(trials.map(trialRowOf), 5000)) await view.send({ type: 'trials', experiment: summary.id, ...page });
  await view.page.waitForFunction((n) => document.querySelector<HTMLElement>('.nas-table-scroll')?.dataset.rows === String(n), trials.length, { timeout: 30_000 });
}

const shownTrials = (view: ViewPage) => view.page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.nas-row'), (r) => Number(r.dataset.trial)));
const rowCount = (view: ViewPage) => view.page.evaluate(() => Number(document.querySelector<HTMLElement>('.nas-table-scroll')?.dataset.rows));

async function settled(view: ViewPage, rows: number): Promise<void> {
  await view.page.waitForFunction((n) => document.querySelector<HTMLElement>('.nas-table-scroll')?.dataset.rows === String(n), rows, { timeout: 10_000 });
}

test('100,000 trials: only the rows in view are in the page; titles and values in their units', async () => {
  const view = await openView(browser, 'table', { width: 1400, height: 900 });
  await loadTable(view);
  const head = await view.page.locator('.nas-head-cell').allInnerTexts();
  assert.deepEqual(head.map((h) => h.replace(/ [▲▼]$/, '')), ['#', 'Status', 'Architecture', 'Top-1 accuracy (%)', 'Latency on note10 (ms)', 'FLOPs', 'Duration', 'Started']);
  assert.deepEqual(head.slice(3, 6), ['acc_top1', 'lat_ms_note10', 'flops_m'].map((m) => metricTitle(m, metricInfo)));
  const domRows = await view.page.locator('.nas-row').count();
  assert.ok(domRows > 20 && domRows < 100, `${domRows} rows in the DOM`);
  const first = await view.page.locator('.nas-row').first().locator('.nas-cell').allInnerTexts();
  const t0 = trials[0];
  assert.deepEqual(first.slice(0, 6), ['0', 'infeasible', t0.key, formatMetric('acc_top1', t0.metrics.acc_top1, metricInfo), formatMetric('lat_ms_note10', t0.metrics.lat_ms_note10, metricInfo), formatMetric('flops_m', t0.metrics.flops_m, metricInfo)]);
  assert.match(first[3], /^\d+\.\d\d%$/);
  assert.match(first[4], /^\d+\.\d\d ms$/);
  assert.match(first[5], /^\d+(\.\d+)? [kMG]$/);
  await screenshotThemes(view, 'table');
  // Scrolling to the end shows the last trials.
  await view.page.locator('.nas-table-scroll').evaluate((e) => (e.scrollTop = e.scrollHeight));
  await view.page.waitForFunction(() => document.querySelector('.nas-row[data-trial="99999"]') !== null);
  assert.deepEqual(await view.violations(), []);
  await view.page.close();
});

test('sorting by a column orders every row by it; failed trials (no value) last either way', async () => {
  const view = await openView(browser, 'table', { width: 1400, height: 900 });
  await loadTable(view);
  const accuracy = view.page.locator('.nas-head-cell[data-column="metric:acc_top1"]');
  await accuracy.click(); // an objective to maximize: best first
  await view.page.waitForFunction(() => /sorted by Top-1 accuracy \(%\) \(descending\)/.test(document.querySelector('.nas-status')?.textContent ?? ''));
  const expected = trials.filter((t) => t.metrics.acc_top1 !== undefined).sort((a, b) => b.metrics.acc_top1 - a.metrics.acc_top1 || a.trial - b.trial).map((t) => t.trial);
  assert.deepEqual((await shownTrials(view)).slice(0, 20), expected.slice(0, 20));
  await accuracy.click();
  await view.page.waitForFunction(() => /sorted by Top-1 accuracy \(%\) ·|sorted by Top-1 accuracy \(%\)$/.test(document.querySelector('.nas-status')?.textContent ?? ''));
  assert.deepEqual((await shownTrials(view)).slice(0, 20), [...expected].reverse().slice(0, 20));
  await view.page.locator('.nas-table-scroll').evaluate((e) => (e.scrollTop = e.scrollHeight));
  await view.page.waitForFunction(() => document.querySelector('.nas-row:last-child .nas-cell:nth-child(2)')?.textContent?.startsWith('failed'));
  await view.page.close();
});

test('filters: status, a metric range in its unit, text in the architecture; CSV of what is shown; a click opens the trial', async () => {
  const view = await openView(browser, 'table', { width: 1400, height: 900 });
  await loadTable(view);
  // Hide infeasible and failed trials.
  await view.page.locator('vscode-checkbox[label="infeasible"]').click();
  await view.page.locator('vscode-checkbox[label="failed"]').click();
  const kept = trials.filter((t) => t.error === undefined && (t.cached || t.feasible));
  await settled(view, kept.length);
  // Latency between 10 and 15 ms, typed in ms.
  await view.page.locator('.nas-select').first().evaluate((e: HTMLElement & { value: string }) => {
    e.value = 'lat_ms_note10';
    e.dispatchEvent(new Event('change'));
  });
  await view.page.locator('input[aria-label="minimum"]').fill('10');
  await view.page.locator('input[aria-label="maximum"]').fill('15');
  const inRange = kept.filter((t) => t.metrics.lat_ms_note10 >= 10 && t.metrics.lat_ms_note10 <= 15);
  await settled(view, inRange.length);
  // Text in the architecture key: resolution 224.
  await view.page.locator('input[type="search"]').fill('-224');
  const matching = inRange.filter((t) => t.key.includes('-224'));
  await settled(view, matching.length);
  assert.equal(await rowCount(view), matching.length);
  assert.ok(matching.length > 100 && matching.length < inRange.length);
  assert.deepEqual((await shownTrials(view)).slice(0, 10), matching.slice(0, 10).map((t) => t.trial));

  await view.page.locator('vscode-button', { hasText: 'Export CSV' }).click();
  const csv = (await view.posted()).find((m) => m.type === 'exportCsv');
  assert.ok(csv && csv.type === 'exportCsv');
  assert.equal(csv.fileName, 'ofa-note10-trials.csv');
  const lines = csv.data.trimEnd().split('\r\n');
  assert.equal(lines.length, matching.length + 1);
  assert.equal(lines[0], '#,Status,Architecture,Top-1 accuracy (%),Latency on note10 (ms),FLOPs,Duration,Started');
  assert.equal(Number(lines[1].split(',')[4]), matching[0].metrics.lat_ms_note10, 'raw values, full precision');

  await view.page.locator('.nas-row').nth(2).click();
  const open = (await view.posted()).filter((m) => m.type === 'openTrial').at(-1);
  assert.deepEqual(open, { type: 'openTrial', experiment: summary.id, trial: matching[2].trial });
  await view.page.waitForFunction((n) => document.querySelector('.nas-selected-row')?.getAttribute('data-trial') === String(n), matching[2].trial);
  // Another view selecting a trial scrolls the table to it.
  const far = matching[matching.length - 5].trial;
  await view.send({ type: 'selectTrial', experiment: summary.id, trial: far });
  await view.page.waitForFunction((n) => document.querySelector('.nas-selected-row')?.getAttribute('data-trial') === String(n), far);
  await view.page.close();
});

test('the column chooser hides a column and the table keeps the choice in its state', async () => {
  const view = await openView(browser, 'table', { width: 1400, height: 900 });
  await loadTable(view);
  await view.page.locator('.nas-columns > summary').click();
  await view.page.locator('.nas-columns vscode-checkbox[label="FLOPs"]').click();
  await view.page.waitForFunction(() => document.querySelector('.nas-head-cell[data-column="metric:flops_m"]') === null);
  assert.deepEqual(((await view.state()) as { hidden: string[] }).hidden, ['metric:flops_m']);
  await view.page.close();
});

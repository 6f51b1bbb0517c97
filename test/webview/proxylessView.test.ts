import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { proxylessSummary } from '../unit/extension/summaries';
import { launchChromium, openView } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

test('ProxylessNAS view: a heatmap of softmax(α) per block and candidate, the curves, the derived network; live summaries redraw it', async () => {
  const view = await openView(browser, 'proxyless');
  const run = proxylessSummary();
  await view.send({ type: 'init', view: 'proxyless', run });
  await view.page.waitForSelector('.nas-heatmap tbody tr');
  const read = () =>
    view.page.evaluate(() => ({
      columns: Array.from(document.querySelectorAll('.nas-heatmap thead th'), (th) => th.textContent),
      rows: Array.from(document.querySelectorAll('.nas-heatmap tbody tr'), (tr) => Array.from(tr.children, (c) => c.textContent)),
      chosen: Array.from(document.querySelectorAll('.nas-heatmap .nas-chosen'), (td) => td.getAttribute('data-candidate')),
      absent: document.querySelectorAll('.nas-heatmap .nas-heat-absent').length,
      fill: Array.from(document.querySelectorAll<HTMLElement>('.nas-heatmap tbody tr:first-child .nas-heat-fill'), (f) => f.style.opacity),
      status: document.querySelector('.nas-proxyless-status')?.textContent,
      legend: document.querySelector('.nas-proxyless-legend')?.textContent,
      latencyLines: Array.from(document.querySelectorAll('.nas-latency-chart path.nas-line'), (p) => p.getAttribute('data-series')),
      bands: Array.from(document.querySelectorAll('.nas-latency-chart .nas-phase-label'), (b) => b.textContent),
      accuracyLines: Array.from(document.querySelectorAll('.nas-validation-chart path.nas-line'), (p) => p.getAttribute('data-series')),
      derived: document.querySelector<HTMLElement>('.nas-derived')?.hidden ? undefined : document.querySelector('.nas-derived')?.textContent,
    }));
  const shown = await read();
  assert.deepEqual(shown.columns, ['block', 'k3 e3', 'k3 e6', 'k5 e3', 'k5 e6', 'skip']);
  assert.deepEqual(shown.rows, [
    ['stage 1 · block 1', '0.10', '0.60', '0.20', '0.10', ''],
    ['stage 1 · block 2', '0.10', '0.10', '0.10', '0.10', '0.60'],
    ['stage 2 · block 1', '0.05', '0.05', '0.70', '0.10', '0.10'],
  ]);
  assert.deepEqual(shown.chosen, ['3x3_MBConv6', 'Zero', '5x5_MBConv3']);
  assert.equal(shown.absent, 1, 'the first block cannot be skipped');
  assert.deepEqual(shown.fill, ['0.1', '0.6', '0.2', '0.1']);
  assert.match(shown.status!, /^finished · epoch 3\/3 \(search\) · binarization two · add#linear to 0.8 ms/);
  assert.equal(shown.legend, 'E[lat]: 0.91 mstarget: 0.8 msvalidation accuracy: 74.00%');
  assert.deepEqual(shown.latencyLines, ['expected latency E[lat]', 'target']);
  assert.deepEqual(shown.bands, ['warmup', 'search']);
  assert.deepEqual(shown.accuracyLines, ['most likely network (validation)']);
  assert.equal(
    shown.derived,
    'Derived networkk3e6 skip | k5e3latency: measured 0.8 ms (table 0.84 ms, +5.0 %); 0.84 ms at the table\'s machine speed (table +0.0 %): timed with 8 networks of the space, which ran 1.25× their table latency; expected 0.91 ms at the end of the search' +
      'latency table: measured here on wasm, /ws/.nas-studio/experiments/run/exports/latency-table; 60 networks measured end to end: table sums 15.0 % within ±10 % (mean error 30.5 %); corrected 100.0 % within ±10 % (mean error 1.6 %), cross-validated' +
      'after 3 epoch(s) from scratch: validation 85.12% · test 84.33% · 12,345 params',
  );
  assert.deepEqual(await view.state(), { experiment: 'fashion-1' });
  await view.screenshot('proxyless-view');

  // A new epoch of a running search: the heatmap follows; summaries of other runs are not for this view.
  const running = proxylessSummary({ status: 'running', epoch: 1, derived: undefined, probabilities: [[0.25, 0.25, 0.25, 0.25], [0.2, 0.2, 0.2, 0.2, 0.2], [0.2, 0.2, 0.2, 0.2, 0.2]], curve: run.curve.slice(0, 1) });
  await view.send({ type: 'summary', summary: running });
  await view.send({ type: 'summary', summary: proxylessSummary({ id: 'other', probabilities: [[1, 0, 0, 0], [1, 0, 0, 0, 0], [1, 0, 0, 0, 0]] }) });
  await view.page.waitForFunction(() => document.querySelector('.nas-proxyless-status')?.textContent?.startsWith('running'));
  const live = await read();
  assert.deepEqual(live.rows[0], ['stage 1 · block 1', '0.25', '0.25', '0.25', '0.25', '']);
  assert.equal(live.derived, undefined);
  assert.deepEqual(live.bands, ['warmup']);
  assert.deepEqual(await view.violations(), []);
});

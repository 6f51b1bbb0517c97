import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { ValidationFile } from '../../contract/latencyValidation';
import { plotArea } from '../../webviews/chart/axes';
import { LinearScale, paddedExtent } from '../../webviews/chart/scale';
import { launchChromium, openView, screenshotThemes } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

const arch = (k: number, r: number) => ({ ks: Array(20).fill(k), e: Array(20).fill(4), d: [2, 3, 4, 3, 2], r });
const validation: ValidationFile = {
  table: '/tables/here',
  backend: "TensorFlow.js 4.22.0, backend 'wasm'",
  raw: { within10: 0.25, mape: 0.2125 },
  corrected: { within10: 0.75, mape: 0.0625 },
  layerSums: { within10: 0.5, mape: 0.1 },
  correction: { intercept: 1, fixedScale: 1, blockScale: 1.2, blockOverhead: 0.1, networks: 4 },
  networks: [
    { arch: arch(3, 160), predicted: 10, corrected: 11, measured: 12, layerSum: 11.5 },
    { arch: arch(5, 192), predicted: 20, corrected: 24, measured: 25 },
    { arch: arch(7, 224), predicted: 30, corrected: 33, measured: 32 },
    { arch: arch(3, 224), predicted: 38, corrected: 40, measured: 40 },
  ],
};

test('latency validation view: both predictors against the measurements, y = x and the ±10 % band, the figures, a network on hover', async () => {
  const view = await openView(browser, 'latency');
  await view.send({ type: 'init', view: 'latency', title: '/tables/here', validation });
  await view.page.waitForSelector('.nas-scatter[data-points="8"]');
  const shown = await view.page.evaluate(() => ({
    heading: document.querySelector('.nas-heading')?.textContent,
    figures: Array.from(document.querySelectorAll('.nas-latency-figure'), (f) => f.textContent),
    where: document.querySelector('.nas-latency-where')?.textContent,
    legend: document.querySelector('.nas-latency-legend')?.textContent,
    rays: Array.from(document.querySelectorAll('.nas-ray'), (r) => r.getAttribute('data-label')),
    band: document.querySelector('.nas-ray-band')?.getAttribute('data-label'),
  }));
  assert.equal(shown.heading, 'Latency validation · /tables/here');
  assert.deepEqual(shown.figures, [
    'table sums: 25.00% within ±10 %, MAPE 21.25%',
    'learned correction (cross-validated): 75.00% within ±10 %, MAPE 6.25%',
    'same-moment layer sums: 50.00% within ±10 %, MAPE 10.00%',
  ]);
  assert.equal(shown.where, "4 networks measured on TensorFlow.js 4.22.0, backend 'wasm'");
  assert.equal(shown.legend, 'table sumlearned correctionwithin ±10 % of the measurement');
  assert.deepEqual(shown.rays, ['y = x']);
  assert.equal(shown.band, '±10 %');
  assert.deepEqual(await view.state(), { folder: '/tables/here' });

  // The y = x line runs through the points where prediction equals measurement: network 4's corrected point (40, 40).
  const box = (await view.page.locator('.nas-scatter').boundingBox())!;
  const area = plotArea(box.width, box.height);
  const xs = validation.networks.flatMap((n) => [n.predicted, n.corrected]);
  const ys = validation.networks.map((n) => n.measured);
  const x = new LinearScale(paddedExtent(xs), [area.left, area.left + area.width]);
  const y = new LinearScale(paddedExtent(ys), [area.top + area.height, area.top]);
  await view.page.mouse.move(box.x + x.map(40), box.y + y.map(40));
  await view.page.waitForSelector('.nas-tooltip:not([hidden])');
  const tip = await view.page.evaluate(() => ({
    title: document.querySelector('.nas-tooltip-title')?.textContent,
    rows: Array.from(document.querySelectorAll('.nas-tooltip tr'), (tr) => [tr.children[0].textContent, tr.children[1].textContent]),
  }));
  assert.equal(tip.title, 'network 4 · learned correction');
  assert.deepEqual(tip.rows, [
    ['encoding', `ks ${Array(20).fill(3).join(',')} · e ${Array(20).fill(4).join(',')} · d 2,3,4,3,2 · r 224`],
    ['predicted', '40 ms'],
    ['measured', '40 ms'],
    ['error', '+0.0 %'],
  ]);
  await view.page.mouse.move(box.x + x.map(10), box.y + y.map(12));
  await view.page.waitForFunction(() => document.querySelector('.nas-tooltip-title')?.textContent === 'network 1 · table sum');
  const first = await view.page.evaluate(() => Array.from(document.querySelectorAll('.nas-tooltip tr'), (tr) => tr.textContent));
  assert.deepEqual(first.slice(1), ['predicted10 ms', 'measured12 ms', 'error-16.7 %', 'layers now11.5 ms']);
  await screenshotThemes(view, 'latency-view');

  // A malformed init (a network without its measurement) is rejected, not drawn.
  await view.send({ type: 'init', view: 'latency', title: 'bad', validation: { ...validation, networks: [{ arch: arch(3, 160), predicted: 1, corrected: 1 }] } });
  // Wait until the view has handled it (it reports the rejection to the host) before reading the heading.
  await view.page.waitForFunction(() => (window as unknown as { __nas: { posted: { type: string; message?: string }[] } }).__nas.posted.some((m) => m.type === 'error' && m.message?.startsWith('latency view rejected a message') === true));
  assert.equal(await view.page.evaluate(() => document.querySelector('.nas-heading')?.textContent), 'Latency validation · /tables/here');
  assert.deepEqual(await view.violations(), []);
});

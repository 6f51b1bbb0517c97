import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { TrialRecord } from '../../contract/runs';
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

/** A noisy falling loss (zig-zag) and a rising accuracy, per epoch. */
function curveOf(trial: number, epochs: number): NonNullable<TrialRecord['curve']> {
  return Array.from({ length: epochs }, (_, i) => ({
    epoch: i + 1,
    loss: 2 / (i + 1) + (i % 2 === 0 ? 0.4 : 0) + 0.01 * trial,
    accuracy: Math.min(0.99, 0.3 + 0.08 * i),
    ...(i === epochs - 1 ? { valAccuracy: 0.5 + 0.01 * trial } : {}),
  }));
}

const trials = syntheticTrials(10, 4).map((t) => ({ ...t, curve: curveOf(t.trial, 8) }));
const summary = summaryFor(trials);

/** Ranks of numbers, smallest first: the order a path's y coordinates must have (inverted) to draw them. */
const ranks = (values: readonly number[]) => values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);

/** y coordinates of a path's points, read from its `d`. */
const ys = (d: string) => [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => Number(m[2]));

async function lossPath(view: ViewPage, label: string): Promise<string> {
  return view.page.evaluate((l) => document.querySelector(`.nas-trial-loss-chart path.nas-line[data-series="${l}"]`)?.getAttribute('d') ?? '', label);
}

async function setSmoothing(view: ViewPage, weight: number): Promise<void> {
  await view.page.evaluate((w) => {
    const slider = document.querySelector<HTMLInputElement>('.nas-smoothing')!;
    slider.value = String(w);
    slider.dispatchEvent(new Event('input'));
  }, weight);
  await view.page.waitForFunction((w) => document.querySelector<HTMLElement>('.nas-trial-curves')?.dataset.smoothing === w.toFixed(2), weight);
}

test('the progress view overlays the newest trials\' curves, a trial in training and the selected one; the slider smooths them', async () => {
  const view = await openView(browser, 'progress', { width: 1200, height: 1100 });
  await view.send({ type: 'init', view: 'progress', runs: [{ experiment: summary, label: 'ofa-note10' }] });
  for (const page of toPages(trials, 4)) await view.send({ type: 'trials', experiment: summary.id, ...page });
  await view.send({ type: 'trialCurve', experiment: summary.id, trial: 10, points: curveOf(10, 3).map(({ valAccuracy: _, ...p }) => p) });
  // Messages are handled one at a time; wait for the last one's effect, not just any six curves.
  await view.page.waitForFunction(() => {
    const paths = document.querySelectorAll('.nas-trial-loss-chart path.nas-line');
    return paths.length === 6 && paths[0]?.getAttribute('data-series') === '#10 (training)';
  });
  const labels = await view.page.evaluate(() => Array.from(document.querySelectorAll('.nas-trial-loss-chart path.nas-line'), (p) => p.getAttribute('data-series')));
  assert.deepEqual(labels, ['#10 (training)', '#9', '#8', '#7', '#6', '#5']);
  const legend = await view.page.locator('.nas-curves-legend').innerText();
  assert.match(legend, /#9: epoch 8 loss 0\.34, accuracy 86\.00%, validation 59\.00%/);
  assert.match(legend, /#10 \(training\): epoch 3 loss 1\.167, accuracy 46\.00%/);

  // At 0 the path follows the raw zig-zag; at 0.9 the debiased moving average (computed here by hand).
  await setSmoothing(view, 0);
  const raw = curveOf(9, 8).map((p) => p.loss);
  const rawPath = await lossPath(view, '#9');
  assert.deepEqual(ranks(ys(rawPath).map((y) => -y)), ranks(raw));
  await setSmoothing(view, 0.9);
  let biased = 0;
  const smoothed = raw.map((v, k) => {
    biased = 0.9 * biased + 0.1 * v;
    return biased / (1 - 0.9 ** (k + 1));
  });
  const smoothPath = await lossPath(view, '#9');
  assert.notEqual(smoothPath, rawPath);
  assert.deepEqual(ranks(ys(smoothPath).map((y) => -y)), ranks(smoothed));
  assert.notDeepEqual(ranks(smoothed), ranks(raw), 'the example must tell the two apart');
  assert.equal(await view.page.locator('.nas-smoothing-value').innerText(), '0.90');

  // A trial selected in another view comes first; when it finishes, its curve replaces the live one.
  await view.send({ type: 'selectTrial', experiment: summary.id, trial: 2 });
  await view.page.waitForFunction(() => document.querySelector('.nas-trial-loss-chart path.nas-line')?.getAttribute('data-series') === '#2');
  await view.send({ type: 'trialAdded', experiment: summary.id, trial: { ...syntheticTrials(11, 4)[10], curve: curveOf(10, 8) } });
  await view.page.waitForFunction(() => Array.from(document.querySelectorAll('.nas-trial-loss-chart path.nas-line'), (p) => p.getAttribute('data-series')).join() === '#2,#10,#9,#8,#7,#6');
  assert.match(await view.page.locator('.nas-trial-curves h2').innerText(), /trial #2 selected and the 6 most recent/);
  assert.deepEqual(await view.violations(), []);
  await setSmoothing(view, 0.6);
  await screenshotThemes(view, 'progress-trial-curves');
  await view.page.close();
});

test('no curves (a benchmark table, an older run): no curves section, no sparkline column', async () => {
  const plain = syntheticTrials(5, 2);
  for (const kind of ['progress', 'table'] as const) {
    const view = await openView(browser, kind);
    await view.send(kind === 'progress' ? { type: 'init', view: 'progress', runs: [{ experiment: summaryFor(plain), label: 'nb201' }] } : { type: 'init', view: 'table', experiment: summaryFor(plain) });
    await view.send({ type: 'trials', experiment: 'exp-1', page: 0, pages: 1, items: plain });
    if (kind === 'progress') {
      await view.page.waitForFunction(() => /after 5 evaluations/.test(document.querySelector('.nas-progress-legend')?.textContent ?? ''));
      assert.equal(await view.page.evaluate(() => document.querySelector<HTMLElement>('.nas-trial-curves')?.hidden), true);
    } else {
      await view.page.waitForFunction(() => document.querySelector<HTMLElement>('.nas-table-scroll')?.dataset.rows === '5');
      assert.ok(!(await view.page.locator('.nas-head-cell').allInnerTexts()).some((h) => h.startsWith('Training loss')));
    }
    await view.page.close();
  }
});

test('the trials table draws a sparkline of each trial\'s training loss, and sorts by the last epoch\'s loss', async () => {
  const view = await openView(browser, 'table', { width: 1400, height: 700 });
  await view.send({ type: 'init', view: 'table', experiment: summary });
  await view.send({ type: 'trials', experiment: summary.id, page: 0, pages: 1, items: trials });
  await view.page.waitForFunction(() => document.querySelector<HTMLElement>('.nas-table-scroll')?.dataset.rows === '10');
  const head = await view.page.locator('.nas-head-cell').allInnerTexts();
  const column = head.findIndex((h) => h.startsWith('Training loss by epoch'));
  assert.ok(column > 0, head.join(' | '));
  const cell = view.page.locator('.nas-row[data-trial="3"] .nas-cell').nth(column);
  const d = (await cell.locator('svg.nas-sparkline path').getAttribute('d')) ?? '';
  assert.equal((d.match(/[ML]/g) ?? []).length, 8, 'one point per epoch');
  const losses = curveOf(3, 8).map((p) => p.loss);
  assert.deepEqual(ranks(ys(d).map((y) => -y)), ranks(losses), 'the line goes up and down with the loss');
  assert.equal(await cell.getAttribute('title'), `8 epochs: ${losses.map((v) => String(Number(v.toPrecision(4)))).join(' → ')}`);
  await view.page.locator('.nas-head-cell', { hasText: 'Training loss by epoch' }).click();
  await view.page.waitForFunction(() => document.querySelector('.nas-row')?.getAttribute('data-trial') === '0');
  await view.page.close();
});

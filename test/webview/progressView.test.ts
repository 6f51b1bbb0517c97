import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { toPages } from '../../webviews/paging';
import { bestSoFar } from '../../webviews/progress/bestSoFar';
import { supernetSummary } from '../unit/extension/summaries';
import { syntheticTrials, summaryFor } from './fixtures';
import { launchChromium, openView, screenshotThemes } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

test('best-so-far curves of several strategies, and supernet training phases', async () => {
  const view = await openView(browser, 'progress');
  const random = syntheticTrials(300, 1);
  const evolution = syntheticTrials(300, 2).map((t) => ({ ...t, metrics: { ...t.metrics, acc_top1: t.metrics.acc_top1 + 0.004 * t.trial } }));
  const runs = [
    { experiment: summaryFor(random, { id: 'random', name: 'random' }), label: 'random search' },
    { experiment: summaryFor(evolution, { id: 'evolution', name: 'evolution' }), label: 'regularized evolution' },
  ];
  await view.send({ type: 'init', view: 'progress', runs });
  for (const [id, trials] of [['random', random], ['evolution', evolution]] as const) {
    for (const page of toPages(trials, 128)) await view.send({ type: 'trials', experiment: id, ...page });
  }
  const phases = ['full', 'elastic kernel', 'elastic depth', 'elastic expand'];
  const points = phases.flatMap((phase, p) =>
    Array.from({ length: 10 }, (_, i) => ({ phase, epoch: p * 10 + i + 1, loss: 2.5 - 0.05 * (p * 10 + i), accuracy: 0.3 + 0.012 * (p * 10 + i), smallestAccuracy: 0.2 + 0.01 * (p * 10 + i) })),
  );
  // The running loss of epoch 41, half done.
  const live = { phase: 'elastic expand', epoch: 40.5, loss: 0.52 };
  await view.send({ type: 'training', experiment: 'evolution', page: 0, pages: 1, items: [...points, live] });
  // Both series appear with their first pages; wait until every page and the training curves have
  // been drawn (messages are drawn in animation frames, so the last trials page can be drawn alone).
  await view.page.waitForFunction(
    () =>
      (document.querySelector('.nas-progress-legend')?.textContent?.match(/after 300 evaluations/g) ?? []).length === 2 &&
      document.querySelector('.nas-training-legend')?.textContent?.includes('training loss: 0.52') === true,
  );
  const info = await view.page.evaluate(() => ({
    lines: Array.from(document.querySelectorAll('.nas-best-chart path.nas-line'), (p) => p.getAttribute('data-series')),
    legend: document.querySelector('.nas-progress-legend')?.textContent,
    trainingHidden: document.querySelector<HTMLElement>('.nas-training')?.hidden,
    bands: Array.from(document.querySelectorAll('.nas-loss-chart .nas-phase-label'), (b) => b.textContent),
    lossLines: Array.from(document.querySelectorAll('.nas-loss-chart path.nas-line'), (p) => p.getAttribute('data-series')),
    accuracyLines: Array.from(document.querySelectorAll('.nas-accuracy-chart path.nas-line'), (p) => p.getAttribute('data-series')),
    trainingLegend: document.querySelector('.nas-training-legend')?.textContent,
  }));
  assert.deepEqual(info.lines, ['random search', 'regularized evolution']);
  const finalBest = (trials: typeof random) => bestSoFar(trials, 'acc_top1', 'maximize', 'evaluations').at(-1)?.[1] ?? NaN;
  assert.ok(info.legend?.includes(`random search: ${Number(finalBest(random).toPrecision(4))} after 300 evaluations`), info.legend);
  assert.ok(info.legend?.includes(`regularized evolution: ${Number(finalBest(evolution).toPrecision(4))} after 300 evaluations`), info.legend);
  assert.equal(info.trainingHidden, false);
  assert.deepEqual(info.bands, phases);
  assert.deepEqual(info.lossLines, ['training loss']);
  assert.deepEqual(info.accuracyLines, ['largest sub-network (validation)', 'smallest sub-network (validation)']);
  // Last values: the live loss, and the accuracies after epoch 40 (0.3 + 0.012 * 39, 0.2 + 0.01 * 39).
  assert.equal(info.trainingLegend, 'training loss: 0.52largest sub-network (validation): 76.80%smallest sub-network (validation): 59.00%');
  assert.deepEqual(await view.violations(), []);
  // Time axis is kept in the view state.
  await view.page.locator('vscode-single-select').click();
  await view.page.locator('vscode-single-select').press('ArrowDown');
  await view.page.locator('vscode-single-select').press('Enter');
  await view.page.waitForFunction(() => document.querySelector('.nas-best-chart .nas-axis-title')?.textContent === 'evaluation time');
  assert.deepEqual(await view.state(), { experiments: ['random', 'evolution'], axis: 'time' });
  await screenshotThemes(view, 'progress');
  await view.page.close();
});

test('a supernet training run alone: training curves without the best-so-far section; export takes the accuracy chart', async () => {
  const view = await openView(browser, 'progress');
  const run = { experiment: supernetSummary({ id: 'supernet-1', name: 'supernet-mnist' }), label: 'supernet-mnist' };
  await view.send({ type: 'init', view: 'progress', runs: [run] });
  const points = [
    { phase: 'full', epoch: 1, loss: 0.9, accuracy: 0.9, smallestAccuracy: 0.9 },
    { phase: 'kernel', epoch: 2, loss: 0.5, accuracy: 0.95, smallestAccuracy: 0.93 },
    { phase: 'full', epoch: 3, loss: 0.4, accuracy: 0.96, smallestAccuracy: 0.94 },
  ];
  await view.send({ type: 'training', experiment: 'supernet-1', page: 0, pages: 1, items: points });
  await view.page.waitForFunction(() => document.querySelector<HTMLElement>('.nas-training')?.hidden === false);
  const info = await view.page.evaluate(() => ({
    searchHidden: document.querySelector<HTMLElement>('.nas-search')?.hidden,
    axisShown: document.querySelector<HTMLElement>('.nas-field')?.offsetParent !== null,
    heading: document.querySelector('.nas-training .nas-heading')?.textContent,
    // A phase that comes back later is a new band.
    bands: Array.from(document.querySelectorAll('.nas-accuracy-chart .nas-phase-label'), (b) => b.textContent),
  }));
  assert.equal(info.searchHidden, true);
  assert.equal(info.axisShown, false, 'no search: no x-axis choice');
  assert.equal(info.heading, 'Supernet training · supernet-mnist · 3 phases');
  assert.deepEqual(info.bands, ['full', 'kernel', 'full']);
  await view.page.getByText('Export SVG').click();
  await view.page.waitForFunction(() => (window as unknown as { __nas: { posted: { type: string }[] } }).__nas.posted.some((m) => m.type === 'exportImage'));
  const exported = (await view.posted()).find((m) => m.type === 'exportImage');
  assert.ok(exported && exported.type === 'exportImage');
  assert.equal(exported.fileName, 'supernet-mnist-training.svg');
  assert.ok(exported.data.includes('smallest sub-network (validation)'), 'the accuracy chart is exported');
  assert.deepEqual(await view.violations(), []);
  await view.screenshot('progress-supernet');
  await view.page.close();
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { toPages } from '../../webviews/paging';
import { bestSoFar } from '../../webviews/progress/bestSoFar';
import { syntheticTrials, summaryFor } from './fixtures';
import { launchChromium, openView } from './harness';

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
    Array.from({ length: 10 }, (_, i) => ({ phase, epoch: p * 10 + i + 1, loss: 2.5 - 0.05 * (p * 10 + i), accuracy: 0.3 + 0.012 * (p * 10 + i) })),
  );
  await view.send({ type: 'training', experiment: 'evolution', page: 0, pages: 1, items: points });
  // Both series appear with their first pages; wait until every page has been drawn.
  await view.page.waitForFunction(() => (document.querySelector('.nas-progress-legend')?.textContent?.match(/after 300 evaluations/g) ?? []).length === 2);
  const info = await view.page.evaluate(() => ({
    lines: Array.from(document.querySelectorAll('.nas-best-chart path.nas-line'), (p) => p.getAttribute('data-series')),
    legend: document.querySelector('.nas-progress-legend')?.textContent,
    trainingHidden: document.querySelector<HTMLElement>('.nas-training')?.hidden,
    bands: Array.from(document.querySelectorAll('.nas-loss-chart .nas-phase-label'), (b) => b.textContent),
    lossLines: document.querySelectorAll('.nas-loss-chart path.nas-line').length,
  }));
  assert.deepEqual(info.lines, ['random search', 'regularized evolution']);
  const finalBest = (trials: typeof random) => bestSoFar(trials, 'acc_top1', 'maximize', 'evaluations').at(-1)?.[1] ?? NaN;
  assert.ok(info.legend?.includes(`random search: ${Number(finalBest(random).toPrecision(4))} after 300 evaluations`), info.legend);
  assert.ok(info.legend?.includes(`regularized evolution: ${Number(finalBest(evolution).toPrecision(4))} after 300 evaluations`), info.legend);
  assert.equal(info.trainingHidden, false);
  assert.deepEqual(info.bands, phases);
  assert.equal(info.lossLines, 4);
  assert.deepEqual(await view.violations(), []);
  // Time axis is kept in the view state.
  await view.page.locator('vscode-single-select').click();
  await view.page.locator('vscode-single-select').press('ArrowDown');
  await view.page.locator('vscode-single-select').press('Enter');
  await view.page.waitForFunction(() => document.querySelector('.nas-best-chart .nas-axis-title')?.textContent === 'evaluation time');
  assert.deepEqual(await view.state(), { experiments: ['random', 'evolution'], axis: 'time' });
  await view.screenshot('progress-dark');
  await view.page.close();
});

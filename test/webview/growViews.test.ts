// Issue 14: a scaling study's plot (accuracy against FLOPs, a line per rule, the grid faded) and an
// AdaNet ensemble's objective per iteration in the progress view.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { TrialRecord } from '../../contract/runs';
import { toPages } from '../../webviews/paging';
import { ensembleSummary, scalingSummary } from '../unit/extension/summaries';
import { launchChromium, openView } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

const study = scalingSummary();
const onLines = study.lines.flatMap((l) => l.points);
/** Every network of the study: the lines' points and the grid points that were not chosen. */
const trials: TrialRecord[] = Array.from({ length: 8 }, (_, trial) => {
  const p = onLines.find((q) => q.trial === trial);
  const metrics = p ? { flops: p.flops, val_accuracy: p.valAccuracy } : { flops: 140_000 + 3000 * trial, val_accuracy: 0.86 + 0.001 * trial };
  return { trial, key: `k${trial}`, genome: [], arch: { space: 'layers' }, metrics, feasible: true, cached: false, durationMs: 1000 };
});

test('a scaling study: accuracy against FLOPs, one line per rule through its family, the unchosen grid points faded', async () => {
  const view = await openView(browser, 'plot');
  await view.send({ type: 'init', view: 'plot', experiment: study, x: 'flops', y: 'val_accuracy', constraints: [] });
  for (const page of toPages(trials)) await view.send({ type: 'trials', experiment: study.id, ...page });
  await view.page.waitForFunction(() => document.querySelector<HTMLElement>('.nas-scatter')?.dataset.points === '8');
  const info = await view.page.evaluate(() => ({
    heading: document.querySelector('h2, .nas-heading')?.textContent,
    rules: Array.from(document.querySelectorAll('.nas-rule'), (g) => [g.getAttribute('data-rule'), g.getAttribute('data-points'), g.querySelector('path.nas-line')?.getAttribute('d')?.split('L').length ?? 0]),
    faded: document.querySelector<HTMLElement>('.nas-scatter')?.dataset.faded,
    front: document.querySelector<HTMLElement>('.nas-scatter')?.dataset.front,
    legend: document.querySelector('.nas-legend')?.textContent,
    status: document.querySelector('.nas-status')?.textContent,
  }));
  assert.equal(info.heading, 'grow · accuracy / FLOPs per scaling rule');
  assert.deepEqual(info.rules, [['compound', '3', 3], ['depth only', '3', 3]], 'each rule: a path through the base, φ = 1 and φ = 2');
  assert.equal(info.faded, '3', 'grid trials 1, 2 and 4 (3 is the compound φ = 1 member)');
  assert.equal(info.front, '0', 'no Pareto front: the rules are compared by their lines');
  assert.equal(info.legend, 'compounddepth onlygrid search');
  assert.match(info.status ?? '', /^8 networks · 2 rules · 3 grid points faded · finished/);
  assert.deepEqual(await view.violations(), []);
  await view.screenshot('plot-scaling-dark');
  await view.page.close();
});

test('an AdaNet ensemble: F on the training and held-out examples per iteration, and its accuracy', async () => {
  const view = await openView(browser, 'progress');
  const ensemble = ensembleSummary();
  await view.send({ type: 'init', view: 'progress', runs: [{ experiment: ensemble, label: 'ens' }] });
  await view.page.waitForFunction(() => document.querySelector<HTMLElement>('.nas-objective-chart')?.dataset.iterations === '2');
  const info = await view.page.evaluate(() => ({
    hidden: [document.querySelector<HTMLElement>('.nas-ensemble')?.hidden, document.querySelector<HTMLElement>('.nas-best-chart')?.closest('section')?.hidden],
    heading: document.querySelector('.nas-ensemble h2')?.textContent,
    legend: document.querySelector('.nas-ensemble-legend')?.textContent,
    objective: Array.from(document.querySelectorAll('.nas-objective-chart path.nas-line'), (p) => p.getAttribute('data-series')),
    accuracy: Array.from(document.querySelectorAll('.nas-ensemble-accuracy-chart path.nas-line'), (p) => p.getAttribute('data-series')),
  }));
  assert.deepEqual(info.hidden, [false, true]);
  assert.equal(info.heading, 'AdaNet ensemble · ens · 2 members');
  assert.equal(info.legend, 'F on the training examples: 1.5500F on the held-out examples: 1.6759validation accuracy: 51.95%test accuracy: 47.66%');
  assert.deepEqual(info.objective, ['F on the training examples', 'F on the held-out examples']);
  assert.deepEqual(info.accuracy, ['validation accuracy', 'test accuracy']);
  assert.deepEqual(await view.violations(), []);
  await view.page.close();
});

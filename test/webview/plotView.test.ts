import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { toPages } from '../../webviews/paging';
import { paretoFront } from '../../webviews/plot/pareto';
import { syntheticTrials, summaryFor } from './fixtures';
import { launchChromium, openView, screenshotThemes, type ViewPage } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

const trials = syntheticTrials(10_000, 7);
const summary = summaryFor(trials);
const constraints = [{ metric: 'lat_ms_note10', max: 20 }];

async function loadPlot(view: ViewPage, items = trials): Promise<void> {
  await view.send({ type: 'init', view: 'plot', experiment: summary, x: 'lat_ms_note10', y: 'acc_top1', constraints });
  for (const page of toPages(items, 2500)) await view.send({ type: 'trials', experiment: summary.id, ...page });
  await view.page.waitForFunction((n) => document.querySelector<HTMLElement>('.nas-scatter')?.dataset.points === String(n), items.length);
}

/** Independent front: brute force over a sample is too slow for 10k, so sort-and-sweep in plain JS. */
function expectedFrontSize(): number {
  const points = trials.map((t) => [t.metrics.lat_ms_note10, t.metrics.acc_top1] as const).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let best = -Infinity;
  let count = 0;
  for (const [, acc] of points) if (acc > best) (best = acc), count++;
  return count;
}

test('10,000 points, the Pareto front and the constraint line are drawn', async () => {
  const view = await openView(browser, 'plot');
  await loadPlot(view);
  const info = await view.page.evaluate(() => ({
    points: document.querySelector<HTMLElement>('.nas-scatter')?.dataset.points,
    front: document.querySelector<HTMLElement>('.nas-scatter')?.dataset.front,
    frontPath: document.querySelector('.nas-front-line')?.getAttribute('d')?.length ?? 0,
    constraint: document.querySelectorAll('.nas-constraint').length,
    constraintLabel: document.querySelector('.nas-constraint-label')?.textContent,
    status: document.querySelector('.nas-status')?.textContent,
    buttons: Array.from(document.querySelectorAll('vscode-button'), (b) => b.textContent),
  }));
  assert.equal(info.points, '10000');
  assert.equal(Number(info.front), expectedFrontSize());
  assert.equal(Number(info.front), paretoFront(trials.map((t) => t.metrics.lat_ms_note10), trials.map((t) => t.metrics.acc_top1), 'minimize', 'maximize').length);
  assert.ok(info.frontPath > 20);
  assert.equal(info.constraint, 1);
  assert.equal(info.constraintLabel, 'lat_ms_note10 ≤ 20');
  const feasible = trials.filter((t) => t.feasible).length;
  assert.match(info.status ?? '', new RegExp(`^10000 trials · ${feasible} feasible · ${info.front} on the Pareto front`));
  assert.deepEqual(info.buttons, ['Reset zoom', 'Export SVG', 'Export PNG']);
  assert.deepEqual(await view.violations(), []);
  await screenshotThemes(view, 'plot-10k');
  await view.page.close();
});

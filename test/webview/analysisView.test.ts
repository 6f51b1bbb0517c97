import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { accuracyInfo, millisecondsInfo } from '../../contract/metricInfo';
import type { TrialRecord } from '../../contract/runs';
import { Rng } from '../../server/core/rng';
import { toPages } from '../../webviews/paging';
import { summaryFor } from './fixtures';
import { launchChromium, openView, screenshotThemes } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

const OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'];
const decisions = Array.from({ length: 6 }, (_, i) => ({ name: `edge${i}`, choices: OPS }));

/** A synthetic NAS-Bench-201-like search where only edge 2 decides the accuracy (plus a little noise); latency is independent noise. */
function synthetic(count: number): TrialRecord[] {
  const rng = new Rng(11);
  const effect = [80, 84, 88, 93, 86];
  return Array.from({ length: count }, (_, trial) => {
    const genome = decisions.map(() => rng.int(OPS.length));
    return {
      trial,
      key: genome.join(''),
      genome,
      arch: { space: 'nb201' },
      metrics: { accuracy: effect[genome[2]] + 0.2 * rng.normal(), latency_ms: 5 + rng.next() },
      feasible: true,
      cached: false,
      durationMs: 1,
    };
  });
}

test('importance: on a search where only one decision matters, fANOVA gives it nearly all; parallel coordinates draw every trial and brush', async () => {
  const trials = synthetic(300);
  const summary = summaryFor(trials, {
    objectives: [{ metric: 'accuracy', goal: 'maximize' }],
    constraints: [],
    report: ['latency_ms'],
    metricInfo: { accuracy: accuracyInfo('Accuracy', 'percent'), latency_ms: millisecondsInfo('Latency') },
  });
  const view = await openView(browser, 'analysis', { width: 1400, height: 900 });
  await view.send({ type: 'init', view: 'analysis', experiment: summary, decisions });
  for (const page of toPages(trials, 1000)) await view.send({ type: 'trials', experiment: summary.id, ...page });
  await view.page.waitForFunction(() => document.querySelector<HTMLElement>('.nas-importance')?.dataset.trees === '64', undefined, { timeout: 120_000 });
  const ranked = JSON.parse((await view.page.locator('.nas-importance').getAttribute('data-importance')) ?? '[]') as [string, number][];
  assert.equal(ranked[0][0], 'edge2');
  assert.ok(ranked[0][1] > 0.9, `edge2 gets ${ranked[0][1]}`);
  for (const [name, value] of ranked.slice(1)) assert.ok(value < 0.05, `${name} gets ${value}`);
  assert.match(await view.page.locator('.nas-importance-row').first().innerText(), /^edge2\s+(9\d|100)\.\d%$/);
  assert.match(await view.page.locator('.nas-status').nth(1).innerText(), /random forest of 64 trees fitted to 300 trials/);
  await screenshotThemes(view, 'analysis');

  // Six decision axes and the objective and the reported metric... the objective only (no constraints): 7 axes.
  const chart = view.page.locator('.nas-parallel');
  assert.equal(await chart.getAttribute('data-lines'), '300');
  assert.equal(await chart.getAttribute('data-axes'), '7');
  assert.deepEqual(await view.page.locator('.nas-parallel .nas-axis-title').allTextContents(), [...decisions.map((d) => d.name), 'Accuracy (%)']);
  // Brushing the top of the accuracy axis keeps the trials whose edge 2 is the best operation.
  const box = (await chart.boundingBox())!;
  const axisX = box.x + box.width - 40;
  await view.page.mouse.move(axisX, box.y + 30);
  await view.page.mouse.down();
  await view.page.mouse.move(axisX, box.y + 80, { steps: 5 });
  await view.page.mouse.up();
  const kept = Number(await chart.getAttribute('data-kept'));
  const best = trials.filter((t) => t.genome[2] === 3).length;
  assert.ok(kept > 0 && kept <= best + 5, `kept ${kept} of ${best} trials with the best operation on edge 2`);
  assert.deepEqual(await view.violations(), []);
  await view.page.close();
});

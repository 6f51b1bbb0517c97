import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { specializationSummary } from '../unit/extension/summaries';
import { launchChromium, openView, screenshotThemes } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** 20, 30 and 40 ms; 40 ms found the 30 ms network again (a plateau). */
function sweep() {
  const [at20, at30] = specializationSummary().subnets;
  return specializationSummary({ request: { ...specializationSummary().request, limits: [20, 30, 40] }, progress: { done: 3, total: 3, unit: 'limits' }, subnets: [at20, at30, { ...at30, limit: 40 }] });
}

test('specialization view: accuracy against the limit with units on both axes, the Pareto set as dots, the plateau flat and said; a row opens its graph', async () => {
  const view = await openView(browser, 'specialization');
  const run = sweep();
  await view.send({ type: 'init', view: 'specialization', run });
  await view.page.waitForSelector('.nas-sweep-table tbody tr');
  const read = () =>
    view.page.evaluate(() => ({
      status: document.querySelector('.nas-sweep-status')?.textContent,
      titles: Array.from(document.querySelectorAll('.nas-sweep-chart .nas-axis-title'), (t) => t.textContent),
      yTicks: Array.from(document.querySelectorAll('.nas-sweep-chart .nas-tick[text-anchor="end"]'), (t) => t.textContent),
      line: document.querySelector('.nas-sweep-chart path.nas-line')?.getAttribute('d'),
      lines: Array.from(document.querySelectorAll('.nas-sweep-chart path.nas-line'), (p) => p.getAttribute('data-series')),
      dots: Array.from(document.querySelectorAll('.nas-sweep-chart circle.nas-dot'), (c) => [c.parentElement!.getAttribute('data-series'), Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))] as const),
      rows: Array.from(document.querySelectorAll('.nas-sweep-table tbody tr'), (tr) => Array.from(tr.children, (c) => c.textContent)),
      head: Array.from(document.querySelectorAll('.nas-sweep-table thead th'), (th) => th.textContent),
    }));
  const shown = await read();
  assert.deepEqual(shown.titles, ['Latency limit (ms)', 'Predicted accuracy (%)']);
  // Ticks in percent (the stored fractions 0.78…0.79 scaled by the formatting layer).
  assert.ok(shown.yTicks.length >= 2 && shown.yTicks.every((t) => Number(t) > 77 && Number(t) < 80), shown.yTicks.join(' '));
  assert.deepEqual(shown.lines, ['best predicted accuracy within the limit'], 'one curve; the Pareto set is dots only');
  // A step curve: from 30 to 40 ms it stays level (the plateau), as the dots of 30 and 40 ms sit at one height.
  const curve = shown.dots.filter(([s]) => s === 'best predicted accuracy within the limit');
  const pareto = shown.dots.filter(([s]) => s === 'Pareto set');
  assert.equal(curve.length, 3);
  assert.deepEqual(pareto.map(([, x]) => x), curve.slice(0, 2).map(([, x]) => x), 'dots on 20 and 30 ms only');
  assert.equal(curve[1][2], curve[2][2]);
  assert.ok(curve[0][2] > curve[1][2], 'higher accuracy is higher up');
  assert.match(shown.line!, new RegExp(`H${curve[2][1].toFixed(1)}V${curve[2][2].toFixed(1)}$`));
  assert.deepEqual(shown.head, ['', 'Latency limit (ms)', 'Predicted accuracy (%)', 'Latency (ms)', 'MFLOPs', 'Params (M)', 'Note', 'Architecture']);
  assert.deepEqual(shown.rows.map((r) => r.slice(0, 7)), [
    ['★', '≤ 20', '78.12', '19.87', '245', '4.81', ''],
    ['★', '≤ 30', '79.10', '29.51', '403', '6.02', ''],
    ['', '≤ 40', '79.10', '29.51', '403', '6.02', 'same as ≤ 30 ms'],
  ]);
  assert.equal(shown.rows[0][7], 'r160 d22232 k35|53|357|35|53 e34|43|346|34|43', 'the whole encoding');
  assert.match(shown.status!, /finished · 3\/3 limits · latency table \/data\/note10 · ★ Pareto set: 2 of 3 limits/);
  assert.deepEqual(await view.state(), { experiment: 'note10-1' });
  await screenshotThemes(view, 'specialization-view');

  // The tooltip says the point in units.
  const box = (await view.page.locator('.nas-sweep-chart').boundingBox())!;
  await view.page.mouse.move(box.x + curve[0][1], box.y + curve[0][2]);
  await view.page.waitForSelector('.nas-tooltip:not([hidden])');
  assert.match((await view.page.locator('.nas-tooltip').innerText()).replace(/\s+/g, ' '), /Latency limit \(ms\) ≤ 20 ms Predicted accuracy \(%\) 78\.12%/);

  // A click on the 40 ms row asks the host for the graph of the request's third limit.
  await view.page.locator('.nas-sweep-table tbody tr[data-limit="40"]').click();
  assert.deepEqual((await view.posted()).filter((m) => m.type === 'openTrial'), [{ type: 'openTrial', experiment: 'note10-1', trial: 3 }]);

  // A live summary of the running sweep redraws it; another run's summary is not for this view.
  await view.send({ type: 'summary', summary: { ...run, status: 'running', subnets: run.subnets.slice(0, 1), progress: { done: 1, total: 3, unit: 'limits' } } });
  await view.send({ type: 'summary', summary: { ...run, id: 'other' } });
  await view.page.waitForFunction(() => document.querySelector('.nas-sweep-status')?.textContent?.startsWith('running'));
  assert.equal((await read()).rows.length, 1);
  assert.deepEqual(await view.violations(), []);
});

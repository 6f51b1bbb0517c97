import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { toPages } from '../../webviews/paging';
import { syntheticTrials, summaryFor } from './fixtures';
import { launchChromium, openView, type ViewPage } from './harness';
import type { WebviewToHost } from '../../contract/webviewMessages';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

const trials = syntheticTrials(2000, 3);
const summary = summaryFor(trials, { status: 'running', budget: 5000 });
const plotInit = { type: 'init', view: 'plot', experiment: summary, x: 'lat_ms_note10', y: 'acc_top1', constraints: [{ metric: 'lat_ms_note10', max: 20 }] };

async function loadPlot(view: ViewPage): Promise<void> {
  await view.send(plotInit);
  for (const page of toPages(trials, 1000)) await view.send({ type: 'trials', experiment: summary.id, ...page });
  await view.page.waitForFunction(() => document.querySelector<HTMLElement>('.nas-scatter')?.dataset.points === '2000');
}

async function errors(view: ViewPage): Promise<string[]> {
  return (await view.posted()).filter((m): m is Extract<WebviewToHost, { type: 'error' }> => m.type === 'error').map((m) => m.message);
}

test('malformed messages are rejected, reported to the host, and the view keeps working', async () => {
  const view = await openView(browser, 'plot');
  await loadPlot(view);
  const bad: unknown[] = [
    'hello',
    null,
    { type: 'explode' },
    { type: 'trials', experiment: summary.id, page: 0, pages: 1, items: [{ trial: -1 }] },
    { type: 'trials', experiment: summary.id, page: 2, pages: 1, items: [] },
    { type: 'trialAdded', experiment: summary.id, trial: { ...trials[0], metrics: { acc_top1: 'high' } } },
    { type: 'init', view: 'plot', experiment: { ...summary, status: 'exploded' }, x: 'a', y: 'b', constraints: [] },
    { type: 'init', view: 'graph', title: 't', graph: { space: 'x', title: 't', direction: 'down', nodes: [], edges: [{ id: 'e', source: 'a', target: 'b' }], groups: [], totals: {} } },
  ];
  for (const message of bad) await view.send(message);
  await view.page.waitForFunction((n) => (window as unknown as { __nas: { posted: { type: string }[] } }).__nas.posted.filter((m) => m.type === 'error').length >= n, bad.length);
  const reported = await errors(view);
  assert.equal(reported.length, bad.length);
  assert.match(reported[0], /plot view rejected a message: message: expected an object, got "hello"/);
  assert.match(reported[2], /type: expected one of init, showGraph, .*\btrials\b.*, got "explode"/);
  assert.match(reported[3], /items\[0\]\.trial: expected a non-negative integer, got -1/);
  assert.match(reported[4], /page: expected a page index below pages \(1\), got 2/);
  assert.match(reported[5], /trial\.metrics\.acc_top1: expected a number, got "high"/);
  assert.match(reported[6], /experiment\.status: expected one of "pending"/);
  assert.match(reported[7], /graph\.edges\[0\]\.source: expected a node id, got "a"/);
  // Still alive: a valid live trial is drawn.
  await view.send({ type: 'trialAdded', experiment: summary.id, trial: { ...trials[0], trial: 99_999, metrics: { lat_ms_note10: 9, acc_top1: 95 } } });
  await view.page.waitForFunction(() => document.querySelector<HTMLElement>('.nas-scatter')?.dataset.points === '2001');
  assert.deepEqual(await view.violations(), []);
  await view.page.close();
});

test('live trials update counts and the Pareto front; a click opens the trial', async () => {
  const view = await openView(browser, 'plot');
  await loadPlot(view);
  const frontBefore = Number(await view.page.evaluate(() => document.querySelector<HTMLElement>('.nas-scatter')?.dataset.front));
  // A trial that dominates everything: fastest and most accurate.
  const champion = { ...trials[0], trial: 5000, metrics: { lat_ms_note10: 6, acc_top1: 99 }, feasible: true };
  await view.send({ type: 'trialAdded', experiment: summary.id, trial: champion });
  await view.page.waitForFunction(() => document.querySelector<HTMLElement>('.nas-scatter')?.dataset.front === '1');
  assert.ok(frontBefore > 1);
  assert.match((await view.page.locator('.nas-status').innerText()) ?? '', /^2001 trials · \d+ feasible · 1 on the Pareto front · running \(2000\/5000\)/);
  // The champion sits at the top-left corner of the data: find its pixel through the page's own scales.
  await view.page.locator('.nas-scatter').click({ position: { x: 5, y: 5 } }); // empty corner: no trial
  const point = await view.page.evaluate(() => {
    const element = document.querySelector<HTMLElement>('.nas-scatter');
    const svgFront = document.querySelector('.nas-front-line')?.getAttribute('d') ?? '';
    const match = /^M([\d.]+),([\d.]+)/.exec(svgFront);
    const box = element?.getBoundingClientRect();
    return match && box ? { x: box.left + Number(match[1]), y: box.top + Number(match[2]) } : undefined;
  });
  assert.ok(point);
  await view.page.mouse.move(point.x, point.y);
  // The tooltip follows the pointer on the next animation frame: wait for it rather than race it.
  await view.page.locator('.nas-tooltip-title', { hasText: /^Trial 5000$/ }).waitFor({ timeout: 10_000 });
  await view.page.mouse.down();
  await view.page.mouse.up();
  const opened = (await view.posted()).filter((m) => m.type === 'openTrial');
  assert.deepEqual(opened, [{ type: 'openTrial', experiment: summary.id, trial: 5000 }]);
  // The selection ring is painted on the next animation frame.
  await view.page.locator('.nas-selected').waitFor({ timeout: 10_000 });
  assert.equal(await view.page.locator('.nas-selected').count(), 1);
  await view.page.close();
});

test('theme switch repaints canvas and SVG in the same frame, without re-creating elements', async () => {
  const view = await openView(browser, 'plot', { theme: 'dark' });
  await loadPlot(view);
  const probe = () =>
    view.page.evaluate(() => {
      const element = document.querySelector<HTMLElement>('.nas-scatter');
      const canvas = element?.querySelector('canvas');
      const front = document.querySelector('.nas-front-line');
      (front as unknown as { __probe?: boolean }).__probe ??= true;
      const d = front?.getAttribute('d') ?? '';
      const match = /^M([\d.]+),([\d.]+)/.exec(d);
      const context = canvas?.getContext('2d');
      const ratio = window.devicePixelRatio || 1;
      const pixel = match && context ? Array.from(context.getImageData(Math.round(Number(match[1]) * ratio), Math.round(Number(match[2]) * ratio), 1, 1).data) : [];
      return { pixel, stroke: front ? getComputedStyle(front).stroke : '', background: getComputedStyle(document.body).backgroundColor, sameElement: (front as unknown as { __probe?: boolean }).__probe === true };
    });
  const dark = await probe();
  await view.screenshot('theme-before-dark');
  // Switch the way VS Code does, then sample inside the very next animation frame (before it is painted).
  const next = await view.page.evaluate(async (vars) => {
    for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
    document.body.className = 'vscode-light';
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const canvas = document.querySelector<HTMLCanvasElement>('.nas-scatter canvas');
    const d = document.querySelector('.nas-front-line')?.getAttribute('d') ?? '';
    const match = /^M([\d.]+),([\d.]+)/.exec(d);
    const ratio = window.devicePixelRatio || 1;
    const context = canvas?.getContext('2d');
    return match && context ? Array.from(context.getImageData(Math.round(Number(match[1]) * ratio), Math.round(Number(match[2]) * ratio), 1, 1).data) : [];
  }, { '--vscode-charts-orange': '#c27d1a', '--vscode-editor-background': '#ffffff', '--vscode-editor-foreground': '#3b3b3b' });
  const light = await probe();
  assert.deepEqual(dark.pixel.slice(0, 3), [0xd1, 0x86, 0x16], 'front point in dark orange');
  assert.deepEqual(next.slice(0, 3), [0xc2, 0x7d, 0x1a], 'first frame after the switch already has the light orange');
  assert.equal(light.stroke, 'rgb(194, 125, 26)');
  assert.equal(light.background, 'rgb(255, 255, 255)');
  assert.ok(light.sameElement, 'the overlay was restyled, not rebuilt');
  await view.screenshot('theme-after-light');
  await view.setTheme('high-contrast');
  await view.screenshot('theme-high-contrast');
  await view.page.close();
});

test('view state survives a reload: axes, filter and zoom come back', async () => {
  const saved = { experiment: summary.id, x: 'flops_m', y: 'acc_top1', feasibleOnly: true, window: [300, 500, 70, 85], selected: 12 };
  const view = await openView(browser, 'plot', { savedState: saved });
  await view.send(plotInit);
  for (const page of toPages(trials, 1000)) await view.send({ type: 'trials', experiment: summary.id, ...page });
  const feasibleInWindow = trials.filter((t) => t.feasible && t.metrics.flops_m >= 300 && t.metrics.flops_m <= 500 && t.metrics.acc_top1 >= 70 && t.metrics.acc_top1 <= 85).length;
  await view.page.waitForFunction((n) => document.querySelector<HTMLElement>('.nas-scatter')?.dataset.points === String(n), feasibleInWindow);
  const axisTitle = await view.page.locator('.nas-axis-title').first().textContent();
  assert.equal(axisTitle, 'flops_m');
  assert.equal(await view.page.locator('.nas-selected').count(), 1);
  assert.deepEqual(await view.state(), saved);
  await view.page.close();
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { describeArch } from './describeArch';
import { buildReportHtml } from '../../server/report/htmlReport';
import { loadReportAssets } from '../../server/report/reportAssets';
import { syntheticTrials, summaryFor } from './fixtures';
import { launchChromium, repoRoot, resultsDir } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

test('the offline report shows plot, best graph and progress with no network and no CSP violation', async () => {
  const trials = syntheticTrials(3000, 5);
  const best = trials.filter((t) => t.feasible).reduce((a, b) => (b.metrics.acc_top1 > a.metrics.acc_top1 ? b : a));
  const summary = summaryFor(trials, {
    name: 'ofa <note10> & co',
    best: { trial: best.trial, arch: best.arch, description: describeArch(best.arch), metrics: best.metrics },
  });
  const html = buildReportHtml({
    summary,
    trials,
    ...loadReportAssets(repoRoot),
    constraints: [{ metric: 'lat_ms_note10', max: 20 }],
    label: 'regularized evolution',
    training: [
      { phase: 'full', epoch: 1, loss: 2, accuracy: 0.4 },
      { phase: 'full', epoch: 2, loss: 1.7, accuracy: 0.5 },
      { phase: 'elastic kernel', epoch: 3, loss: 1.6, accuracy: 0.52 },
    ],
  });
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, 'report.html');
  writeFileSync(file, html);
  assert.ok(html.includes('<title>ofa &#60;note10&#62; &#38; co · NAS Studio report</title>'), 'names are escaped');
  assert.equal((html.match(/<script>/g) ?? []).length, 4, 'four inline bundles');

  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme: 'light' });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.querySelector<HTMLElement>('.nas-scatter')?.dataset.points === '3000');
  await page.waitForFunction(() => document.querySelector<HTMLElement>('.nas-graph')?.dataset.rendered !== undefined);
  // The report posts the trials pages and then the training page; the progress view draws them in
  // animation frames, so the best-so-far curve can be drawn a frame before the training section.
  await page.waitForFunction(
    () => document.querySelector<HTMLElement>('.nas-best-chart')?.dataset.series === '1' && document.querySelector<HTMLElement>('.nas-training')?.hidden === false,
  );
  const info = await page.evaluate(() => ({
    heading: document.querySelector('[data-nas-view="graph"] .nas-heading')?.textContent,
    nodes: document.querySelectorAll('.nas-node').length,
    trainingHidden: document.querySelector<HTMLElement>('.nas-training')?.hidden,
    theme: document.body.className,
  }));
  assert.equal(info.heading, `Best architecture · trial ${best.trial}`);
  assert.equal(info.nodes, 28);
  assert.equal(info.trainingHidden, false);
  assert.equal(info.theme, 'vscode-light');
  await page.screenshot({ path: path.join(resultsDir, 'report-light.png'), fullPage: true });

  // Clicking a point shows that trial's graph.
  const scatter = page.locator('.nas-scatter');
  await scatter.scrollIntoViewIfNeeded();
  const target = await page.evaluate(() => {
    const element = document.querySelector<HTMLElement>('.nas-scatter');
    const box = element?.getBoundingClientRect();
    return box ? { x: box.left + box.width * 0.5, y: box.top + box.height * 0.5 } : undefined;
  });
  assert.ok(target);
  let clicked = false;
  // Find a point near the centre: scan a small spiral until the tooltip names a trial.
  for (let r = 0; r < 120 && !clicked; r += 3) {
    for (const [dx, dy] of [[r, 0], [-r, 0], [0, r], [0, -r]]) {
      await page.mouse.move(target.x + dx, target.y + dy);
      if (await page.locator('.nas-scatter .nas-tooltip:not([hidden])').count()) {
        const title = await page.locator('.nas-tooltip-title').first().innerText();
        await page.mouse.down();
        await page.mouse.up();
        await page.waitForFunction((t) => document.querySelector('[data-nas-view="graph"] .nas-heading')?.textContent === t, title);
        clicked = true;
        break;
      }
    }
  }
  assert.ok(clicked, 'found and clicked a point');
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:') && !u.startsWith('blob:')), []);
  assert.deepEqual(problems, []);
  await page.close();
});

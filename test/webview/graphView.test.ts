import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { archGraphs, archToGraph } from '../../server/graphs/archToGraph';
import { ofaLayerNodeIds } from '../../server/graphs/ofaGraph';
import { launchChromium, openView, screenshotThemes, type ViewPage } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

const ofaArch = {
  space: 'ofa-mbv3',
  ks: [3, 5, 7, 3, 5, 7, 3, 5, 7, 3, 5, 7, 3, 5, 7, 3, 5, 7, 3, 5],
  e: [3, 4, 6, 3, 4, 6, 3, 4, 6, 3, 4, 6, 3, 4, 6, 3, 4, 6, 3, 4],
  d: [2, 3, 4, 2, 3],
  r: 192,
};
const nb201Arch = { space: 'nb201', arch: '|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|' };

async function showGraph(view: ViewPage, arch: object, title: string): Promise<void> {
  const before = await view.page.evaluate(() => Number(document.querySelector<HTMLElement>('.nas-graph')?.dataset.rendered ?? 0));
  await view.send({ type: 'init', view: 'graph', title, ...archGraphs(arch), experiment: 'exp-1', trial: 3 });
  await view.page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('.nas-graph')?.dataset.rendered ?? 0) > n, before);
}

test('OFA sub-network: stages, active and skipped blocks, hover details', async () => {
  const view = await openView(browser, 'graph');
  await showGraph(view, ofaArch, 'Trial 3');
  const info = await view.page.evaluate(() => ({
    nodes: document.querySelectorAll('.nas-node').length,
    skipped: document.querySelectorAll('.nas-node.nas-inactive').length,
    groups: Array.from(document.querySelectorAll('.nas-group-label'), (g) => g.textContent),
    dashed: document.querySelectorAll('.nas-edge.nas-inactive').length,
    edges: document.querySelectorAll('.nas-edge').length,
    summary: document.querySelector('.nas-summary')?.textContent,
  }));
  assert.equal(info.nodes, 28);
  assert.equal(info.skipped, 20 - (2 + 3 + 4 + 2 + 3));
  assert.equal(info.groups.length, 5);
  assert.match(info.groups[1] ?? '', /^Stage 2 · 48 ch · \/2 · SE · ReLU · depth 3/);
  const graph = archToGraph(ofaArch);
  assert.equal(info.edges, graph.edges.length);
  assert.equal(info.dashed, graph.edges.filter((e) => e.inactive).length);
  assert.match(info.summary ?? '', /^Parameters [\d.]+ M · FLOPs [\d.]+ M · 22 layers, 6 skipped \(dashed\)$/);
  // Show the whole graph, hover the first block of stage 2 and read its MACs from the tooltip.
  await view.page.getByText('Fit', { exact: true }).click();
  const box = await view.page.locator('[data-node-id="b4"]').boundingBox();
  assert.ok(box);
  await view.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tip = await view.page.locator('.nas-tooltip').innerText();
  const b4 = graph.nodes.find((n) => n.id === 'b4');
  assert.match(tip, /MB4 5×5/);
  assert.ok(tip.includes(`${Number(((b4?.metrics.flops ?? 0) / 1e6).toPrecision(4))} M`), tip);
  assert.deepEqual(await view.violations(), []);
  await view.screenshot('graph-ofa-dark');

  // With per-layer latencies from the host (a lookup table's terms), 0.25 ms each and 1.25 ms for
  // block 4: in the tooltip, and the total once every layer has one (20 layers: 19 x 0.25 + 1.25).
  const details = Object.fromEntries(ofaLayerNodeIds(ofaArch.d).map((id) => [id, { latencyMs: id === 'b4' ? 1.25 : 0.25 }]));
  const before = await view.page.evaluate(() => Number(document.querySelector<HTMLElement>('.nas-graph')?.dataset.rendered ?? 0));
  await view.send({ type: 'showGraph', title: 'Trial 3', ...archGraphs(ofaArch, { details }) });
  await view.page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('.nas-graph')?.dataset.rendered ?? 0) > n, before);
  assert.equal(Object.keys(details).length, 20);
  assert.match((await view.page.locator('.nas-summary').innerText()) ?? '', /^Latency 6 ms · /);
  // A new graph is fitted to the width again: fit all of it so block 4 is on screen.
  await view.page.getByText('Fit', { exact: true }).click();
  const b4Box = await view.page.locator('[data-node-id="b4"]').boundingBox();
  assert.ok(b4Box);
  await view.page.mouse.move(b4Box.x + b4Box.width / 2, b4Box.y + b4Box.height / 2);
  assert.match(await view.page.locator('.nas-tooltip').innerText(), /latency\s*1\.25 ms/);
  await view.page.close();
});

test('supernet toggle shows the choices with the active ones highlighted', async () => {
  const view = await openView(browser, 'graph');
  await showGraph(view, ofaArch, 'Trial 3');
  const rendered = await view.page.evaluate(() => Number(document.querySelector<HTMLElement>('.nas-graph')?.dataset.rendered));
  await view.page.locator('vscode-checkbox').click();
  await view.page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('.nas-graph')?.dataset.rendered) > n, rendered);
  const chips = await view.page.evaluate(() => ({
    active: document.querySelectorAll('.nas-chip.nas-active').length,
    all: document.querySelectorAll('.nas-chip').length,
  }));
  // 14 active blocks × (kernel + expand) + the resolution choice; 20 blocks × 6 chips + 5 resolutions.
  assert.equal(chips.active, 14 * 2 + 1);
  assert.equal(chips.all, 20 * 6 + 5);
  assert.deepEqual(await view.state(), { title: 'Trial 3', supernet: true, experiment: 'exp-1', trial: 3 });
  await view.screenshot('graph-ofa-supernet');
  await view.page.close();
});

test('NAS-Bench-201 cell: 4 nodes, labelled edges, none dashed; layer stack in light theme', async () => {
  const view = await openView(browser, 'graph', { theme: 'light' });
  await showGraph(view, nb201Arch, 'NB201 cell');
  const cell = await view.page.evaluate(() => ({
    nodes: document.querySelectorAll('.nas-node').length,
    labels: Array.from(document.querySelectorAll('.nas-edge-label'), (l) => l.textContent).sort(),
    dashedLabels: Array.from(document.querySelectorAll('.nas-edge-label.nas-inactive'), (l) => l.textContent),
  }));
  assert.equal(cell.nodes, 4);
  assert.deepEqual(cell.labels, ['avg pool 3×3', 'conv 1×1', 'conv 3×3', 'conv 3×3', 'none', 'skip']);
  assert.deepEqual(cell.dashedLabels, ['none']);
  await view.screenshot('graph-nb201-light');
  const layers = {
    space: 'layers',
    input: [28, 28, 1],
    layers: [
      { type: 'conv2d', filters: 16, kernel: 3, stride: 1, activation: 'relu' },
      { type: 'maxpool', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 64, activation: 'relu' },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  };
  await showGraph(view, layers, 'Layer stack');
  assert.equal(await view.page.locator('.nas-node').count(), 8);
  assert.equal(await view.page.locator('vscode-checkbox').isVisible(), false, 'layer stacks have no supernet');
  assert.match((await view.page.locator('.nas-summary').innerText()) ?? '', /Parameters 173\.9 k · FLOPs [\d.]+ [kM] · 8 layers/);
  await view.screenshot('graph-layers-light');
  await view.page.close();
});

test('export sends standalone SVG and PNG to the host', async () => {
  const view = await openView(browser, 'graph');
  await showGraph(view, nb201Arch, 'NB201 cell');
  await view.page.getByText('Export SVG').click();
  await view.page.getByText('Export PNG').click();
  await view.page.waitForFunction(() => (window as unknown as { __nas: { posted: { type: string }[] } }).__nas.posted.filter((m) => m.type === 'exportImage').length === 2);
  const exports = (await view.posted()).filter((m) => m.type === 'exportImage');
  const svgExport = exports.find((m) => m.format === 'svg');
  const pngExport = exports.find((m) => m.format === 'png');
  assert.equal(svgExport?.fileName, 'NB201-cell.svg');
  assert.match(svgExport?.data ?? '', /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok(!(svgExport?.data ?? '').includes('var(--'), 'colours are resolved, not CSS variables');
  assert.ok((svgExport?.data.match(/conv 3×3/g) ?? []).length === 2);
  const png = Buffer.from(pngExport?.data ?? '', 'base64');
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual(await view.violations(), []);
  await view.page.close();
});

const largest = { space: 'ofa-mbv3', ks: new Array(20).fill(7), e: new Array(20).fill(6), d: [4, 4, 4, 4, 4], r: 224 };

test('the largest OFA network fits a 1400×900 window at 60 % zoom or more: stages as rows of blocks side by side', async () => {
  const view = await openView(browser, 'graph', { width: 1400, height: 900 });
  for (const supernet of [false, true]) {
    await showGraph(view, largest, 'Largest OFA sub-network');
    if (supernet) {
      const before = await view.page.evaluate(() => Number(document.querySelector<HTMLElement>('.nas-graph')?.dataset.rendered ?? 0));
      await view.page.locator('vscode-checkbox[label="Supernet"]').click();
      await view.page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('.nas-graph')?.dataset.rendered ?? 0) > n, before);
    }
    await view.page.getByText('Fit', { exact: true }).click();
    const scale = Number(await view.page.locator('.nas-graph').getAttribute('data-scale'));
    assert.ok(scale >= 0.6, `${supernet ? 'supernet view' : 'sub-network'} fits at ${(scale * 100).toFixed(0)} %`);
    // The four blocks of each stage are side by side: one row, left to right.
    const stage = await view.page.evaluate(() =>
      ['b4', 'b5', 'b6', 'b7'].map((id) => document.querySelector(`[data-node-id="${id}"]`)!.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y })),
    );
    assert.ok(stage.every((p) => Math.abs(p.y - stage[0].y) < 2), 'same row');
    assert.ok(stage.every((p, i) => i === 0 || p.x > stage[i - 1].x), 'left to right');
    // Everything is inside the view after Fit.
    const surface = (await view.page.locator('.nas-graph').boundingBox())!;
    const nodes = await view.page.evaluate(() => Array.from(document.querySelectorAll('.nas-node'), (n) => n.getBoundingClientRect()).map((r) => [r.left, r.top, r.right, r.bottom]));
    for (const [l, t, r, b] of nodes) assert.ok(l >= surface.x - 1 && t >= surface.y - 1 && r <= surface.x + surface.width + 1 && b <= surface.y + surface.height + 1);
    await screenshotThemes(view, supernet ? 'graph-ofa-largest-supernet' : 'graph-ofa-largest');
  }
  await view.page.close();
});

test('the header shows what the trial measured, in units, before the graph totals it lacks', async () => {
  const view = await openView(browser, 'graph');
  await view.send({ type: 'init', view: 'graph', title: 'Trial 3', ...archGraphs(ofaArch), experiment: 'exp-1', trial: 3, facts: [['Predicted accuracy', '79.10%'], ['Latency on note10', '24.87 ms']] });
  await view.page.waitForFunction(() => /Predicted accuracy/.test(document.querySelector('.nas-summary')?.textContent ?? ''));
  assert.match(await view.page.locator('.nas-summary').innerText(), /^Predicted accuracy 79\.10% · Latency on note10 24\.87 ms · Parameters [\d.]+ M · FLOPs [\d.]+ M · 22 layers, 6 skipped \(dashed\)$/);
  await view.page.close();
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { ArchGraph } from '../../contract/architecture';
import type { EpisodeInfo, QuantizationEpisodes } from '../../contract/runs';
import { quantizationSummary } from '../unit/extension/summaries';
import { launchChromium, openView, screenshotThemes } from './harness';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** The tiny model's graph as tfjsModelGraph draws it: node ids are the layer names. */
const graph: ArchGraph = {
  space: 'tfjs',
  title: 'tiny',
  direction: 'down',
  nodes: [
    { id: 'input', label: 'Input', sublabel: '28×28×1', kind: 'input', metrics: {}, attributes: [] },
    { id: 'c1', label: 'Conv2D', sublabel: '3×3 · 4', kind: 'conv', metrics: { params: 40 }, attributes: [] },
    { id: 'c2', label: 'Conv2D', sublabel: '3×3 · 8', kind: 'conv', metrics: { params: 296 }, attributes: [] },
    { id: 'flat', label: 'Flatten', kind: 'op', metrics: {}, attributes: [] },
    { id: 'd1', label: 'Dense', sublabel: '16', kind: 'dense', metrics: { params: 3152 }, attributes: [] },
    { id: 'd2', label: 'Dense', sublabel: '10', kind: 'dense', metrics: { params: 170 }, attributes: [] },
  ],
  edges: ['input>c1', 'c1>c2', 'c2>flat', 'flat>d1', 'd1>d2'].map((e) => {
    const [source, target] = e.split('>');
    return { id: e, source, target };
  }),
  groups: [],
  totals: {},
};

function episode(n: number, cost: number, accuracy: number, explored: boolean): EpisodeInfo {
  const policy = [{ weight: 8, activation: 8 }, { weight: 4, activation: 8 }, { weight: 4, activation: 8 }, { weight: 8, activation: 8 }];
  return { episode: n, policy, accuracy, cost, sizeBits: cost, bitOps: 1e6, reward: 0.1 * (accuracy - 0.865) * 100, explored };
}

const episodes: EpisodeInfo[] = [
  episode(0, 18000, 0.8, true),
  episode(1, 21000, 0.84, true),
  episode(2, 16000, 0.78, false),
  episode(3, 20500, 0.85, false),
  { ...episode(4, 20000, 0.87, false), policy: quantizationSummary().best!.policy },
  episode(5, 19000, 0.83, false),
];
const data: QuantizationEpisodes = { episodes, graph };

interface Dot {
  series: string;
  x: number;
  y: number;
  cx: number;
  cy: number;
}

test('quantization view: every episode and the uniform baselines on one cost/accuracy scatter with the budget, the graph coloured by the best policy; light and dark; live episodes', async () => {
  const view = await openView(browser, 'quantization');
  const run = quantizationSummary({ status: 'running' });
  await view.send({ type: 'init', view: 'quantization', run, data });
  await view.page.waitForSelector('.nas-policy-graph[data-rendered] [data-node-id="c2"]');
  const read = () =>
    view.page.evaluate(() => ({
      dots: Array.from(document.querySelectorAll('.nas-episodes-chart .nas-dot'), (c) => ({
        series: c.parentElement!.getAttribute('data-series')!,
        x: Number(c.getAttribute('data-x')),
        y: Number(c.getAttribute('data-y')),
        cx: Number(c.getAttribute('cx')),
        cy: Number(c.getAttribute('cy')),
      })),
      labels: Array.from(document.querySelectorAll('.nas-episodes-chart .nas-dot-label'), (t) => t.textContent),
      budget: document.querySelector('.nas-episodes-chart path.nas-line[data-series="budget"]')?.getAttribute('d'),
      ticks: Array.from(document.querySelectorAll('.nas-episodes-chart .nas-axes text'), (t) => t.textContent ?? ''),
      status: document.querySelector('.nas-quantization-status')?.textContent,
      legend: document.querySelector('.nas-quantization-legend')?.textContent,
      graphHeading: document.querySelector('.nas-policy-heading')?.textContent,
      nodes: Array.from(document.querySelectorAll('.nas-policy-graph [data-node-id]'), (g) => ({
        id: g.getAttribute('data-node-id'),
        bits: g.classList.contains('nas-quantized') ? `${g.getAttribute('data-weight-bits')}/${g.getAttribute('data-activation-bits')}` : undefined,
        colour: Array.from(g.classList).find((c) => c.startsWith('nas-bits-')),
        stroke: getComputedStyle(g.querySelector('.nas-node-box')!).stroke,
        text: Array.from(g.querySelectorAll('text'), (t) => t.textContent).join(' '),
      })),
    }));
  const shown = await read();

  // Episodes split into random (warm-up) and agent, the baseline, the best ringed: at their own (cost, accuracy).
  const bySeries = (name: string) => shown.dots.filter((d) => d.series === name).map((d) => [d.x, d.y]);
  assert.deepEqual(bySeries('random (warm-up) episodes'), [[18000, 0.8], [21000, 0.84]]);
  assert.deepEqual(bySeries('agent episodes'), [[16000, 0.78], [20500, 0.85], [20000, 0.87], [19000, 0.83]]);
  assert.deepEqual(bySeries('uniform baselines'), [[21152, 0.86]]);
  assert.deepEqual(bySeries('best policy'), [[20000, 0.87]]);
  assert.deepEqual(shown.labels, ['W4A8', 'best (episode 5)']);

  // One linear map from data to pixels for every dot (x grows right, accuracy grows up), and the budget line on it.
  const [a, b] = [shown.dots[0], shown.dots.find((d) => d.x !== shown.dots[0].x && d.y !== shown.dots[0].y)!];
  const sx = (b.cx - a.cx) / (b.x - a.x);
  const sy = (b.cy - a.cy) / (b.y - a.y);
  assert.ok(sx > 0 && sy < 0, `x right, accuracy up (${sx}, ${sy})`);
  for (const d of shown.dots as Dot[]) {
    assert.ok(Math.abs(a.cx + (d.x - a.x) * sx - d.cx) < 0.2, `${d.series} at x ${d.x}: ${d.cx}`);
    assert.ok(Math.abs(a.cy + (d.y - a.y) * sy - d.cy) < 0.2, `${d.series} at y ${d.y}: ${d.cy}`);
  }
  const budgetX = a.cx + (21152 - a.x) * sx;
  const budgetPath = /^M([\d.]+),([\d.]+)L([\d.]+),([\d.]+)$/.exec(shown.budget ?? '');
  assert.ok(budgetPath, `a vertical budget line: ${shown.budget}`);
  assert.ok(Math.abs(Number(budgetPath[1]) - budgetX) < 0.2 && Math.abs(Number(budgetPath[3]) - budgetX) < 0.2);
  assert.ok(Math.abs(Number(budgetPath[2]) - (a.cy + (0.78 - a.y) * sy)) < 0.2, 'from the lowest accuracy');
  assert.ok(Math.abs(Number(budgetPath[4]) - (a.cy + (0.87 - a.y) * sy)) < 0.2, 'to the highest');

  // Units through contract/'s formatting: bytes of weights on x, percent on y.
  assert.ok(shown.ticks.some((t) => /^\d[\d.]*\s?kB$/.test(t)), `kB ticks: ${shown.ticks.join(' | ')}`);
  assert.ok(shown.ticks.some((t) => /^\d[\d.]*%$/.test(t)), `percent ticks: ${shown.ticks.join(' | ')}`);
  assert.match(shown.status!, /^running · episode 6\/6 · budget size:w4a8 \(2\.6\d* ?kB\) · linear quantizer, DDPG agent · float model 86\.50%$/);
  assert.match(shown.legend!, /agent: 4.*random: 2.*uniform: W4A8 86\.00%.*best: 87\.00% at 2\.5 ?kB.*budget: 2\.6\d* ?kB/);

  // The graph: each layer node carries the best policy's bits (text and colour); others are not coloured.
  assert.equal(shown.graphHeading, 'Bits per layer · best policy (episode 5)');
  const node = (id: string) => shown.nodes.find((n) => n.id === id)!;
  assert.deepEqual(
    shown.nodes.map((n) => [n.id, n.bits, n.colour]),
    [['input', undefined, undefined], ['c1', '8/8', 'nas-bits-8'], ['c2', '3/6', 'nas-bits-3'], ['flat', undefined, undefined], ['d1', '5/4', 'nas-bits-5'], ['d2', '8/8', 'nas-bits-8']],
  );
  assert.match(node('c2').text, /W3A6/);
  assert.match(node('d1').text, /W5A4/);
  assert.equal(node('c2').stroke, 'rgb(253, 174, 97)');
  assert.equal(node('c1').stroke, 'rgb(26, 152, 80)');
  assert.notEqual(node('input').stroke, node('c2').stroke);
  assert.deepEqual(await view.state(), { experiment: 'tiny-q-1' });

  // Light and dark: the bits colours stay, the node fill follows the theme.
  const fills: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await view.setTheme(theme);
    const styles = await view.page.evaluate(() => {
      const box = document.querySelector('[data-node-id="c2"] .nas-node-box')!;
      return { stroke: getComputedStyle(box).stroke, fill: getComputedStyle(box).fill, dots: document.querySelectorAll('.nas-episodes-chart .nas-dot').length };
    });
    assert.equal(styles.stroke, 'rgb(253, 174, 97)', theme);
    assert.equal(styles.dots, 8, theme);
    fills.push(styles.fill);
  }
  assert.notEqual(fills[0], fills[1], 'the node fill mixes the bits colour into the theme');
  await screenshotThemes(view, 'quantization-view');

  // Live: a new episode of this run adds a dot; data of another run is ignored.
  const more = { episodes: [...episodes, episode(6, 17000, 0.81, false)], graph };
  await view.send({ type: 'quantization', run: quantizationSummary({ id: 'other' }), data: { episodes: [], graph } });
  await view.send({ type: 'quantization', run: quantizationSummary({ status: 'running', progress: { done: 7, total: 8, unit: 'episodes' } }), data: more });
  await view.page.waitForFunction(() => document.querySelector('.nas-quantization-status')?.textContent?.includes('episode 7/8'));
  const live = await read();
  assert.equal(live.dots.filter((d) => d.series === 'agent episodes').length, 5);
  assert.deepEqual(await view.violations(), []);
});

test('quantization view: a malformed message is rejected and reported, not drawn', async () => {
  const view = await openView(browser, 'quantization');
  await view.send({ type: 'init', view: 'quantization', run: quantizationSummary(), data: { episodes: [{ episode: 'one' }] } });
  await view.page.waitForFunction(() => (window as unknown as { __nas: { posted: { type: string }[] } }).__nas.posted.some((m) => m.type === 'error'));
  const posted = await view.posted();
  assert.ok(posted.some((m) => m.type === 'error' && /data\.episodes\[0\]/.test(m.message)), JSON.stringify(posted));
  assert.equal(await view.page.evaluate(() => document.querySelectorAll('.nas-dot').length), 0);
});

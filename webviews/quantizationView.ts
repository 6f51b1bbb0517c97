/**
 * A HAQ quantization run: every episode's held-out accuracy against its cost (in the budget's
 * unit) with the budget line, the uniform baselines (W4A8, ...) on the same axes and the best
 * policy ringed; below, the model's graph coloured by the best policy's bits per layer.
 */
import type { ArchGraph } from '../contract/architecture';
import { formatPercent } from '../contract/format';
import { formatBits, formatCost } from '../contract/quantizationText';
import type { QuantizationEpisodes, QuantizationRunSummary } from '../contract/runs';
import type { HostToWebview } from '../contract/webviewMessages';
import { LineChart, type Series } from './chart/lineChart';
import { showError, viewRoot } from './controls';
import { html, svg } from './dom';
import { arrowMarker, drawGraph } from './graph/drawGraph';
import { layoutGraph } from './graph/layoutGraph';
import { textMeasure } from './graph/measureText';
import { PanZoom } from './graph/panZoom';
import { layoutRows } from './graph/rowLayout';
import { connectToHost } from './hostConnection';
import { bitsByNode, bitsClass, colourNodes, MAX_COLOURED_BITS, withBits } from './quantization/bitsGraph';
import { quantizationViewStateCheck, readState, type QuantizationViewState } from './viewState';

const root = viewRoot('quantization');
root.classList.add('nas-view', 'nas-quantization-view');

const heading = html('h2', { class: 'nas-heading' }, ['Quantization']);
const status = html('div', { class: 'nas-status nas-quantization-status', role: 'status' });
const legend = html('div', { class: 'nas-legend nas-quantization-legend' });
const chart = new LineChart('nas-episodes-chart');
const graphHeading = html('h2', { class: 'nas-heading nas-policy-heading' }, ['Bits per layer']);
const bitsLegend = html('div', { class: 'nas-legend nas-bits-legend' });
const surface = html('div', { class: 'nas-chart nas-graph nas-policy-graph', tabindex: 0 });
const svgRoot = svg('svg', { class: 'nas-graph-svg', role: 'img' });
arrowMarker(svgRoot);
const layer = svg('g', { class: 'nas-graph-layer' }, svgRoot);
surface.append(svgRoot);
root.append(heading, status, legend, chart.element, graphHeading, bitsLegend, surface);
const panZoom = new PanZoom(surface, layer);
const measure = textMeasure(root);

let run: QuantizationRunSummary | undefined;
let data: QuantizationEpisodes = { episodes: [] };
let frame = 0;
/** The graph and policy last drawn, so an episode that does not change the best policy does not re-layout. */
let drawnKey = '';
let generation = 0;

const host = connectToHost<QuantizationViewState>('quantization', handle, readState(quantizationViewStateCheck));

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'init':
      if (message.view !== 'quantization') return;
      show(message.run, message.data);
      host.saveState({ experiment: message.run.id });
      return;
    case 'quantization':
      if (message.run.id !== run?.id) return;
      show(message.run, message.data);
      return;
    case 'error':
      showError(root, message.message);
      return;
    default:
      return;
  }
}

function show(summary: QuantizationRunSummary, episodes: QuantizationEpisodes): void {
  run = summary;
  data = episodes;
  showError(root, undefined);
  if (frame === 0) frame = requestAnimationFrame(render);
}

function swatch(colour: number, text: string): (HTMLElement | string)[] {
  return [html('span', { class: `nas-series-swatch nas-series-dot nas-series-${colour}` }), text];
}

function render(): void {
  frame = 0;
  if (!run) return;
  const r = run;
  const kind = r.budget.kind;
  const cost = (value: number) => formatCost(kind, value);
  const best = r.result ?? r.best;
  heading.textContent = `Quantization · ${r.name}`;
  status.textContent = [
    `${r.status} · episode ${data.episodes.length}/${r.progress.total}`,
    `budget ${r.budget.text}${r.budget.target !== undefined ? ` (${cost(r.budget.target)})` : ''}`,
    `${r.quantizer === 'kmeans' ? 'k-means' : 'linear'} quantizer, ${r.search === 'ddpg' ? 'DDPG agent' : 'random search'}`,
    ...(r.originalAccuracy !== undefined ? [`float model ${formatPercent(r.originalAccuracy)}`] : []),
  ].join(' · ');

  const explored = data.episodes.filter((e) => e.explored);
  const learned = data.episodes.filter((e) => !e.explored);
  const accuracies = [...data.episodes, ...r.baselines].map((p) => p.accuracy);
  const series: Series[] = [
    { label: 'random (warm-up) episodes', colour: 6, points: explored.map((e) => [e.cost, e.accuracy] as const), dots: { radius: 3, titles: explored.map((e) => `episode ${e.episode + 1} (random)`) } },
    { label: 'agent episodes', colour: 1, points: learned.map((e) => [e.cost, e.accuracy] as const), dots: { radius: 3, titles: learned.map((e) => `episode ${e.episode + 1}`) } },
    { label: 'uniform baselines', colour: 2, points: r.baselines.map((b) => [b.cost, b.accuracy] as const), dots: { radius: 5, labels: r.baselines.map(formatBits) } },
    ...(best ? [{ label: 'best policy', colour: 3, points: [[best.cost, best.accuracy] as const], dots: { radius: 7, labels: [`best (episode ${best.episode + 1})`] } }] : []),
    ...(r.budget.target !== undefined && accuracies.length > 0 ? [{ label: 'budget', colour: 5, points: [[r.budget.target, Math.min(...accuracies)], [r.budget.target, Math.max(...accuracies)]] as const }] : []),
  ];
  legend.replaceChildren(
    ...swatch(1, `agent: ${learned.length}`),
    ...swatch(6, `random: ${explored.length}`),
    ...swatch(2, `uniform: ${r.baselines.map((b) => `${formatBits(b)} ${formatPercent(b.accuracy)}`).join(', ') || '—'}`),
    ...swatch(3, `best: ${best ? `${formatPercent(best.accuracy)} at ${cost(best.cost)}` : '—'}`),
    ...swatch(5, `budget: ${r.budget.target !== undefined ? cost(r.budget.target) : r.budget.text}`),
  );
  chart.setData({
    series,
    titles: { x: kind === 'size' ? 'size of the weights' : kind === 'bitops' ? 'BitOps' : 'latency', y: 'held-out accuracy' },
    formatX: (v) => cost(v),
    formatY: (v) => formatPercent(v),
  });
  drawPolicy(r, best?.policy);
}

function bitsLegendItems(): HTMLElement[] {
  return Array.from({ length: MAX_COLOURED_BITS }, (_, i) => html('span', { class: `nas-bits-swatch ${bitsClass(i + 1)}` }, [`${i + 1}${i + 1 === MAX_COLOURED_BITS ? '+' : ''}`]));
}

function drawPolicy(r: QuantizationRunSummary, policy: QuantizationRunSummary['baselines'][number]['policy'] | undefined): void {
  const graph = data.graph;
  const episode = (r.result ?? r.best)?.episode;
  graphHeading.textContent = policy ? `Bits per layer · best policy (episode ${(episode ?? 0) + 1})` : 'Bits per layer · no episode yet';
  bitsLegend.replaceChildren('weight bits: ', ...bitsLegendItems(), ' · nodes read W(weight bits)A(activation bits)');
  surface.hidden = !graph;
  const key = JSON.stringify([graph?.nodes.length, graph?.title, policy]);
  if (!graph || !r.layers || key === drawnKey) return;
  drawnKey = key;
  const bits = policy ? bitsByNode(r.layers, policy) : new Map();
  drawBitsGraph(withBits(graph, bits), bits).catch((error: unknown) => {
    const message = `cannot draw the graph: ${error instanceof Error ? error.message : String(error)}`;
    showError(root, message);
    host.post({ type: 'error', message });
  });
}

async function drawBitsGraph(graph: ArchGraph, bits: ReturnType<typeof bitsByNode>): Promise<void> {
  const mine = ++generation;
  const layout = graph.groups.length > 0 ? layoutRows(graph, measure) : await layoutGraph(graph, measure);
  if (mine !== generation) return;
  drawGraph(layer, graph, layout, measure);
  colourNodes(layer, bits);
  panZoom.setContent(layout.width, layout.height);
  panZoom.fit();
  svgRoot.setAttribute('aria-label', `${graph.title}: ${bits.size} quantized layers`);
  surface.dataset.rendered = String(mine);
}

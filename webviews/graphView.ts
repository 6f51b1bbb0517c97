/** Architecture graph: any ArchGraph laid out by ELK and drawn as SVG, with hover details. */
import type { ArchGraph, ArchNode } from '../contract/architecture';
import { button, checkbox, safeFileName, showError, toolbar, viewRoot } from './controls';
import { cssVar, html, svg } from './dom';
import { formatCount, formatMs } from '../contract/format';
import { arrowMarker, drawGraph } from './graph/drawGraph';
import { layoutGraph, type GraphLayout } from './graph/layoutGraph';
import { textMeasure } from './graph/measureText';
import { layoutRows } from './graph/rowLayout';
import { PanZoom } from './graph/panZoom';
import { connectToHost } from './hostConnection';
import { postPicture, standaloneSvg } from './imageExport';
import type { GraphInit, HostToWebview, ShowGraph } from '../contract/webviewMessages';
import { Tooltip, type TooltipRow } from './tooltip';
import { graphViewStateCheck, readState, type GraphViewState } from './viewState';

const root = viewRoot('graph');
root.classList.add('nas-view', 'nas-graph-view');
const heading = html('h2', { class: 'nas-heading' }, ['Architecture']);
const summary = html('div', { class: 'nas-summary', role: 'status' });
const surface = html('div', { class: 'nas-chart nas-graph', tabindex: 0 });
const svgRoot = svg('svg', { class: 'nas-graph-svg', role: 'img' });
arrowMarker(svgRoot);
const layer = svg('g', { class: 'nas-graph-layer' }, svgRoot);
surface.append(svgRoot);
const supernetToggle = checkbox('Supernet', false, (checked) => {
  if (!state) return;
  state = { ...state, supernet: checked };
  host.saveState(state);
  showReportingErrors();
});
supernetToggle.hidden = true;
root.append(
  heading,
  toolbar([
    supernetToggle,
    button('Fit', () => panZoom.fit(), { secondary: true, title: 'Show the whole graph (Ctrl+wheel zooms, drag pans)' }),
    button('100%', () => panZoom.set({ ...panZoom.current, scale: 1 }), { secondary: true }),
    button('Export SVG', () => void exportImage('svg'), { secondary: true }),
    button('Export PNG', () => void exportImage('png'), { secondary: true }),
  ]),
  summary,
  surface,
);
const tooltip = new Tooltip(surface);
const panZoom = new PanZoom(surface, layer);

let current: GraphInit | ShowGraph | undefined;
let state: GraphViewState | undefined;
let layout: GraphLayout | undefined;
let shown: ArchGraph | undefined;
let generation = 0;

const host = connectToHost<GraphViewState>('graph', handle, readState(graphViewStateCheck));

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'init':
    case 'showGraph': {
      if (message.type === 'init' && message.view !== 'graph') return;
      current = message;
      const saved = host.savedState;
      const keepSupernet = state?.supernet ?? (saved && saved.experiment === message.experiment ? saved.supernet : false);
      state = { title: message.title, supernet: keepSupernet && message.supernet !== undefined, experiment: message.experiment, trial: message.trial };
      host.saveState(state);
      supernetToggle.hidden = message.supernet === undefined;
      supernetToggle.toggleAttribute('checked', state.supernet);
      showError(root, undefined);
      showReportingErrors();
      return;
    }
    case 'error':
      showError(root, message.message);
      return;
    default:
      return;
  }
}

const measure = textMeasure(root);

/** Layout runs asynchronously; a failure is shown in the view and reported to the host. */
function showReportingErrors(): void {
  show().catch((error: unknown) => {
    const message = `cannot draw the graph: ${error instanceof Error ? error.message : String(error)}`;
    showError(root, message);
    host.post({ type: 'error', message });
  });
}

async function show(): Promise<void> {
  if (!current || !state) return;
  const graph = state.supernet && current.supernet ? current.supernet : current.graph;
  const mine = ++generation;
  // Networks in stages read as rows of blocks; other graphs (cells, layer stacks) get ELK's layered layout.
  const result = graph.groups.length > 0 ? layoutRows(graph, measure) : await layoutGraph(graph, measure);
  if (mine !== generation) return; // a newer graph arrived while this one was laid out
  layout = result;
  shown = graph;
  heading.textContent = current.title;
  summary.textContent = summaryText(graph, current.facts ?? []);
  drawGraph(layer, graph, result, measure);
  panZoom.setContent(result.width, result.height);
  if (graph.direction === 'down' && graph.groups.length === 0) panZoom.fitWidth();
  else panZoom.fit();
  surface.dataset.scale = panZoom.current.scale.toFixed(3);
  svgRoot.setAttribute('aria-label', `${graph.title}: ${graph.nodes.length} nodes, ${graph.edges.length} edges`);
  surface.dataset.nodes = String(graph.nodes.length);
  surface.dataset.rendered = String(mine);
}

/** The trial's measured metrics (accuracy, latency…) when the host sent them, then the graph's own totals for what they lack. */
function summaryText(graph: ArchGraph, facts: readonly (readonly [string, string])[]): string {
  const skipped = graph.nodes.filter((n) => n.inactive).length;
  const parts = facts.map(([title, value]) => `${title} ${value}`);
  const has = (word: RegExp) => facts.some(([title]) => word.test(title));
  const { params, flops, latencyMs } = graph.totals;
  if (latencyMs !== undefined && !has(/latency/i)) parts.push(`Latency ${formatMs(latencyMs)}`);
  if (params !== undefined && !has(/param/i)) parts.push(`Parameters ${formatCount(params)}`);
  if (flops !== undefined && !has(/flops|macs/i)) parts.push(`FLOPs ${formatCount(flops)}`);
  parts.push(`${graph.nodes.length - skipped} layers${skipped ? `, ${skipped} skipped (dashed)` : ''}`);
  return parts.join(' · ');
}

function nodeRows(node: ArchNode): TooltipRow[] {
  const rows: TooltipRow[] = [];
  if (node.sublabel) rows.push(['', node.sublabel]);
  if (node.metrics.params !== undefined) rows.push(['params', formatCount(node.metrics.params)]);
  if (node.metrics.flops !== undefined) rows.push(['MACs', formatCount(node.metrics.flops)]);
  if (node.metrics.latencyMs !== undefined) rows.push(['latency', formatMs(node.metrics.latencyMs)]);
  rows.push(...node.attributes);
  for (const choice of node.choices ?? []) {
    rows.push([choice.name, choice.options.map((o) => (o.active ? `[${o.label}]` : o.label)).join(' ')]);
  }
  return rows;
}

surface.addEventListener('mousemove', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-node-id]') : null;
  const node = target && shown?.nodes.find((n) => n.id === target.getAttribute('data-node-id'));
  if (node) tooltip.show(node.label, nodeRows(node), event.clientX, event.clientY);
  else tooltip.hide();
});
surface.addEventListener('mouseleave', () => tooltip.hide());
surface.addEventListener('focusin', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-node-id]') : null;
  const node = target && shown?.nodes.find((n) => n.id === target.getAttribute('data-node-id'));
  if (node && target) {
    const box = target.getBoundingClientRect();
    tooltip.show(node.label, nodeRows(node), box.right, box.top);
  }
});

async function exportImage(format: 'svg' | 'png'): Promise<void> {
  if (!layout || !current) return;
  const { width, height } = layout;
  // Export the whole graph at scale 1, whatever the current pan and zoom.
  const view = panZoom.current;
  panZoom.set({ x: 0, y: 0, scale: 1 });
  svgRoot.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const markup = standaloneSvg(svgRoot, width, height, cssVar(root, '--nas-background'));
  svgRoot.removeAttribute('viewBox');
  panZoom.set(view);
  const fileName = `${safeFileName(current.title)}.${format}`;
  await postPicture(host.post, { view: 'graph', format, fileName, markup, width, height });
}

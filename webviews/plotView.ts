import { TRAINED_METRICS } from '../contract/trainedMetrics';
/**
 * Latency/accuracy plot: every evaluated architecture, the Pareto front, the constraint lines. For
 * a compound scaling study: accuracy against FLOPs, a line per scaling rule through its family,
 * the grid search's points faded.
 */
import { button, checkbox, safeFileName, select, showError, toolbar, viewRoot } from './controls';
import { cssVar, html } from './dom';
import { describeMetric, formatMetric, formatTickValue, metricTitle } from '../contract/metricInfo';
import { connectToHost } from './hostConnection';
import { postPicture, standaloneSvg } from './imageExport';
import type { HostToWebview, PlotInit } from '../contract/webviewMessages';
import { paretoFront, type Goal } from './plot/pareto';
import { ScatterPlot, type ConstraintLine, type DataWindow, type PointLine } from './plot/scatterPlot';
import { onThemeChange } from './theme';
import { Tooltip } from './tooltip';
import { TrialStore } from './trialStore';
import { plotViewStateCheck, readState, type PlotViewState } from './viewState';
import type { ScalingRunSummary, SearchRunSummary } from '../contract/runs';

const root = viewRoot('plot');
root.classList.add('nas-view', 'nas-plot-view');
const store = new TrialStore();
let experiment: SearchRunSummary | ScalingRunSummary | undefined;
let constraints: PlotInit['constraints'] = [];
let state: PlotViewState | undefined;
let front: readonly number[] = [];
let feasibleOnly = false;
let rebuildFrame = 0;

const heading = html('h2', { class: 'nas-heading' }, ['Latency / accuracy']);
const status = html('div', { class: 'nas-status', role: 'status', 'aria-live': 'polite' });
const xSelect = select('x', (x) => changeAxes({ x }));
const ySelect = select('y', (y) => changeAxes({ y }));
const plot = new ScatterPlot({
  hover: (i, clientX, clientY) => (i < 0 ? tooltip.hide() : showTrial(i, clientX, clientY)),
  select: (i) => {
    if (i < 0 || !experiment) return;
    const trial = store.at(i).trial;
    plot.setSelected(i);
    save({ selected: trial });
    host.post({ type: 'openTrial', experiment: experiment.id, trial });
  },
  windowChanged: (window) => save({ window }),
});
const searchLegend = [
  html('span', { class: 'nas-swatch nas-swatch-point' }),
  'feasible',
  html('span', { class: 'nas-swatch nas-swatch-infeasible' }),
  'violates a constraint',
  html('span', { class: 'nas-swatch nas-swatch-front' }),
  'Pareto front',
];
const legend = html('div', { class: 'nas-legend' }, searchLegend);
const RULE_LABELS: Record<ScalingRunSummary['lines'][number]['rule'], string> = { compound: 'compound', depth: 'depth only', width: 'width only', resolution: 'resolution only' };
root.append(
  heading,
  toolbar([
    xSelect.element,
    ySelect.element,
    checkbox('Feasible only', false, (checked) => {
      feasibleOnly = checked;
      save({ feasibleOnly });
      scheduleRebuild();
    }),
    button('Reset zoom', resetZoom, { secondary: true, title: 'Or double-click the plot' }),
    button('Export SVG', () => void exportImage('svg'), { secondary: true }),
    button('Export PNG', () => void exportImage('png'), { secondary: true }),
  ]),
  status,
  plot.element,
  legend,
);
const tooltip = new Tooltip(plot.element);
onThemeChange(() => plot.paint());

const host = connectToHost<PlotViewState>('plot', handle, readState(plotViewStateCheck));

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'init': {
      if (message.view !== 'plot') return;
      experiment = message.experiment;
      constraints = message.constraints;
      // A restored state for the same experiment keeps the user's axes, filter and zoom.
      const saved = host.savedState?.experiment === message.experiment.id ? host.savedState : undefined;
      state = saved ?? { experiment: message.experiment.id, x: message.x, y: message.y, feasibleOnly: false };
      // Saved at once: the host's panel serializer needs the experiment to restore this panel.
      host.saveState(state);
      feasibleOnly = state.feasibleOnly;
      root.querySelector('vscode-checkbox')?.toggleAttribute('checked', feasibleOnly);
      plot.setWindow(state.window?.length === 4 ? (state.window as unknown as DataWindow) : undefined);
      heading.textContent = `${message.experiment.name} · ${message.experiment.kind === 'scaling' ? 'accuracy / FLOPs per scaling rule' : 'latency / accuracy'}`;
      showError(root, undefined);
      scheduleRebuild();
      return;
    }
    case 'trials':
      if (message.experiment !== experiment?.id) return;
      store.addPage(message);
      scheduleRebuild();
      return;
    case 'trialAdded':
      if (message.experiment !== experiment?.id) return;
      store.add(message.trial);
      scheduleRebuild();
      return;
    case 'summary':
      if (message.summary.id !== experiment?.id || (message.summary.kind !== 'search' && message.summary.kind !== 'scaling')) return;
      experiment = message.summary;
      scheduleRebuild();
      return;
    case 'selectTrial':
      if (message.experiment !== experiment?.id) return;
      save({ selected: message.trial });
      scheduleRebuild();
      return;
    case 'error':
      showError(root, message.message);
      return;
    default:
      return;
  }
}

function resetZoom(): void {
  plot.setWindow(undefined);
  save({ window: undefined });
}

function save(change: Partial<PlotViewState>): void {
  if (!state) return;
  state = { ...state, ...change };
  host.saveState(state);
}

function changeAxes(change: { x?: string; y?: string }): void {
  save({ ...change, window: undefined });
  plot.setWindow(undefined);
  scheduleRebuild();
}

function goalOf(metric: string, fallback: Goal): Goal {
  return (experiment?.kind === 'search' ? experiment.objectives.find((o) => o.metric === metric)?.goal : undefined) ?? fallback;
}

/** A scaling study's lines (by store position) and its faded grid points. */
function scalingOverlay(study: ScalingRunSummary): { lines: PointLine[]; faded: Uint8Array } {
  const lines = study.lines.map((l, i) => ({ label: RULE_LABELS[l.rule], colour: (i % 6) + 1, indices: l.points.map((p) => store.positionOf(p.trial)).filter((k) => k >= 0) }));
  const onLine = new Set(study.lines.flatMap((l) => l.points.map((p) => p.trial)));
  const grid = new Set(study.grid.filter((t) => !onLine.has(t)));
  return { lines, faded: Uint8Array.from(store.all, (t) => (grid.has(t.trial) ? 1 : 0)) };
}

function scheduleRebuild(): void {
  if (rebuildFrame === 0) rebuildFrame = requestAnimationFrame(rebuild);
}

/** Recomputes columns, front and overlays from the store, then paints in the same frame. */
function rebuild(): void {
  rebuildFrame = 0;
  if (!state || !experiment) return;
  const { x, y } = state;
  const metrics = [...new Set([...store.metrics(), x, y])].sort();
  const catalog = experiment.kind === 'search' ? experiment.metricInfo : TRAINED_METRICS;
  const title = (m: string) => metricTitle(m, catalog);
  xSelect.setOptions(metrics, x, title);
  ySelect.setOptions(metrics, y, title);
  const xs = store.column(x);
  const ys = store.column(y);
  const trials = store.all;
  const feasible = Uint8Array.from(trials, (t) => (t.feasible ? 1 : 0));
  const visible = feasibleOnly ? (i: number) => feasible[i] === 1 : () => true;
  const candidatesY = feasibleOnly ? ys.map((v, i) => (feasible[i] ? v : NaN)) : ys;
  const study = experiment.kind === 'scaling' ? scalingOverlay(experiment) : undefined;
  // A scaling study compares rules by their lines; its points are not alternatives to trade off.
  front = study ? [] : paretoFront(xs, candidatesY, goalOf(x, 'minimize'), goalOf(y, 'maximize'));
  const lines: ConstraintLine[] = constraints.flatMap((c) => {
    const axis: 'x' | 'y' | undefined = c.metric === x ? 'x' : c.metric === y ? 'y' : undefined;
    if (!axis) return [];
    return [
      ...(c.max !== undefined ? [{ axis, value: c.max, bound: 'max' as const, label: `${describeMetric(c.metric, catalog).title} ≤ ${formatMetric(c.metric, c.max, catalog)}` }] : []),
      ...(c.min !== undefined ? [{ axis, value: c.min, bound: 'min' as const, label: `${describeMetric(c.metric, catalog).title} ≥ ${formatMetric(c.metric, c.min, catalog)}` }] : []),
    ];
  });
  const ticks = (m: string) => (value: number, step: number) => formatTickValue(value, step, describeMetric(m, catalog));
  plot.setData({ xs, ys, feasible, front, titles: { x: title(x), y: title(y) }, ticks: { x: ticks(x), y: ticks(y) }, constraints: lines, visible, ...(study ? { lines: study.lines, faded: study.faded } : {}) });
  const selected = state.selected !== undefined ? store.positionOf(state.selected) : -1;
  plot.setSelected(selected);
  const feasibleCount = feasible.reduce((n, f) => n + f, 0);
  if (experiment.kind === 'scaling') {
    const faded = study?.faded.reduce((n, f) => n + f, 0) ?? 0;
    status.textContent = `${trials.length} networks · ${experiment.lines.length} rule${experiment.lines.length === 1 ? '' : 's'} · ${faded} grid point${faded === 1 ? '' : 's'} faded · ${experiment.status}${experiment.status === 'running' ? ` (${experiment.trials}/${experiment.total})` : ''}`;
    legend.replaceChildren(
      ...(study?.lines ?? []).flatMap((l) => [html('span', { class: `nas-series-swatch nas-series-${l.colour}` }), l.label]),
      html('span', { class: 'nas-swatch nas-swatch-point nas-swatch-faded' }),
      'grid search',
    );
  } else {
    status.textContent = `${trials.length} trials · ${feasibleCount} feasible · ${front.length} on the Pareto front · ${experiment.status}${
      experiment.status === 'running' ? ` (${experiment.trials}/${experiment.budget})` : ''
    }`;
  }
  plot.paint();
}

function showTrial(i: number, clientX: number, clientY: number): void {
  if (!state) return;
  const trial = store.at(i);
  const onFront = front.includes(i);
  const catalog = !experiment ? {} : experiment.kind === 'search' ? experiment.metricInfo : TRAINED_METRICS;
  const row = (name: string): [string, string] => [describeMetric(name, catalog).title, formatMetric(name, trial.metrics[name], catalog)];
  const rows: [string, string][] = [
    row(state.x),
    row(state.y),
    ['feasible', trial.feasible ? 'yes' : 'no'],
    ...(onFront ? [['Pareto front', 'yes'] as [string, string]] : []),
    ...(trial.cached ? [['cached', 'yes'] as [string, string]] : []),
    ...Object.entries(trial.metrics)
      .filter(([name]) => name !== state?.x && name !== state?.y)
      .slice(0, 8)
      .map(([name]) => row(name)),
    ['architecture', (trial.description ?? trial.key).length > 48 ? `${(trial.description ?? trial.key).slice(0, 47)}…` : (trial.description ?? trial.key)],
  ];
  tooltip.show(`Trial ${trial.trial}`, rows, clientX, clientY);
}

async function exportImage(format: 'svg' | 'png'): Promise<void> {
  if (!experiment) return;
  const width = plot.element.clientWidth;
  const height = plot.element.clientHeight;
  const points = plot.pointsGroup();
  const markup = standaloneSvg(plot.svgElement, width, height, cssVar(root, '--nas-background'));
  points.remove();
  const fileName = `${safeFileName(experiment.name)}-${experiment.kind === 'scaling' ? 'scaling' : 'pareto'}.${format}`;
  await postPicture(host.post, { view: 'plot', format, fileName, markup, width, height });
}

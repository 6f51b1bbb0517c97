/** Search progress: best-so-far per strategy run, per-trial learning curves (smoothed), supernet training curves per phase, an AdaNet ensemble's objective per iteration. */
import type { EnsembleRunSummary, TrialRow } from '../contract/runs';
import { LineChart, type Band, type Series } from './chart/lineChart';
import { button, select, showError, toolbar, viewRoot, safeFileName } from './controls';
import { cssVar, html } from './dom';
import { formatDuration, trim, formatPercent } from '../contract/format';
import { connectToHost } from './hostConnection';
import { postPicture, standaloneSvg } from './imageExport';
import type { HostToWebview, ProgressRun, TrainingPoint } from '../contract/webviewMessages';
import { bestSoFar, type ProgressAxis } from './progress/bestSoFar';
import { hypervolumeHistory, worstPoint } from './progress/hypervolume';
import { describeMetric, formatMetric, formatTickValue, metricTitle } from '../contract/metricInfo';
import type { ObjectiveSpec } from '../contract/metrics';
import type { EpochPoint } from '../contract/trialCurve';
import { overlaidCurves, smoothedSeries, type TrialCurveLine } from './progress/trialCurves';
import { TrialStore } from './trialStore';
import { progressViewStateCheck, readState, type ProgressViewState } from './viewState';

const root = viewRoot('progress');
root.classList.add('nas-view', 'nas-progress-view');
const seriesColours = 6;

let runs: readonly ProgressRun[] = [];
const stores = new Map<string, TrialStore>();
const training = new Map<string, TrainingPoint[]>();
/** Learning curves of trials still training, by run and trial. */
const runningCurves = new Map<string, Map<number, readonly EpochPoint[]>>();
/** The trial selected in another view of the run (its curve is drawn first). */
let selectedTrial: { experiment: string; trial: number } | undefined;
/** TensorBoard's default smoothing weight. */
let smoothing = 0.6;
let axis: ProgressAxis = 'evaluations';
let frame = 0;

const searchHeading = html('h2', { class: 'nas-heading' }, ['Best so far']);
const legend = html('div', { class: 'nas-legend nas-progress-legend' });
const axisSelect = select('x', (value) => {
  axis = value === 'time' ? 'time' : 'evaluations';
  saveState();
  schedule();
});
const bestChart = new LineChart('nas-best-chart');
const searchSection = html('section', { class: 'nas-search' }, [searchHeading, legend, bestChart.element]);
const curvesHeading = html('h2', { class: 'nas-heading' }, ['Learning curves of trials']);
const smoothingValue = html('span', { class: 'nas-smoothing-value' }, [smoothing.toFixed(2)]);
const smoothingSlider = html('input', { type: 'range', min: 0, max: 0.99, step: 0.01, value: smoothing, class: 'nas-smoothing', 'aria-label': 'Smoothing' });
smoothingSlider.addEventListener('input', () => {
  smoothing = Number(smoothingSlider.value);
  smoothingValue.textContent = smoothing.toFixed(2);
  schedule();
});
const smoothingControl = html('label', { class: 'nas-smoothing-control' }, ['Smoothing ', smoothingSlider, ' ', smoothingValue]);
const curvesLegend = html('div', { class: 'nas-legend nas-curves-legend' });
const curveLossChart = new LineChart('nas-trial-loss-chart');
const curveAccuracyChart = new LineChart('nas-trial-accuracy-chart');
const curvesSection = html('section', { class: 'nas-trial-curves', hidden: '' }, [curvesHeading, smoothingControl, curvesLegend, curveLossChart.element, curveAccuracyChart.element]);
const trainingHeading = html('h2', { class: 'nas-heading' }, ['Supernet training']);
const trainingLegend = html('div', { class: 'nas-legend nas-training-legend' });
const lossChart = new LineChart('nas-loss-chart');
const accuracyChart = new LineChart('nas-accuracy-chart');
const trainingSection = html('section', { class: 'nas-training', hidden: '' }, [trainingHeading, trainingLegend, lossChart.element, accuracyChart.element]);
const ensembleHeading = html('h2', { class: 'nas-heading' }, ['AdaNet ensemble']);
const ensembleLegend = html('div', { class: 'nas-legend nas-ensemble-legend' });
const objectiveChart = new LineChart('nas-objective-chart');
const ensembleAccuracyChart = new LineChart('nas-ensemble-accuracy-chart');
const ensembleSection = html('section', { class: 'nas-ensemble', hidden: '' }, [ensembleHeading, ensembleLegend, objectiveChart.element, ensembleAccuracyChart.element]);
root.append(
  toolbar([axisSelect.element, button('Export SVG', () => void exportImage('svg'), { secondary: true }), button('Export PNG', () => void exportImage('png'), { secondary: true })]),
  searchSection,
  curvesSection,
  trainingSection,
  ensembleSection,
);
axisSelect.setOptions(['evaluations', 'time'], axis);

const host = connectToHost<ProgressViewState>('progress', handle, readState(progressViewStateCheck));

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'init': {
      if (message.view !== 'progress') return;
      runs = message.runs;
      stores.clear();
      training.clear();
      runningCurves.clear();
      for (const run of runs) stores.set(run.experiment.id, new TrialStore());
      const saved = host.savedState;
      if (saved) axis = saved.axis;
      axisSelect.setOptions(['evaluations', 'time'], axis);
      saveState();
      showError(root, undefined);
      schedule();
      return;
    }
    case 'trials':
      stores.get(message.experiment)?.addPage(message);
      schedule();
      return;
    case 'trialAdded':
      stores.get(message.experiment)?.add(message.trial);
      runningCurves.get(message.experiment)?.delete(message.trial.trial);
      schedule();
      return;
    case 'trialCurve': {
      if (!stores.has(message.experiment)) return;
      const curves = runningCurves.get(message.experiment) ?? new Map<number, readonly EpochPoint[]>();
      curves.set(message.trial, message.points);
      runningCurves.set(message.experiment, curves);
      schedule();
      return;
    }
    case 'selectTrial':
      selectedTrial = { experiment: message.experiment, trial: message.trial };
      schedule();
      return;
    case 'summary': {
      const summary = message.summary;
      // Only searches, supernet trainings and ensembles are shown; a summary of another kind is not for this view.
      if (summary.kind !== 'search' && summary.kind !== 'supernet' && summary.kind !== 'ensemble') return;
      runs = runs.map((r) => (r.experiment.id === summary.id ? { ...r, experiment: summary } : r));
      schedule();
      return;
    }
    case 'training': {
      if (!stores.has(message.experiment)) return;
      const points = message.page === 0 ? [] : (training.get(message.experiment) ?? []);
      points.push(...message.items);
      training.set(message.experiment, points);
      schedule();
      return;
    }
    case 'error':
      showError(root, message.message);
      return;
    default:
      return;
  }
}

function saveState(): void {
  host.saveState({ experiments: runs.map((r) => r.experiment.id), axis });
}

function schedule(): void {
  if (frame === 0) frame = requestAnimationFrame(render);
}

/** The objectives the searches overlaid share (those of the first search). */
function sharedObjectives(): readonly ObjectiveSpec[] {
  const first = runs.find((r) => r.experiment.kind === 'search')?.experiment;
  return first?.kind === 'search' ? first.objectives : [];
}

function render(): void {
  frame = 0;
  const objectives = sharedObjectives();
  const first = runs.find((r) => r.experiment.kind === 'search')?.experiment;
  const catalog = first?.kind === 'search' ? first.metricInfo : {};
  const trialsOf = (run: ProgressRun): readonly TrialRow[] => (run.experiment.kind === 'search' ? (stores.get(run.experiment.id)?.all ?? []) : []);
  // Two or more objectives: the hypervolume of the front, all runs against one reference point.
  const reference = objectives.length > 1 ? worstPoint(runs.map(trialsOf), objectives) : undefined;
  const objective = objectives[0];
  const series: Series[] = runs.map((run, i) => ({
    label: run.label,
    colour: (i % seriesColours) + 1,
    step: true,
    points: !objective ? [] : objectives.length > 1 ? (reference ? hypervolumeHistory(trialsOf(run), objectives, reference.map((v) => v - 1e-9), axis) : []) : bestSoFar(trialsOf(run), objective.metric, objective.goal, axis),
  }));
  const value = (v: number) => (objectives.length > 1 ? trim(v) : formatMetric(objective.metric, v, catalog));
  searchHeading.textContent =
    objectives.length > 1
      ? `Hypervolume of the Pareto front over ${objectives.map((o) => `${describeMetric(o.metric, catalog).title} (${o.goal})`).join(', ')}`
      : objective
        ? `Best ${describeMetric(objective.metric, catalog).title} so far (${objective.goal})`
        : 'Best so far';
  legend.replaceChildren(
    ...series.flatMap((s, i) => {
      const last = s.points.at(-1);
      const count = stores.get(runs[i].experiment.id)?.size ?? 0;
      return [html('span', { class: `nas-series-swatch nas-series-${s.colour}` }), `${s.label}: ${last ? value(last[1]) : '—'} after ${count} evaluations`];
    }),
  );
  bestChart.setData({
    series,
    titles: { x: axis === 'time' ? 'evaluation time' : 'evaluations', y: objectives.length > 1 ? 'hypervolume (reference: worst feasible value of each objective)' : objective ? metricTitle(objective.metric, catalog) : '' },
    formatX: axis === 'time' ? (v) => formatDuration(v * 1000) : undefined,
    ...(objectives.length === 1 ? { formatY: (v: number, step: number) => formatTickValue(v, step, describeMetric(objective.metric, catalog)) } : {}),
  });
  bestChart.element.dataset.series = String(series.filter((s) => s.points.length > 0).length);
  const searching = runs.some((r) => r.experiment.kind === 'search');
  searchSection.hidden = !searching;
  axisSelect.element.hidden = !searching;
  renderTrialCurves();
  renderTraining();
  renderEnsemble();
}

/**
 * The first search with learning curves: training loss and accuracy per epoch of the selected and
 * most recent trials, smoothed as TensorBoard smooths scalars; the legend gives the raw last values.
 */
function renderTrialCurves(): void {
  const searches = runs.filter((r) => r.experiment.kind === 'search');
  const withCurves = searches
    .map((run) => {
      const id = run.experiment.id;
      const selected = selectedTrial?.experiment === id ? selectedTrial.trial : undefined;
      return { run, lines: overlaidCurves(stores.get(id)?.all ?? [], runningCurves.get(id) ?? new Map(), selected), selected };
    })
    .find((c) => c.lines.length > 0);
  curvesSection.hidden = !withCurves;
  if (!withCurves) return;
  const { run, lines, selected } = withCurves;
  const name = (l: TrialCurveLine) => `#${l.trial}${l.running ? ' (training)' : ''}`;
  const series = (value: (p: EpochPoint) => number): Series[] => lines.map((l, i) => ({ label: name(l), colour: (i % seriesColours) + 1, points: smoothedSeries(l.points, value, smoothing) }));
  curvesHeading.textContent = `Learning curves of trials · ${run.label} · ${selected !== undefined && lines[0]?.trial === selected ? `trial #${selected} selected and ` : ''}the ${lines.length} most recent`;
  curvesLegend.replaceChildren(
    ...lines.map((l, i) => {
      const last = l.points[l.points.length - 1];
      const validation = last.valAccuracy !== undefined ? `, validation ${formatPercent(last.valAccuracy)}` : '';
      const text = `${name(l)}: epoch ${last.epoch} loss ${trim(last.loss)}, accuracy ${formatPercent(last.accuracy)}${validation}`;
      return html('span', { class: 'nas-legend-item' }, [html('span', { class: `nas-series-swatch nas-series-${(i % seriesColours) + 1}` }), ' ', text]);
    }),
  );
  curveLossChart.setData({ series: series((p) => p.loss), titles: { x: 'epoch', y: 'training loss' } });
  curveAccuracyChart.setData({ series: series((p) => p.accuracy), titles: { x: 'epoch', y: 'training accuracy (%)' }, formatY: (v, step) => formatTickValue(v, step, { title: 'accuracy', unit: '%', scale: 100 }) });
  curvesSection.dataset.smoothing = smoothing.toFixed(2);
}

/** The first ensemble run's complexity-regularized objective F and its accuracy after each iteration. */
function renderEnsemble(): void {
  const run = runs.find((r) => r.experiment.kind === 'ensemble');
  ensembleSection.hidden = !run;
  if (!run) return;
  const ensemble = run.experiment as EnsembleRunSummary;
  const curve = (label: string, colour: number, value: (i: EnsembleRunSummary['iterations'][number]) => number | undefined): Series => ({
    label,
    colour,
    points: ensemble.iterations.flatMap((it) => {
      const v = value(it);
      return v === undefined ? [] : [[it.iteration + 1, v] as const];
    }),
  });
  const objective = [curve('F on the training examples', 1, (i) => i.objective), curve('F on the held-out examples', 2, (i) => i.heldOutObjective)];
  const accuracy = [curve('validation accuracy', 3, (i) => i.valAccuracy), curve('test accuracy', 4, (i) => i.testAccuracy)].filter((c) => c.points.length > 0);
  const members = ensemble.members.length;
  ensembleHeading.textContent = `AdaNet ensemble · ${run.label} · ${members} member${members === 1 ? '' : 's'}${ensemble.converged ? ' · growth stopped' : ''}`;
  ensembleLegend.replaceChildren(
    ...[...objective, ...accuracy].flatMap((c, k) => {
      const value = c.points.at(-1)?.[1];
      return [html('span', { class: `nas-series-swatch nas-series-${c.colour}` }), `${c.label}: ${value === undefined ? '—' : k < objective.length ? value.toFixed(4) : formatPercent(value)}`];
    }),
  );
  objectiveChart.setData({ series: objective, titles: { x: 'iteration', y: 'objective F' } });
  ensembleAccuracyChart.setData({ series: accuracy, titles: { x: 'iteration', y: 'accuracy' } });
  objectiveChart.element.dataset.iterations = String(ensemble.iterations.length);
}

/** Loss and accuracy of the first run that has training points, phases as bands. */
function renderTraining(): void {
  const run = runs.find((r) => (training.get(r.experiment.id)?.length ?? 0) > 0);
  trainingSection.hidden = !run;
  if (!run) return;
  const points = [...(training.get(run.experiment.id) ?? [])].sort((a, b) => a.epoch - b.epoch);
  const bands = phaseBands(points);
  const curve = (label: string, colour: number, value: (p: TrainingPoint) => number | undefined): Series => ({
    label,
    colour,
    points: points.flatMap((p) => {
      const v = value(p);
      return v === undefined ? [] : [[p.epoch, v] as const];
    }),
  });
  const loss = [curve('training loss', 1, (p) => p.loss)];
  const accuracy = [curve('largest sub-network (validation)', 2, (p) => p.accuracy), curve('smallest sub-network (validation)', 3, (p) => p.smallestAccuracy)];
  trainingHeading.textContent = `Supernet training · ${run.label} · ${bands.length} phase${bands.length === 1 ? '' : 's'}`;
  const legendItem = (s: Series, format: (v: number) => string) => {
    const value = s.points.at(-1)?.[1];
    return [html('span', { class: `nas-series-swatch nas-series-${s.colour}` }), `${s.label}: ${value === undefined ? '—' : format(value)}`];
  };
  trainingLegend.replaceChildren(...loss.flatMap((s) => legendItem(s, trim)), ...accuracy.flatMap((s) => legendItem(s, formatPercent)));
  lossChart.setData({ series: loss, bands, titles: { x: 'epoch', y: 'loss' } });
  accuracyChart.setData({ series: accuracy.filter((s) => s.points.length > 0), bands, titles: { x: 'epoch', y: 'validation accuracy' } });
}

/** One band per stretch of consecutive epochs in the same phase; epoch e spans (e - 1, e]. */
function phaseBands(points: readonly TrainingPoint[]): Band[] {
  const bands: Band[] = [];
  for (const p of points) {
    const current = bands.at(-1);
    if (current && current.label === p.phase) bands[bands.length - 1] = { ...current, to: Math.max(current.to, p.epoch) };
    else bands.push({ label: p.phase, from: Math.max(0, Math.ceil(p.epoch) - 1), to: p.epoch });
  }
  return bands;
}

/** Exports the best-so-far chart, else the accuracy chart of a supernet view, else an ensemble's objective chart. */
async function exportImage(format: 'svg' | 'png'): Promise<void> {
  const chart = !searchSection.hidden ? bestChart : !trainingSection.hidden ? accuracyChart : objectiveChart;
  const width = chart.element.clientWidth;
  const height = chart.element.clientHeight;
  const markup = standaloneSvg(chart.svgElement, width, height, cssVar(root, '--nas-background'));
  const fileName = `${safeFileName(runs.map((r) => r.label).join('-') || 'progress')}-${!searchSection.hidden ? 'best-so-far' : !trainingSection.hidden ? 'training' : 'objective'}.${format}`;
  await postPicture(host.post, { view: 'progress', format, fileName, markup, width, height });
}

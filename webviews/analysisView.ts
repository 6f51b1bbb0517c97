/**
 * Analysis of one search: parallel coordinates over its decisions and metrics (brushing keeps
 * the trials inside the ranges dragged on axes), and the importance of each decision for a
 * metric by fANOVA over a random forest, computed a tree at a time so the view stays responsive.
 */
import { describeMetric, formatTickValue, metricTitle } from '../contract/metricInfo';
import type { SearchRunSummary } from '../contract/runs';
import type { DecisionInfo, HostToWebview } from '../contract/webviewMessages';
import { defaultForest, fitTree, importances, type FanovaTree } from './analysis/fanova';
import { decisionAxis, metricAxis, ParallelCoordinates } from './analysis/parallelCoordinates';
import { select, showError, toolbar, viewRoot } from './controls';
import { html } from './dom';
import { connectToHost } from './hostConnection';
import { onThemeChange } from './theme';
import { metricOrder } from './table/tableColumns';
import { TrialStore } from './trialStore';
import { analysisViewStateCheck, readState, type AnalysisViewState } from './viewState';

/** Trials the forest is fitted to at most (the latest ones): CART training grows with the square of the samples. */
export const MAX_FOREST_SAMPLES = 400;

const root = viewRoot('analysis');
root.classList.add('nas-view', 'nas-analysis-view');
const store = new TrialStore();
let experiment: SearchRunSummary | undefined;
let decisions: readonly DecisionInfo[] = [];
let state: AnalysisViewState | undefined;
let frame = 0;
/** Bumped whenever the importance must be computed afresh (new data, another metric). */
let generation = 0;

const heading = html('h2', { class: 'nas-heading' }, ['Analysis']);
const metricSelect = select('metric', (metric) => {
  save({ metric });
  schedule();
});
const parallelHeading = html('h3', { class: 'nas-subheading' }, ['Parallel coordinates']);
const parallelStatus = html('div', { class: 'nas-status', role: 'status' });
const parallel = new ParallelCoordinates((kept) => {
  parallelStatus.textContent = `${kept} of ${store.size} trials inside the brushed ranges · drag along an axis to keep a range, click it to clear`;
});
const importanceHeading = html('h3', { class: 'nas-subheading' }, ['Decision importance']);
const importanceStatus = html('div', { class: 'nas-status', role: 'status', 'aria-live': 'polite' });
const importanceList = html('div', { class: 'nas-importance', role: 'list' });
root.append(
  heading,
  toolbar([metricSelect.element]),
  parallelHeading,
  parallelStatus,
  parallel.element,
  importanceHeading,
  importanceStatus,
  importanceList,
);
onThemeChange(() => parallel.paint());

const host = connectToHost<AnalysisViewState>('analysis', handle, readState(analysisViewStateCheck));

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'init': {
      if (message.view !== 'analysis') return;
      experiment = message.experiment;
      decisions = message.decisions;
      const saved = host.savedState?.experiment === message.experiment.id ? host.savedState : undefined;
      state = saved ?? { experiment: message.experiment.id, metric: message.experiment.objectives[0]?.metric };
      host.saveState(state);
      heading.textContent = `${message.experiment.name} · analysis`;
      showError(root, undefined);
      schedule();
      return;
    }
    case 'trials':
      if (message.experiment !== experiment?.id) return;
      store.addPage(message);
      schedule();
      return;
    case 'trialAdded':
      if (message.experiment !== experiment?.id) return;
      store.add(message.trial);
      schedule();
      return;
    case 'summary':
      if (message.summary.id === experiment?.id && message.summary.kind === 'search') experiment = message.summary;
      return;
    case 'error':
      showError(root, message.message);
      return;
    default:
      return;
  }
}

function save(change: Partial<AnalysisViewState>): void {
  if (!state) return;
  state = { ...state, ...change };
  host.saveState(state);
}

function schedule(): void {
  if (frame === 0) frame = requestAnimationFrame(render);
}

function render(): void {
  frame = 0;
  if (!experiment || !state) return;
  const summary = experiment;
  const metrics = metricOrder(summary, store.metrics()).filter((m) => store.metrics().includes(m));
  const metric = state.metric && metrics.includes(state.metric) ? state.metric : metrics[0];
  metricSelect.setOptions(metrics, metric ?? '', (m) => metricTitle(m, summary.metricInfo));
  const trials = store.all;
  const genes = (d: number) => Float64Array.from(trials, (t) => t.genome?.[d] ?? Number.NaN);
  const shownMetrics = [...new Set([...summary.objectives.map((o) => o.metric), ...summary.constraints.map((c) => c.metric), ...(metric ? [metric] : [])])].filter((m) => metrics.includes(m));
  const colourValues = metric ? store.column(metric) : new Float64Array(trials.length).fill(Number.NaN);
  parallel.setData({
    axes: [
      ...decisions.map((d, i) => decisionAxis(d.name, d.choices, genes(i))),
      ...shownMetrics.map((m) => metricAxis(metricTitle(m, summary.metricInfo), store.column(m), (v, step) => formatTickValue(v, step, describeMetric(m, summary.metricInfo)))),
    ],
    colour: normalized(colourValues, summary.objectives.find((o) => o.metric === metric)?.goal === 'minimize'),
  });
  parallelHeading.textContent = `Parallel coordinates · coloured by ${metric ? metricTitle(metric, summary.metricInfo) : '—'}`;
  if (metric) void computeImportance(metric, ++generation);
}

/** Colour positions in [0, 1], 1 the best for the metric's goal. */
function normalized(values: Float64Array, minimize: boolean): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  return values.map((v) => (Number.isFinite(v) ? (hi > lo ? (minimize ? hi - v : v - lo) / (hi - lo) : 0.5) : Number.NaN));
}

/** Fits the forest a tree at a time (yielding between trees) and shows the importances as they settle. */
async function computeImportance(metric: string, mine: number): Promise<void> {
  const summary = experiment;
  if (!summary) return;
  const usable = store.all.filter((t) => Number.isFinite(t.metrics[metric]) && t.genome?.length === decisions.length).slice(-MAX_FOREST_SAMPLES);
  importanceHeading.textContent = `Decision importance for ${metricTitle(metric, summary.metricInfo)}`;
  if (usable.length < 4 || decisions.length === 0) {
    importanceStatus.textContent = `Importance needs at least 4 trials with ${metric}; ${usable.length} so far.`;
    importanceList.replaceChildren();
    return;
  }
  const rows = usable.map((t) => [...t.genome!]);
  const values = usable.map((t) => t.metrics[metric]);
  const counts = decisions.map((d) => d.choices.length);
  const trees: FanovaTree[] = [];
  for (let i = 0; i < defaultForest.trees; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (mine !== generation) return; // newer data or another metric
    trees.push(fitTree(rows, values, counts, defaultForest, i));
    if (i % 8 === 7 || i === defaultForest.trees - 1) showImportance(importances(trees, decisions.length), trees.length, usable.length);
  }
}

function showImportance(values: readonly number[], trees: number, samples: number): void {
  const ranked = values.map((v, d) => [decisions[d].name, v] as const).sort((a, b) => b[1] - a[1]);
  importanceStatus.textContent = `fANOVA over a random forest of ${trees}${trees < defaultForest.trees ? ` of ${defaultForest.trees}` : ''} trees fitted to ${samples} trials${samples === MAX_FOREST_SAMPLES ? ' (the latest)' : ''}; importances sum to 100%.`;
  importanceList.replaceChildren(
    ...ranked.map(([name, v]) =>
      html('div', { class: 'nas-importance-row', role: 'listitem' }, [
        html('span', { class: 'nas-importance-name' }, [name]),
        html('span', { class: 'nas-importance-bar' }, [fill(v)]),
        html('span', { class: 'nas-importance-value' }, [`${(100 * v).toFixed(1)}%`]),
      ]),
    ),
  );
  importanceList.dataset.importance = JSON.stringify(ranked);
  importanceList.dataset.trees = String(trees);
}

/** A bar's filled part (its width set through the CSSOM: the CSP forbids style attributes). */
function fill(fraction: number): HTMLElement {
  const element = html('span', { class: 'nas-importance-fill' });
  element.style.width = `${(100 * fraction).toFixed(1)}%`;
  return element;
}

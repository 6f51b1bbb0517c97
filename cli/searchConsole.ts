import { progressBar, table } from '../contract/format';
import { formatMetric, formatMetricCell, metricTitle, type MetricCatalog } from '../contract/metricInfo';
import type { Metrics } from '../contract/metrics';
import type { RunSummary, SearchRunSummary } from '../contract/runs';
import { warmStartLine } from '../contract/runText';
import { toTrialRecord, type FinishedTrial } from '../server/experiment/searchRecords';
import type { SearchView } from '../server/experiment/searchQueries';
import { metricCatalog } from '../server/experiment/searchRun';
import { paretoOrder } from '../server/experiment/searchState';
import type { RunEvents, RunView } from '../server/runs/runKind';
import { readRecordsAt } from '../server/store/journal';
import { frontLine } from '../contract/runText';
import type { RunConsole, RunPrinter } from './runConsole';
import { StatusLine } from './statusLine';

const asSearch = (view: RunView<unknown, unknown>) => view as SearchView;
const asSummary = (summary: RunSummary) => summary as SearchRunSummary;

/** Metrics worth a column: objectives, constraints, reported ones. */
function metricNames(view: SearchView): string[] {
  const { spec } = view;
  return [...new Set([...spec.objectives.map((o) => o.metric), ...spec.constraints.map((c) => c.metric), ...spec.report])];
}

/** `val_accuracy=77.60%  params=63.79 k`: one trial's metrics on a line. */
function metricsLine(metrics: Metrics, names: readonly string[], catalog: MetricCatalog): string {
  return names.filter((n) => n in metrics).map((n) => `${n}=${formatMetric(n, metrics[n], catalog)}`).join('  ');
}

/** The evaluator's metric metadata for this run. */
function catalogOf(view: SearchView): MetricCatalog {
  return metricCatalog(view.spec, view.state.best ? Object.keys(view.state.best.metrics) : []);
}

/**
 * Console view of a running search: a line per finished trial with the overall progress bar,
 * and on a terminal a live status line with the trials in flight and the ETA.
 */
function searchPrinter(id: string, out: (line: string) => void, stream: NodeJS.WriteStream, names: readonly string[], catalog: MetricCatalog): RunPrinter {
  const line = new StatusLine(stream, out);
  const logged = new Set<string>();
  let budget = 0;
  let finished = 0;
  const events: RunEvents = {
    started: ({ resumed, done, total }) => {
      budget = total;
      finished = done;
      line.watch(done);
      line.print(resumed ? `resuming ${id}: ${done} finished trial(s) replayed from the journal` : `experiment ${id}: ${total} trials`);
    },
    progress: (p) => {
      if (p.total > 0) line.showProgress(p);
    },
    finished: (unit) => {
      if (unit.unit !== 'trials') return;
      const t = unit.trial;
      finished++;
      const metrics = t.error ? `FAILED: ${t.error}` : metricsLine(t.metrics, names, catalog);
      const note = t.cached ? ' (same architecture as an earlier trial)' : ` (${(t.durationMs / 1000).toFixed(1)}s)`;
      line.print(`${progressBar(finished / budget)} ${String(finished).padStart(String(budget).length)}/${budget}  trial ${t.trial}  ${t.description}  ${metrics}${note}`);
    },
    log: (message) => {
      if (logged.has(message)) return;
      logged.add(message);
      line.print(`  ${message}`);
    },
  };
  return { events, close: () => line.clear() };
}

/** The best architecture with all its metrics, then the Pareto front or the top trials. */
function resultLines(view: SearchView, top: number): string[] {
  const { spec, state } = view;
  const best = state.best;
  if (!best) return ['', 'no feasible architecture found'];
  const names = metricNames(view);
  const catalog = catalogOf(view);
  if (spec.objectives.length > 1) {
    const byTrial = new Map(state.front.map((t) => [t.trial, t]));
    const front = paretoOrder(state, spec.objectives);
    const lines = ['', `Pareto front over ${spec.objectives.map((o) => `${metricTitle(o.metric, catalog)} (${o.goal})`).join(', ')}: ${front.length} architecture${front.length === 1 ? '' : 's'}`];
    lines.push(trialsTable(['trial'], front.map((n) => trialRow(view, byTrial.get(n)!, [String(n)])), names, catalog));
    return lines;
  }
  const extra = Object.keys(best.metrics).filter((n) => !names.includes(n));
  const lines = ['', `Best architecture (trial ${best.trial}): ${state.space.describe(best.genome)}`];
  lines.push(metricsTable([...names, ...extra], best.metrics, catalog));
  const ranked = state.top.slice(0, top);
  lines.push('', `Top ${ranked.length} of ${state.trials.size} trials by ${spec.objectives[0].metric}:`);
  lines.push(trialsTable(['#', 'trial'], ranked.map((t, i) => trialRow(view, t, [String(i + 1), String(t.trial)])), names, catalog));
  return lines;
}

/** One row per metric the trial has: "Latency (batch 1) (ms)  0.28" (the title names the unit once, the value is bare, as in every CLI table). */
export function metricsTable(names: readonly string[], metrics: Metrics, catalog: MetricCatalog): string {
  return table(['metric', 'value'], names.filter((n) => n in metrics).map((n) => [metricTitle(n, catalog), formatMetricCell(n, metrics[n], catalog)]));
}

export interface TrialRow {
  readonly lead: readonly string[];
  readonly architecture: string;
  readonly metrics: Metrics;
}

function trialRow(view: SearchView, t: FinishedTrial, lead: string[]): TrialRow {
  return { lead, architecture: view.state.space.describe(t.genome), metrics: t.metrics };
}

/** Trials under columns titled with metricTitle ("Validation accuracy (%)"): the values without units. */
export function trialsTable(leadHeaders: readonly string[], rows: readonly TrialRow[], names: readonly string[], catalog: MetricCatalog): string {
  return table(
    [...leadHeaders, 'architecture', ...names.map((n) => metricTitle(n, catalog))],
    rows.map((r) => [...r.lead, r.architecture, ...names.map((m) => formatMetricCell(m, r.metrics[m], catalog))]),
  );
}

/** How `nas-studio` shows architecture searches. */
export const searchConsole: RunConsole = {
  printer: (view, out, stream) => searchPrinter(view.folder.id, out, stream, metricNames(asSearch(view)), catalogOf(asSearch(view))),
  result: (view, _summary, top) => resultLines(asSearch(view), top),
  show: (view, summary) => {
    const s = asSummary(summary);
    const warm = warmStartLine(s);
    return [`${s.name} (${s.id}): ${s.status}, ${s.trials}/${s.budget} trials${s.error ? `\nerror: ${s.error}` : ''}\nfolder: ${s.dir}${warm ? `\n${warm}` : ''}`, ...resultLines(asSearch(view), 10)];
  },
  json: (view, summary) => {
    const s = asSummary(summary);
    const { state } = asSearch(view);
    return {
      experiment: s.id,
      status: s.status,
      trials: s.trials,
      best: s.best ? { trial: s.best.trial, arch: s.best.arch, description: s.best.description, metrics: s.best.metrics } : null,
      ...(s.warmStart ? { warmStart: s.warmStart } : {}),
      ...(s.pareto ? { pareto: s.pareto.map((n) => state.front.find((t) => t.trial === n)!).map((t) => ({ trial: t.trial, arch: t.arch, metrics: t.metrics })) } : {}),
    };
  },
  showJson: (view, summary) => {
    const all = readRecordsAt(view.folder.journal, [...asSearch(view).state.trials.values()]) as FinishedTrial[];
    return { ...summary, trials: all.map(toTrialRecord) };
  },
  listResult: (summary) => {
    const s = asSummary(summary);
    if (s.objectives.length > 1) return frontLine(s) ?? '-';
    const o = s.objectives[0];
    return s.best && o ? `${o.metric}=${formatMetric(o.metric, s.best.metrics[o.metric], s.metricInfo)}  ${s.best.description}` : '-';
  },
};

/** The columns of the trials table: what each shows, sorts by and exports, in the metrics' units. */
import { formatDuration, trim } from '../../contract/format';
import { formatMetric, metricTitle } from '../../contract/metricInfo';
import type { SearchRunSummary, TrialRow } from '../../contract/runs';

export type TrialStatus = 'feasible' | 'infeasible' | 'failed' | 'repeat';

export const trialStatuses: readonly TrialStatus[] = ['feasible', 'infeasible', 'failed', 'repeat'];

export function statusOf(t: TrialRow): TrialStatus {
  if (t.error !== undefined) return 'failed';
  if (t.cached) return 'repeat';
  return t.feasible ? 'feasible' : 'infeasible';
}

export interface Column {
  readonly id: string;
  /** Header text: the metric's title with its unit. */
  readonly title: string;
  readonly numeric: boolean;
  /** Sort key: a number (NaN sorts last) or text. */
  key(t: TrialRow): number | string;
  text(t: TrialRow): string;
  /** CSV cell: raw stored numbers, so a spreadsheet gets full precision. */
  csv(t: TrialRow): string;
  /** Values the cell draws as a sparkline instead of its text (the text becomes its tooltip). */
  sparkline?(t: TrialRow): readonly number[];
}

const curveLosses = (t: TrialRow): number[] => (t.curve ?? []).map((p) => p.loss);

/** The learning curve column: training loss by epoch, sorted by the last epoch's loss. */
const curveColumn: Column = {
  id: 'curve',
  title: 'Training loss by epoch',
  numeric: true,
  key: (t) => curveLosses(t).at(-1) ?? Number.NaN,
  text: (t) => (t.curve?.length ? `${t.curve.length} epoch${t.curve.length === 1 ? '' : 's'}: ${curveLosses(t).map(trim).join(' → ')}` : '-'),
  csv: (t) => curveLosses(t).join(' '),
  sparkline: curveLosses,
};

/** When the trial started: its finishing time less its duration. */
function startedAt(t: TrialRow): number {
  return t.at ? Date.parse(t.at) - t.durationMs : Number.NaN;
}

function clock(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const d = new Date(ms);
  return `${d.toISOString().slice(0, 10)} ${d.toTimeString().slice(0, 8)}`;
}

/** Metrics in reading order: objectives, constraints, reported, then whatever else the trials carry. */
export function metricOrder(summary: SearchRunSummary, measured: readonly string[]): string[] {
  return [...new Set([...summary.objectives.map((o) => o.metric), ...summary.constraints.map((c) => c.metric), ...summary.report, ...measured])];
}

/** The table's columns; the learning curve column only when some trial has a curve. */
export function tableColumns(summary: SearchRunSummary, metrics: readonly string[], withCurves = false): Column[] {
  const catalog = summary.metricInfo;
  const metricColumn = (name: string): Column => ({
    id: `metric:${name}`,
    title: metricTitle(name, catalog),
    numeric: true,
    key: (t) => t.metrics[name] ?? Number.NaN,
    text: (t) => formatMetric(name, t.metrics[name], catalog),
    csv: (t) => (t.metrics[name] === undefined || t.metrics[name] === null ? '' : String(t.metrics[name])),
  });
  return [
    { id: 'trial', title: '#', numeric: true, key: (t) => t.trial, text: (t) => String(t.trial), csv: (t) => String(t.trial) },
    { id: 'status', title: 'Status', numeric: false, key: statusOf, text: (t) => (t.error ? `failed: ${t.error}` : statusOf(t)), csv: (t) => statusOf(t) },
    { id: 'arch', title: 'Architecture', numeric: false, key: (t) => t.description ?? t.key, text: (t) => t.description ?? t.key, csv: (t) => t.description ?? t.key },
    ...metrics.map(metricColumn),
    ...(withCurves ? [curveColumn] : []),
    { id: 'duration', title: 'Duration', numeric: true, key: (t) => t.durationMs, text: (t) => formatDuration(t.durationMs), csv: (t) => String(t.durationMs / 1000) },
    { id: 'started', title: 'Started', numeric: true, key: startedAt, text: (t) => clock(startedAt(t)), csv: (t) => (Number.isFinite(startedAt(t)) ? new Date(startedAt(t)).toISOString() : '') },
  ];
}

/** The metric a metric column shows, for range filters in its unit. */
export function columnMetric(column: Column): string | undefined {
  return column.id.startsWith('metric:') ? column.id.slice('metric:'.length) : undefined;
}


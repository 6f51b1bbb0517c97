/**
 * Which trials the table shows and in what order: filters (status, Pareto front, text in the
 * architecture, metric ranges) and a stable sort by one column. Pure, over typed index arrays,
 * so 100,000 trials filter and sort in milliseconds.
 */
import type { TrialRow } from '../../contract/runs';
import { statusOf, type Column, type TrialStatus } from './tableColumns';

export interface MetricRange {
  readonly metric: string;
  /** Stored units (the view converts what the user types). */
  readonly min?: number;
  readonly max?: number;
}

export interface TableFilter {
  readonly statuses: ReadonlySet<TrialStatus>;
  readonly frontOnly: boolean;
  /** Case-insensitive text searched in the architecture's description and key. */
  readonly search: string;
  readonly ranges: readonly MetricRange[];
}

export interface TableSort {
  readonly column: string;
  readonly descending: boolean;
}

export function visibleRows(trials: readonly TrialRow[], filter: TableFilter, front: ReadonlySet<number>): Uint32Array {
  const search = filter.search.trim().toLowerCase();
  const out = new Uint32Array(trials.length);
  let n = 0;
  for (let i = 0; i < trials.length; i++) {
    const t = trials[i];
    if (!filter.statuses.has(statusOf(t))) continue;
    if (filter.frontOnly && !front.has(t.trial)) continue;
    if (search && !(t.description ?? '').toLowerCase().includes(search) && !t.key.toLowerCase().includes(search)) continue;
    if (!filter.ranges.every((r) => inRange(t.metrics[r.metric], r))) continue;
    out[n++] = i;
  }
  return out.slice(0, n);
}

function inRange(value: number | undefined, range: MetricRange): boolean {
  if (range.min === undefined && range.max === undefined) return true;
  if (value === undefined || value === null || Number.isNaN(value)) return false;
  return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
}

/** Sorts row indices in place by a column; missing values last in either direction, ties by position. */
export function sortRows(rows: Uint32Array, trials: readonly TrialRow[], column: Column, descending: boolean): Uint32Array {
  const sign = descending ? -1 : 1;
  if (column.numeric) {
    const keys = new Float64Array(trials.length);
    for (const i of rows) keys[i] = column.key(trials[i]) as number;
    return rows.sort((a, b) => {
      const x = keys[a];
      const y = keys[b];
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? a - b : 1) : -1;
      return sign * (x - y) || a - b;
    });
  }
  const keys = new Map<number, string>();
  for (const i of rows) keys.set(i, String(column.key(trials[i])));
  return rows.sort((a, b) => sign * (keys.get(a)! < keys.get(b)! ? -1 : keys.get(a)! > keys.get(b)! ? 1 : 0) || a - b);
}

/** The shown rows as CSV (RFC 4180 quoting), with a header of the column titles. */
export function toCsv(rows: Uint32Array, trials: readonly TrialRow[], columns: readonly Column[]): string {
  const cell = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [columns.map((c) => cell(c.title)).join(',')];
  for (const i of rows) lines.push(columns.map((c) => cell(c.csv(trials[i]))).join(','));
  return lines.join('\r\n') + '\r\n';
}

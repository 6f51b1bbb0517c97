/**
 * Metric metadata and the one formatting layer every view uses: evaluators declare, per metric,
 * a title, a unit, how stored values relate to it (a fraction shown as %, a count stored in
 * millions) and a precision; the explorer, CodeLens, hovers, plot axes and tooltips, the graph
 * header, the trials table, the CLI and the HTML report render values and titles through it.
 */
import { formatCount, trim } from './format';
import type { MetricCatalog, MetricInfo } from './metrics';

export type { MetricCatalog, MetricInfo } from './metrics';

/** An accuracy, shown in % whether it is stored as a fraction (0.776) or in % (77.6). */
export function accuracyInfo(title: string, stored: 'fraction' | 'percent'): MetricInfo {
  return { title, unit: '%', scale: stored === 'fraction' ? 100 : 1, precision: 2 };
}

/** A count (parameters, FLOPs) with SI prefixes; `storedIn` 1e6 when the values are millions. */
export function countInfo(title: string, storedIn = 1): MetricInfo {
  return { title, unit: '', scale: storedIn, si: true };
}

export function millisecondsInfo(title: string): MetricInfo {
  return { title, unit: 'ms', precision: 2 };
}

export function secondsInfo(title: string): MetricInfo {
  return { title, unit: 's', precision: 1 };
}

/** A loss or any other unitless number with 4 decimals. */
export function plainInfo(title: string, precision = 4): MetricInfo {
  return { title, unit: '', precision };
}

/** The declared metadata of a metric, or a neutral one (its name, 4 significant digits) when nobody declared it. */
export function describeMetric(name: string, catalog: MetricCatalog = {}): MetricInfo {
  return Object.hasOwn(catalog, name) ? catalog[name] : { title: name, unit: '' };
}

/** A value in its unit: "77.60%", "24.98 ms", "63.79 k", "12.3 s", "0.4123"; "-" when missing. */
export function formatValue(value: number | undefined | null, info: MetricInfo): string {
  const digits = formatCell(value, info);
  if (digits === '-' || info.unit === '' || info.si) return digits;
  return info.unit === '%' ? `${digits}%` : `${digits} ${info.unit}`;
}

/** A value in its unit without the unit ("77.60", "24.98", "63.79 k"), for table cells under a title that names it (metricTitle). */
export function formatCell(value: number | undefined | null, info: MetricInfo): string {
  if (value === undefined || value === null || Number.isNaN(value)) return '-';
  const shown = value * (info.scale ?? 1);
  if (info.si) return formatCount(shown);
  return info.precision === undefined ? trim(shown) : shown.toFixed(info.precision);
}

/** A metric's value for a table cell whose column (or row) title is `metricTitle(name)`. */
export function formatMetricCell(name: string, value: number | undefined | null, catalog: MetricCatalog = {}): string {
  return formatCell(value, describeMetric(name, catalog));
}

/** A metric's value rendered with the catalog's metadata. */
export function formatMetric(name: string, value: number | undefined | null, catalog: MetricCatalog = {}): string {
  return formatValue(value, describeMetric(name, catalog));
}

/** Axis and column titles: "Validation accuracy (%)", "Latency on Pixel 3 (ms)", "Parameters". */
export function metricTitle(name: string, catalog: MetricCatalog = {}): string {
  const info = describeMetric(name, catalog);
  return info.unit === '' ? info.title : `${info.title} (${info.unit})`;
}

/** "Validation accuracy 77.60%": a metric named by its title with its value. */
export function metricPhrase(name: string, value: number | undefined | null, catalog: MetricCatalog = {}): string {
  return `${describeMetric(name, catalog).title} ${formatMetric(name, value, catalog)}`;
}

/** Axis tick text for stored values `value` spaced `step` apart, in the metric's unit (no unit suffix: the title has it). */
export function formatTickValue(value: number, step: number, info: MetricInfo): string {
  const scale = info.scale ?? 1;
  const shown = value * scale;
  if (info.si || Math.abs(shown) >= 1e4) return formatCount(shown).replace(' ', '');
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(Math.abs(step * scale) || 1))));
  return shown.toFixed(decimals);
}

/** The value a user types into a filter, in the metric's unit, back in stored units. */
export function toStoredValue(shown: number, info: MetricInfo): number {
  return shown / (info.scale ?? 1);
}

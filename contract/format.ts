/**
 * Number formatting shared by the CLI, the engine log, the editor, the webviews and the HTML
 * report: counts with SI prefixes, durations, tables (metric values: metricInfo.ts).
 */
import type { TrainingProgress } from './runs';

/** An accuracy fraction as a percentage with two decimals: 0.98123 -> "98.12%". */
export function formatPercent(fraction: number): string {
  return `${percentCell(fraction)}%`;
}

/** An accuracy fraction in a table cell whose title says "(%)": 0.98123 -> "98.12"; "-" when missing. */
export function percentCell(fraction: number | undefined): string {
  return fraction === undefined ? '-' : (fraction * 100).toFixed(2);
}


/** A plain-text table with a header rule; columns sized to content. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** `[#######.....]  7/16` */
export function progressBar(fraction: number, width = 28): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** Elapsed or remaining time as a clock reads it: "4m12s", "37s". */
export function formatClock(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** `epoch 3/12 kernel step 40/125 loss 0.4123 acc 90.12% 820 img/s ETA 4m12s`: a supernet run's live progress. */
export function trainingProgressLine(p: TrainingProgress): string {
  return `epoch ${p.epoch}/${p.epochs} ${p.phase} step ${p.step}/${p.steps} loss ${p.loss.toFixed(4)} acc ${formatPercent(p.accuracy)} ${Math.round(p.imagesPerSecond)} img/s ETA ${formatClock(p.etaSeconds * 1000)}`;
}

export function formatCount(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trim(value / 1e9)} G`;
  if (abs >= 1e6) return `${trim(value / 1e6)} M`;
  if (abs >= 1e3) return `${trim(value / 1e3)} k`;
  return trim(value);
}

export function formatMs(value: number): string {
  return `${trim(value)} ms`;
}

/** Up to 4 significant digits, no trailing zeros. */
export function trim(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e4) return String(value);
  return String(Number(value.toPrecision(4)));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${trim(s)} s`;
  const m = s / 60;
  if (m < 120) return `${trim(m)} min`;
  return `${trim(m / 60)} h`;
}

/** Axis tick text for a metric value. */
export function formatTick(value: number, step: number): string {
  if (Math.abs(value) >= 1e4) return formatCount(value).replace(' ', '');
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step))));
  return value.toFixed(decimals);
}

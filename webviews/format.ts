/** Number formatting for tooltips, axes and summaries. */

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

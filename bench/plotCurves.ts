// Draws learning curves (bench/learningCurves.ts JSON) as an SVG line chart, offline.
//   node --import tsx bench/plotCurves.ts --in CURVES.json --out CHART.svg [--log]
// --log: a logarithmic regret axis (regrets shrink by orders of magnitude as searches converge),
// floored at 0.01: a regret below that (or zero, the optimum) is drawn on the floor.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CurvesFile } from './learningCurves';

const { values: args } = parseArgs({ options: { in: { type: 'string' }, out: { type: 'string' }, log: { type: 'boolean', default: false } } });
if (!args.in || !args.out) {
  console.error('usage: node --import tsx bench/plotCurves.ts --in CURVES.json --out CHART.svg [--log]');
  process.exit(2);
}

const curves = JSON.parse(readFileSync(args.in, 'utf8')) as CurvesFile;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const W = 720;
const H = 420;
const M = { left: 64, right: 220, top: 40, bottom: 48 };
/** Lowest regret a log axis shows. */
const LOG_FLOOR = 0.01;
const names = Object.keys(curves.series);
/** A value as drawn: floored on a log axis. */
const shown = (v: number) => (args.log ? Math.max(v, LOG_FLOOR) : v);
const length = Math.max(...names.map((n) => curves.series[n].length));
const finite = names.flatMap((n) => curves.series[n].filter(Number.isFinite).map(shown));
const yMax = Math.max(...finite);
const yMin = args.log ? Math.min(...finite) : 0;
const ly = (v: number) => (args.log ? Math.log10(v) : v);
/** x of the i-th evaluation (0-based). */
const x = (i: number) => M.left + (i / Math.max(1, length - 1)) * (W - M.left - M.right);
const y = (v: number) => H - M.bottom - ((ly(v) - ly(yMin)) / (ly(yMax) - ly(yMin) || 1)) * (H - M.top - M.bottom);
const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');

const parts: string[] = [];
parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
parts.push(`<text x="12" y="22" font-size="13" font-weight="bold">${esc(curves.title)}</text>`);
// Axes and ticks.
// Ticks too close to the previous one are left out, so labels never overlap.
const xTicks = [1, ...[10, 20, 50, 100, 200, 300, 500].filter((t) => t < length), length].filter(
  (t, i, all) => i === 0 || (x(t - 1) - x(all[i - 1] - 1) >= 28 && (i === all.length - 1 || x(all[all.length - 1] - 1) - x(t - 1) >= 28)),
);
for (const t of xTicks) {
  parts.push(`<line x1="${x(t - 1)}" y1="${M.top}" x2="${x(t - 1)}" y2="${H - M.bottom}" stroke="#eee"/>`);
  parts.push(`<text x="${x(t - 1)}" y="${H - M.bottom + 16}" text-anchor="middle">${t}</text>`);
}
const yTicks = args.log
  ? [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20].filter((t) => t >= yMin * 0.999 && t <= yMax * 1.001)
  : Array.from({ length: 6 }, (_, i) => (yMax * i) / 5);
for (const t of yTicks) {
  parts.push(`<line x1="${M.left}" y1="${y(t)}" x2="${W - M.right}" y2="${y(t)}" stroke="#eee"/>`);
  parts.push(`<text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end">${t < 1 ? t.toFixed(2) : t.toFixed(1)}</text>`);
}
parts.push(`<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="black"/>`);
parts.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="black"/>`);
parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 12}" text-anchor="middle">evaluations</text>`);
parts.push(`<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(curves.yLabel)}${args.log ? ' (log)' : ''}</text>`);
// One polyline per series, and the legend.
names.forEach((name, k) => {
  const colour = COLOURS[k % COLOURS.length];
  const points = curves.series[name]
    .map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(shown(v)).toFixed(1)}` : undefined))
    .filter((p) => p !== undefined)
    .join(' ');
  parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/>`);
  const ly0 = M.top + 10 + k * 20;
  parts.push(`<line x1="${W - M.right + 16}" y1="${ly0}" x2="${W - M.right + 40}" y2="${ly0}" stroke="${colour}" stroke-width="2"/>`);
  parts.push(`<text x="${W - M.right + 46}" y="${ly0 + 4}">${esc(name)}</text>`);
});
parts.push('</svg>');
writeFileSync(args.out, parts.join('\n') + '\n');
console.log(`wrote ${args.out}: ${names.length} curves over ${length} evaluations`);

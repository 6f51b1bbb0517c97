import type { IntermediateValue } from '../../contract/runs';
import { svg } from '../dom';

/** A tiny line of one intermediate value over a trial's steps (e.g. validation accuracy per epoch). */
export function sparkline(curve: readonly IntermediateValue[], metric: string, width = 64, height = 16): SVGSVGElement {
  const element = svg('svg', { class: 'nas-sparkline', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${metric} over ${curve.length} steps` });
  const points = curve.map((p) => [p.step, p.values[metric]] as const).filter(([, v]) => Number.isFinite(v));
  if (points.length === 0) return element;
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const px = (x: number) => (x1 === x0 ? width / 2 : 1 + ((x - x0) / (x1 - x0)) * (width - 2));
  const py = (y: number) => (y1 === y0 ? height / 2 : height - 1 - ((y - y0) / (y1 - y0)) * (height - 2));
  svg('path', { d: points.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(''), class: 'nas-sparkline-line' }, element);
  return element;
}

/** The metric a run's curves show in sparklines: the first one its trials report. */
export function curveMetric(curves: readonly (readonly IntermediateValue[] | undefined)[]): string | undefined {
  for (const curve of curves) {
    const first = curve?.[0];
    if (first) return Object.keys(first.values)[0];
  }
  return undefined;
}

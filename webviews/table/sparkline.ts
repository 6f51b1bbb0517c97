/** A trial's learning curve drawn small in its table row: training loss by epoch. */
import { svg } from '../dom';

export const SPARKLINE_WIDTH = 72;
export const SPARKLINE_HEIGHT = 16;

/**
 * SVG path of values spread evenly across the width, each curve scaled to its own range (the
 * shape is what a row can show; the title gives the numbers). Empty for fewer than two points.
 */
export function sparklinePath(values: readonly number[], width = SPARKLINE_WIDTH, height = SPARKLINE_HEIGHT): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) return '';
  const low = Math.min(...finite);
  const span = Math.max(...finite) - low || 1;
  const pad = 1.5;
  const y = (v: number) => (pad + (1 - (v - low) / span) * (height - 2 * pad)).toFixed(1);
  const x = (i: number) => (pad + (i / (finite.length - 1)) * (width - 2 * pad)).toFixed(1);
  return finite.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i)},${y(v)}`).join('');
}

export function sparkline(values: readonly number[]): SVGSVGElement {
  const element = svg('svg', { class: 'nas-sparkline', width: SPARKLINE_WIDTH, height: SPARKLINE_HEIGHT, viewBox: `0 0 ${SPARKLINE_WIDTH} ${SPARKLINE_HEIGHT}`, 'aria-hidden': 'true' });
  svg('path', { d: sparklinePath(values) }, element);
  return element;
}

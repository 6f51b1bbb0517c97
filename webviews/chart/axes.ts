import { svg, svgText } from '../dom';
import { formatTick } from '../../contract/format';
import { niceTicks, type LinearScale } from './scale';

export interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Margins around the plotting area for tick labels and axis titles. */
export const chartMargin = { left: 56, right: 16, top: 12, bottom: 40 } as const;

export function plotArea(width: number, height: number): PlotArea {
  return {
    left: chartMargin.left,
    top: chartMargin.top,
    width: Math.max(10, width - chartMargin.left - chartMargin.right),
    height: Math.max(10, height - chartMargin.top - chartMargin.bottom),
  };
}

/** Grid lines, ticks and axis titles into `group` (its old content is replaced). */
export function drawAxes(
  group: SVGGElement,
  area: PlotArea,
  x: LinearScale,
  y: LinearScale,
  titles: { readonly x: string; readonly y: string },
  formatX: (value: number, step: number) => string = formatTick,
  formatY: (value: number, step: number) => string = formatTick,
): void {
  group.replaceChildren();
  const xTicks = niceTicks(Math.min(...x.domain), Math.max(...x.domain), Math.max(2, Math.round(area.width / 90)));
  const yTicks = niceTicks(Math.min(...y.domain), Math.max(...y.domain), Math.max(2, Math.round(area.height / 50)));
  const bottom = area.top + area.height;
  for (const value of xTicks.values) {
    const px = x.map(value);
    svg('line', { class: 'nas-grid', x1: px, x2: px, y1: area.top, y2: bottom }, group);
    svgText(formatX(value, xTicks.step), { class: 'nas-tick', x: px, y: bottom + 14, 'text-anchor': 'middle' }, group);
  }
  for (const value of yTicks.values) {
    const py = y.map(value);
    svg('line', { class: 'nas-grid', x1: area.left, x2: area.left + area.width, y1: py, y2: py }, group);
    svgText(formatY(value, yTicks.step), { class: 'nas-tick', x: area.left - 6, y: py + 4, 'text-anchor': 'end' }, group);
  }
  svg('rect', { class: 'nas-frame', x: area.left, y: area.top, width: area.width, height: area.height }, group);
  svgText(titles.x, { class: 'nas-axis-title', x: area.left + area.width / 2, y: bottom + 32, 'text-anchor': 'middle' }, group);
  svgText(titles.y, {
    class: 'nas-axis-title',
    x: -(area.top + area.height / 2),
    y: 14,
    transform: 'rotate(-90)',
    'text-anchor': 'middle',
  }, group);
}

/** SVG line chart with optional step lines, dot series (scatters), shaded x bands (phases) and a nearest-point tooltip. */
import { svg, svgText, html } from '../dom';
import { formatTick, trim } from '../../contract/format';
import { Tooltip } from '../tooltip';
import { drawAxes, plotArea } from './axes';
import { LinearScale, paddedExtent } from './scale';

export interface Series {
  readonly label: string;
  /** 1-based colour slot (nas-series-N). */
  readonly colour: number;
  readonly points: readonly (readonly [number, number])[];
  /** Hold each value until the next point (best-so-far curves). */
  readonly step?: boolean;
  /** Draw each point as a dot; `labels[i]` is written beside point i, `titles[i]` (or its label) titles its tooltip. */
  readonly dots?: { readonly radius: number; readonly labels?: readonly string[]; readonly titles?: readonly string[] };
  /** Join the points (default: unless they are drawn as dots). */
  readonly line?: boolean;
}

export interface Band {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface LineChartData {
  readonly series: readonly Series[];
  readonly bands?: readonly Band[];
  readonly titles: { readonly x: string; readonly y: string };
  readonly formatX?: (value: number, step: number) => string;
  readonly formatY?: (value: number, step: number) => string;
  /** A point's values in the tooltip (default: 4 significant digits). */
  readonly formatValueX?: (value: number) => string;
  readonly formatValueY?: (value: number) => string;
}

export class LineChart {
  readonly element: HTMLDivElement;
  readonly svgElement: SVGSVGElement;
  private readonly tooltip: Tooltip;
  private data: LineChartData | undefined;
  private scales: { x: LinearScale; y: LinearScale } | undefined;

  constructor(className: string) {
    this.svgElement = svg('svg', { class: 'nas-overlay' });
    this.element = html('div', { class: `nas-chart ${className}`, role: 'img' }, [this.svgElement]);
    this.tooltip = new Tooltip(this.element);
    new ResizeObserver(() => this.draw()).observe(this.element);
    this.element.addEventListener('mousemove', (event) => this.hover(event));
    this.element.addEventListener('mouseleave', () => this.tooltip.hide());
  }

  setData(data: LineChartData): void {
    this.data = data;
    this.element.setAttribute('aria-label', `${data.titles.y} against ${data.titles.x}: ${data.series.map((s) => s.label).join(', ')}`);
    this.draw();
  }

  draw(): void {
    const width = this.element.clientWidth;
    const height = this.element.clientHeight;
    const data = this.data;
    if (!data || width === 0 || height === 0) return;
    this.svgElement.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.svgElement.setAttribute('width', String(width));
    this.svgElement.setAttribute('height', String(height));
    this.svgElement.replaceChildren();
    const area = plotArea(width, height);
    const xs = data.series.flatMap((s) => s.points.map((p) => p[0])).concat((data.bands ?? []).flatMap((b) => [b.from, b.to]));
    const ys = data.series.flatMap((s) => s.points.map((p) => p[1]));
    const x = new LinearScale(paddedExtent(xs, 0.02), [area.left, area.left + area.width]);
    const y = new LinearScale(paddedExtent(ys, 0.08), [area.top + area.height, area.top]);
    this.scales = { x, y };
    const bands = svg('g', { class: 'nas-bands' }, this.svgElement);
    (data.bands ?? []).forEach((band, i) => {
      const x0 = Math.max(area.left, x.map(band.from));
      const x1 = Math.min(area.left + area.width, x.map(band.to));
      svg('rect', { class: `nas-phase-band${i % 2 ? ' nas-odd' : ''}`, x: x0, y: area.top, width: Math.max(0, x1 - x0), height: area.height }, bands);
      svgText(band.label, { class: 'nas-phase-label', x: x0 + 4, y: area.top + 12 }, bands);
    });
    drawAxes(svg('g', { class: 'nas-axes' }, this.svgElement), area, x, y, data.titles, data.formatX ?? formatTick, data.formatY ?? formatTick);
    for (const series of data.series) {
      if (series.points.length === 0) continue;
      if (series.line ?? !series.dots) {
        const d = series.points
          .map(([px, py], i) => {
            const sx = x.map(px).toFixed(1);
            const sy = y.map(py).toFixed(1);
            return i === 0 ? `M${sx},${sy}` : series.step ? `H${sx}V${sy}` : `L${sx},${sy}`;
          })
          .join('');
        svg('path', { class: `nas-line nas-series-${series.colour}`, d, 'data-series': series.label }, this.svgElement);
      }
      if (series.dots) this.drawDots(series, series.dots, x, y);
    }
  }

  private drawDots(series: Series, dots: NonNullable<Series['dots']>, x: LinearScale, y: LinearScale): void {
    const group = svg('g', { class: `nas-dots nas-series-${series.colour}`, 'data-series': series.label }, this.svgElement);
    series.points.forEach(([px, py], i) => {
      const cx = x.map(px);
      const cy = y.map(py);
      svg('circle', { class: 'nas-dot', cx: cx.toFixed(1), cy: cy.toFixed(1), r: dots.radius, 'data-x': px, 'data-y': py }, group);
      const label = dots.labels?.[i];
      if (label) svgText(label, { class: 'nas-dot-label', x: (cx + dots.radius + 3).toFixed(1), y: (cy - dots.radius - 2).toFixed(1) }, group);
    });
  }

  private hover(event: MouseEvent): void {
    const data = this.data;
    const scales = this.scales;
    if (!data || !scales) return;
    const box = this.element.getBoundingClientRect();
    const px = event.clientX - box.left;
    const py = event.clientY - box.top;
    let best: { series: Series; point: readonly [number, number]; index: number; d: number } | undefined;
    for (const series of data.series) {
      series.points.forEach((point, index) => {
        const d = Math.hypot(scales.x.map(point[0]) - px, scales.y.map(point[1]) - py);
        if (d < 24 && (!best || d < best.d)) best = { series, point, index, d };
      });
    }
    if (!best) {
      this.tooltip.hide();
      return;
    }
    const { series, point, index } = best;
    const [fx, fy] = [data.formatValueX ?? trim, data.formatValueY ?? trim];
    this.tooltip.show(series.dots?.titles?.[index] ?? series.dots?.labels?.[index] ?? series.label, [[data.titles.x, fx(point[0])], [data.titles.y, fy(point[1])]], event.clientX, event.clientY);
  }
}

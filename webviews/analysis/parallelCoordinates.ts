/**
 * Parallel coordinates: one vertical axis per decision (its options evenly spaced) and per metric
 * (linear, ticks in the metric's unit), one polyline per trial on a canvas, coloured by a metric.
 * Dragging along an axis keeps the trials inside that range (brushing); a click on the axis clears it.
 */
import { niceTicks } from '../chart/scale';
import { cssVar, html, svg, svgText } from '../dom';

export interface Axis {
  readonly title: string;
  /** Position of each trial on the axis, in [0, 1] (NaN: missing, the line breaks there). */
  readonly positions: Float64Array;
  /** Tick labels and their positions in [0, 1]. */
  readonly ticks: readonly (readonly [number, string])[];
}

export interface ParallelData {
  readonly axes: readonly Axis[];
  /** Colour value per trial in [0, 1] (NaN: grey). */
  readonly colour: Float64Array;
}

const margin = { top: 28, bottom: 24, left: 40, right: 40 };

export class ParallelCoordinates {
  readonly element: HTMLDivElement;
  readonly svgElement: SVGSVGElement;
  private readonly canvas: HTMLCanvasElement;
  private data: ParallelData | undefined;
  /** Brushed range per axis, in [0, 1] positions. */
  private readonly brushes = new Map<number, [number, number]>();
  private drag: { axis: number; from: number } | undefined;

  constructor(private readonly brushed: (kept: number) => void) {
    this.canvas = html('canvas', { class: 'nas-points' });
    this.svgElement = svg('svg', { class: 'nas-overlay' });
    this.element = html('div', { class: 'nas-chart nas-parallel', role: 'img' }, [this.canvas, this.svgElement]);
    new ResizeObserver(() => this.paint()).observe(this.element);
    this.element.addEventListener('mousedown', (e) => this.startBrush(e));
    window.addEventListener('mousemove', (e) => this.moveBrush(e));
    window.addEventListener('mouseup', () => (this.drag = undefined));
  }

  setData(data: ParallelData): void {
    this.data = data;
    for (const axis of [...this.brushes.keys()]) if (axis >= data.axes.length) this.brushes.delete(axis);
    this.element.setAttribute('aria-label', `parallel coordinates over ${data.axes.map((a) => a.title).join(', ')}`);
    this.paint();
  }

  /** Whether trial i passes every brush. */
  kept(i: number): boolean {
    const data = this.data;
    if (!data) return false;
    for (const [axis, [lo, hi]] of this.brushes) {
      const p = data.axes[axis].positions[i];
      if (!(p >= lo && p <= hi)) return false;
    }
    return true;
  }

  private geometry(): { width: number; height: number; x: (axis: number) => number; y: (p: number) => number } {
    const width = this.element.clientWidth;
    const height = this.element.clientHeight;
    const n = Math.max(1, (this.data?.axes.length ?? 1) - 1);
    const inner = width - margin.left - margin.right;
    return { width, height, x: (a) => margin.left + (inner * a) / n, y: (p) => margin.top + (1 - p) * (height - margin.top - margin.bottom) };
  }

  paint(): void {
    const data = this.data;
    const { width, height, x, y } = this.geometry();
    if (!data || width === 0 || height === 0) return;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const trials = data.colour.length;
    const low = cssVar(this.element, '--nas-series-1');
    const high = cssVar(this.element, '--nas-series-2');
    const muted = cssVar(this.element, '--nas-point-infeasible');
    let kept = 0;
    context.lineWidth = 1;
    // Dimmed lines first, then the kept ones coloured from low to high on top.
    for (const pass of [false, true]) {
      for (let i = 0; i < trials; i++) {
        const keep = this.kept(i);
        if (keep !== pass) continue;
        if (keep) kept++;
        const c = data.colour[i];
        context.strokeStyle = !keep || Number.isNaN(c) ? muted : c >= 0.5 ? high : low;
        context.globalAlpha = keep ? 0.25 + 0.6 * (Number.isNaN(c) ? 0 : Math.abs(c - 0.5)) : 0.06;
        context.beginPath();
        let drawing = false;
        data.axes.forEach((axis, a) => {
          const p = axis.positions[i];
          if (Number.isNaN(p)) {
            drawing = false;
            return;
          }
          if (drawing) context.lineTo(x(a), y(p));
          else context.moveTo(x(a), y(p));
          drawing = true;
        });
        context.stroke();
      }
    }
    context.globalAlpha = 1;
    this.svgElement.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.svgElement.replaceChildren();
    data.axes.forEach((axis, a) => {
      const group = svg('g', { class: 'nas-axes', 'data-axis': axis.title }, this.svgElement);
      svg('line', { class: 'nas-frame', x1: x(a), x2: x(a), y1: y(0), y2: y(1) }, group);
      svgText(axis.title, { class: 'nas-axis-title', x: x(a), y: 14, 'text-anchor': 'middle' }, group);
      for (const [p, label] of axis.ticks) svgText(label, { class: 'nas-tick', x: x(a) + 4, y: y(p) + 4 }, group);
      const brush = this.brushes.get(a);
      if (brush) svg('rect', { class: 'nas-brush', x: x(a) - 6, y: y(brush[1]), width: 12, height: y(brush[0]) - y(brush[1]) }, group);
    });
    this.element.dataset.lines = String(trials);
    this.element.dataset.axes = String(data.axes.length);
    this.element.dataset.kept = String(kept);
    this.brushed(kept);
  }

  private axisAt(clientX: number): number {
    const data = this.data;
    if (!data) return -1;
    const box = this.element.getBoundingClientRect();
    const { x } = this.geometry();
    let best = -1;
    data.axes.forEach((_, a) => {
      if (Math.abs(x(a) - (clientX - box.left)) < 10 && (best < 0 || Math.abs(x(a) - (clientX - box.left)) < Math.abs(x(best) - (clientX - box.left)))) best = a;
    });
    return best;
  }

  private positionAt(clientY: number): number {
    const box = this.element.getBoundingClientRect();
    const { height } = this.geometry();
    return Math.max(0, Math.min(1, 1 - (clientY - box.top - margin.top) / (height - margin.top - margin.bottom)));
  }

  private startBrush(event: MouseEvent): void {
    const axis = this.axisAt(event.clientX);
    if (axis < 0) return;
    event.preventDefault();
    this.drag = { axis, from: this.positionAt(event.clientY) };
    this.brushes.delete(axis);
    this.paint();
  }

  private moveBrush(event: MouseEvent): void {
    const drag = this.drag;
    if (!drag) return;
    const to = this.positionAt(event.clientY);
    if (Math.abs(to - drag.from) < 0.01) return;
    this.brushes.set(drag.axis, [Math.min(drag.from, to), Math.max(drag.from, to)]);
    this.paint();
  }
}

/** A decision's axis: option i of k at (i + 0.5) / k. */
export function decisionAxis(title: string, choices: readonly string[], genes: ArrayLike<number>): Axis {
  const k = Math.max(1, choices.length);
  return {
    title,
    positions: Float64Array.from({ length: genes.length }, (_, i) => (Number.isInteger(genes[i]) && genes[i] >= 0 && genes[i] < k ? (genes[i] + 0.5) / k : Number.NaN)),
    ticks: choices.map((c, i) => [(i + 0.5) / k, c] as const),
  };
}

/** A metric's axis: its range mapped onto [0, 1], ticks formatted by `tick`. */
export function metricAxis(title: string, values: Float64Array, tick: (value: number, step: number) => string): Axis {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  if (lo === Infinity) return { title, positions: values.map(() => Number.NaN), ticks: [] };
  const span = hi - lo || 1;
  const ticks = niceTicks(lo, hi, 5);
  return {
    title,
    positions: values.map((v) => (Number.isFinite(v) ? (v - lo) / span : Number.NaN)),
    ticks: ticks.values.map((v) => [(v - lo) / span, tick(v, ticks.step)] as const),
  };
}

import { drawAxes, plotArea, type PlotArea } from '../chart/axes';
import { LinearScale, paddedExtent } from '../chart/scale';
import { cssVar, html, svg } from '../dom';
import { SpatialGrid } from './spatialGrid';

/** A visible data window [x0, x1, y0, y1]. */
export type DataWindow = readonly [number, number, number, number];

export interface ConstraintLine {
  readonly axis: 'x' | 'y';
  readonly value: number;
  /** Which side is allowed: `max` keeps values at or below the line. */
  readonly bound: 'min' | 'max';
  readonly label: string;
}

/** Points joined in order by a line: a scaling rule's family (1-based colour slot nas-series-N). */
export interface PointLine {
  readonly label: string;
  readonly colour: number;
  readonly indices: readonly number[];
}

export interface ScatterData {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly feasible: Uint8Array;
  /** Points drawn faint (a scaling study's grid search); 1 = faded. */
  readonly faded?: Uint8Array;
  readonly lines?: readonly PointLine[];
  /** Pareto front indices ordered by x. */
  readonly front: readonly number[];
  readonly titles: { readonly x: string; readonly y: string };
  /** Tick text of each axis, in the metric's unit. */
  readonly ticks: { readonly x: (value: number, step: number) => string; readonly y: (value: number, step: number) => string };
  readonly constraints: readonly ConstraintLine[];
  readonly visible: (i: number) => boolean;
  /** Colour slot (1-based nas-series-N) of each point, drawn instead of the feasible/infeasible colours. */
  readonly series?: Uint8Array;
  /** Lines through the origin (y = slope · x) and a shaded band between two slopes, e.g. y = x ± 10 %. */
  readonly rays?: Rays;
}

export interface Rays {
  readonly lines: readonly { readonly slope: number; readonly label: string }[];
  readonly band?: { readonly low: number; readonly high: number; readonly label: string };
}

type Point = readonly [number, number];

/** The part of a convex polygon where inside(p) >= 0 (one Sutherland–Hodgman step; inside is linear). */
function clipPolygon(polygon: readonly Point[], inside: (p: Point) => number): Point[] {
  const out: Point[] = [];
  polygon.forEach((p, i) => {
    const q = polygon[(i + 1) % polygon.length];
    const a = inside(p);
    const b = inside(q);
    if (a >= 0) out.push(p);
    if ((a >= 0) !== (b >= 0)) {
      const t = a / (a - b);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  });
  return out;
}

/** The region of a data window between y = low · x and y = high · x (positive x), as a polygon in data coordinates. */
export function bandPolygon([x0, x1, y0, y1]: DataWindow, low: number, high: number): Point[] {
  const window: Point[] = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  return clipPolygon(clipPolygon(window, ([x, y]) => y - low * x), ([x, y]) => high * x - y);
}

export interface ScatterCallbacks {
  hover(index: number, clientX: number, clientY: number): void;
  select(index: number): void;
  windowChanged(window: DataWindow | undefined): void;
}

const hitRadiusPx = 6;

/**
 * Latency/accuracy scatter: points on a canvas (devicePixelRatio aware), axes, Pareto
 * staircase and constraint lines as SVG on top; wheel zooms about the pointer, drag pans,
 * double-click resets; hit-testing through a spatial grid.
 */
export class ScatterPlot {
  readonly element: HTMLDivElement;
  readonly svgElement: SVGSVGElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly axes: SVGGElement;
  private readonly constraintLayer: SVGGElement;
  private readonly frontPath: SVGPathElement;
  private readonly lineLayer: SVGGElement;
  private readonly marks: SVGGElement;
  private data: ScatterData | undefined;
  private grid: SpatialGrid | undefined;
  private extent: DataWindow = [0, 1, 0, 1];
  private window: DataWindow | undefined;
  private selected = -1;
  private frame = 0;
  private drag: { x: number; y: number; window: DataWindow; moved: boolean } | undefined;
  private area: PlotArea = plotArea(300, 200);
  /** Points drawn by the last paint, for tests and benchmarks. */
  drawnPoints = 0;

  constructor(private readonly callbacks: ScatterCallbacks) {
    this.canvas = html('canvas', { class: 'nas-points' });
    this.svgElement = svg('svg', { class: 'nas-overlay' });
    this.axes = svg('g', { class: 'nas-axes' }, this.svgElement);
    this.constraintLayer = svg('g', { class: 'nas-constraints' }, this.svgElement);
    this.frontPath = svg('path', { class: 'nas-front-line' }, this.svgElement);
    this.lineLayer = svg('g', { class: 'nas-point-lines' }, this.svgElement);
    this.marks = svg('g', { class: 'nas-marks' }, this.svgElement);
    this.element = html('div', { class: 'nas-chart nas-scatter', tabindex: 0, role: 'img' }, [this.canvas, this.svgElement]);
    new ResizeObserver(() => this.paint()).observe(this.element);
    this.listen();
  }

  setData(data: ScatterData): void {
    this.data = data;
    const [x0, x1] = paddedExtent(data.xs);
    const [y0, y1] = paddedExtent(data.ys);
    this.extent = [x0, x1, y0, y1];
    this.grid = SpatialGrid.build(data.xs, data.ys, this.extent);
    this.element.setAttribute('aria-label', `${data.titles.y} against ${data.titles.x}: ${data.xs.length} points, ${data.front.length} on the Pareto front`);
    this.schedule();
  }

  setWindow(window: DataWindow | undefined): void {
    this.window = window;
    this.schedule();
  }

  setSelected(index: number): void {
    this.selected = index;
    this.schedule();
  }

  get currentWindow(): DataWindow {
    return this.window ?? this.extent;
  }

  /** Paints now; theme changes call this so the next frame has the new colours. */
  paint(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const width = this.element.clientWidth;
    const height = this.element.clientHeight;
    if (width === 0 || height === 0) return;
    this.area = plotArea(width, height);
    this.svgElement.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.svgElement.setAttribute('width', String(width));
    this.svgElement.setAttribute('height', String(height));
    const { x, y } = this.scales();
    drawAxes(this.axes, this.area, x, y, this.data?.titles ?? { x: '', y: '' }, this.data?.ticks.x, this.data?.ticks.y);
    this.paintPoints(width, height, x, y);
    this.paintOverlay(x, y);
  }

  /** Points as SVG circles in a group, for a standalone SVG export (removed again by the caller). */
  pointsGroup(): SVGGElement {
    const group = svg('g', { class: 'nas-export-points' });
    const data = this.data;
    if (!data) return group;
    const { x, y } = this.scales();
    const [x0, x1, y0, y1] = this.currentWindow;
    for (let i = 0; i < data.xs.length; i++) {
      if (!data.visible(i) || !(data.xs[i] >= x0 && data.xs[i] <= x1 && data.ys[i] >= y0 && data.ys[i] <= y1)) continue;
      svg('circle', { class: data.feasible[i] ? 'nas-point' : 'nas-point nas-infeasible', cx: x.map(data.xs[i]).toFixed(1), cy: y.map(data.ys[i]).toFixed(1), r: 2.5 }, group);
    }
    this.marks.before(group);
    return group;
  }

  private scales(): { x: LinearScale; y: LinearScale } {
    const [x0, x1, y0, y1] = this.currentWindow;
    const a = this.area;
    return {
      x: new LinearScale([x0, x1], [a.left, a.left + a.width]),
      y: new LinearScale([y0, y1], [a.top + a.height, a.top]),
    };
  }

  private schedule(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.paint());
  }

  private paintPoints(width: number, height: number, x: LinearScale, y: LinearScale): void {
    const ratio = window.devicePixelRatio || 1;
    const pixelWidth = Math.round(width * ratio);
    const pixelHeight = Math.round(height * ratio);
    if (this.canvas.width !== pixelWidth || this.canvas.height !== pixelHeight) {
      this.canvas.width = pixelWidth;
      this.canvas.height = pixelHeight;
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const data = this.data;
    this.drawnPoints = 0;
    if (!data) return;
    const a = this.area;
    context.save();
    context.beginPath();
    context.rect(a.left, a.top, a.width, a.height);
    context.clip();
    const [x0, x1, y0, y1] = this.currentWindow;
    const shown = (i: number) => data.xs[i] >= x0 && data.xs[i] <= x1 && data.ys[i] >= y0 && data.ys[i] <= y1 && data.visible(i);
    if (data.series) this.paintSeries(context, data.series, shown, x, y);
    // One path per colour and opacity: far fewer fill calls than one per point.
    else for (const faded of data.faded ? [1, 0] : [0]) {
      for (const feasible of [0, 1]) {
        context.beginPath();
        for (let i = 0; i < data.xs.length; i++) {
          const xv = data.xs[i];
          const yv = data.ys[i];
          if (data.feasible[i] !== feasible || (data.faded?.[i] ?? 0) !== faded || !shown(i)) continue;
          const px = x.map(xv);
          const py = y.map(yv);
          context.moveTo(px + 2.5, py);
          context.arc(px, py, 2.5, 0, 2 * Math.PI);
          this.drawnPoints++;
        }
        context.globalAlpha = faded ? 0.2 : feasible ? 0.75 : 0.45;
        context.fillStyle = cssVar(this.element, feasible ? '--nas-point' : '--nas-point-infeasible');
        context.fill();
      }
    }
    context.globalAlpha = 1;
    context.beginPath();
    for (const i of data.front) {
      if (!data.visible(i)) continue;
      const px = x.map(data.xs[i]);
      const py = y.map(data.ys[i]);
      context.moveTo(px + 4, py);
      context.arc(px, py, 4, 0, 2 * Math.PI);
    }
    context.fillStyle = cssVar(this.element, '--nas-front');
    context.fill();
    context.restore();
    this.element.dataset.points = String(this.drawnPoints);
    this.element.dataset.front = String(data.front.length);
    this.element.dataset.faded = String(data.faded?.reduce((n, f) => n + f, 0) ?? 0);
  }

  /** One path per series colour. */
  private paintSeries(context: CanvasRenderingContext2D, series: Uint8Array, shown: (i: number) => boolean, x: LinearScale, y: LinearScale): void {
    for (const slot of new Set(series)) {
      context.beginPath();
      for (let i = 0; i < series.length; i++) {
        if (series[i] !== slot || !shown(i)) continue;
        const px = x.map(this.data!.xs[i]);
        const py = y.map(this.data!.ys[i]);
        context.moveTo(px + 3, py);
        context.arc(px, py, 3, 0, 2 * Math.PI);
        this.drawnPoints++;
      }
      context.globalAlpha = 0.8;
      context.fillStyle = cssVar(this.element, `--nas-series-${slot}`);
      context.fill();
    }
  }

  /** The rays' band and lines, clipped to the visible window. */
  private paintRays(rays: Rays, x: LinearScale, y: LinearScale): void {
    const window = this.currentWindow;
    const [x0, x1, y0, y1] = window;
    const path = (points: readonly Point[]) => points.map(([px, py], k) => `${k === 0 ? 'M' : 'L'}${x.map(px).toFixed(1)},${y.map(py).toFixed(1)}`).join('') + 'Z';
    if (rays.band) {
      const polygon = bandPolygon(window, rays.band.low, rays.band.high);
      if (polygon.length > 2) svg('path', { class: 'nas-ray-band', d: path(polygon), 'data-label': rays.band.label }, this.constraintLayer);
    }
    for (const line of rays.lines) {
      const from = Math.max(x0, y0 / line.slope);
      const to = Math.min(x1, y1 / line.slope);
      if (!(to > from)) continue;
      svg('line', { class: 'nas-ray', 'data-label': line.label, x1: x.map(from), y1: y.map(line.slope * from), x2: x.map(to), y2: y.map(line.slope * to) }, this.constraintLayer);
      const label = svg('text', { class: 'nas-constraint-label', x: x.map(to) - 4, y: y.map(line.slope * to) + 12, 'text-anchor': 'end' }, this.constraintLayer);
      label.textContent = line.label;
    }
  }

  private paintOverlay(x: LinearScale, y: LinearScale): void {
    const data = this.data;
    const a = this.area;
    this.constraintLayer.replaceChildren();
    this.lineLayer.replaceChildren();
    this.marks.replaceChildren();
    if (!data) {
      this.frontPath.removeAttribute('d');
      return;
    }
    if (data.rays) this.paintRays(data.rays, x, y);
    for (const line of data.constraints) {
      const isX = line.axis === 'x';
      const p = isX ? x.map(line.value) : y.map(line.value);
      const inside = isX ? p >= a.left && p <= a.left + a.width : p >= a.top && p <= a.top + a.height;
      if (!inside) continue;
      // Shade the side that violates the constraint.
      const violatesHigh = line.bound === 'max';
      const shade = isX
        ? { x: violatesHigh ? p : a.left, y: a.top, width: violatesHigh ? a.left + a.width - p : p - a.left, height: a.height }
        : { x: a.left, y: violatesHigh ? a.top : p, width: a.width, height: violatesHigh ? p - a.top : a.top + a.height - p };
      svg('rect', { class: 'nas-infeasible-region', ...shade }, this.constraintLayer);
      svg('line', isX ? { class: 'nas-constraint', x1: p, x2: p, y1: a.top, y2: a.top + a.height } : { class: 'nas-constraint', x1: a.left, x2: a.left + a.width, y1: p, y2: p }, this.constraintLayer);
      const label = svg('text', isX ? { class: 'nas-constraint-label', x: p + 4, y: a.top + 12 } : { class: 'nas-constraint-label', x: a.left + 4, y: p - 4 }, this.constraintLayer);
      label.textContent = line.label;
    }
    const visibleFront = data.front.filter((i) => data.visible(i));
    // Staircase through the front: each point holds until the next one improves y.
    const d = visibleFront
      .map((i, k) => {
        const px = x.map(data.xs[i]).toFixed(1);
        const py = y.map(data.ys[i]).toFixed(1);
        return k === 0 ? `M${px},${py}` : `H${px}V${py}`;
      })
      .join('');
    if (d) this.frontPath.setAttribute('d', d);
    else this.frontPath.removeAttribute('d');
    this.paintLines(x, y);
    if (this.selected >= 0 && this.selected < data.xs.length) {
      svg('circle', { class: 'nas-selected', cx: x.map(data.xs[this.selected]), cy: y.map(data.ys[this.selected]), r: 7 }, this.marks);
    }
  }

  /** Each line through its points in order, its points marked in its colour. */
  private paintLines(x: LinearScale, y: LinearScale): void {
    for (const line of this.data?.lines ?? []) {
      const shown = line.indices.filter((i) => this.data!.visible(i) && Number.isFinite(this.data!.xs[i]) && Number.isFinite(this.data!.ys[i]));
      const d = shown.map((i, k) => `${k === 0 ? 'M' : 'L'}${x.map(this.data!.xs[i]).toFixed(1)},${y.map(this.data!.ys[i]).toFixed(1)}`).join('');
      const group = svg('g', { class: `nas-rule nas-series-${line.colour}`, 'data-rule': line.label, 'data-points': shown.length }, this.lineLayer);
      if (d) svg('path', { class: 'nas-line', d }, group);
      for (const i of shown) svg('circle', { class: 'nas-rule-point', cx: x.map(this.data!.xs[i]).toFixed(1), cy: y.map(this.data!.ys[i]).toFixed(1), r: 4 }, group);
    }
  }

  /** Index of the visible point under a client position, or -1. */
  hitTest(clientX: number, clientY: number): number {
    if (!this.grid || !this.data) return -1;
    const box = this.element.getBoundingClientRect();
    const { x, y } = this.scales();
    const dataX = x.invert(clientX - box.left);
    const dataY = y.invert(clientY - box.top);
    const [ex0, ex1, ey0, ey1] = this.extent;
    const [x0, x1, y0, y1] = this.currentWindow;
    const u = (dataX - ex0) / (ex1 - ex0);
    const v = (dataY - ey0) / (ey1 - ey0);
    const ru = ((hitRadiusPx / this.area.width) * (x1 - x0)) / (ex1 - ex0);
    const rv = ((hitRadiusPx / this.area.height) * (y1 - y0)) / (ey1 - ey0);
    const data = this.data;
    return this.grid.nearest(u, v, ru, rv, (i) => data.visible(i));
  }

  private listen(): void {
    const element = this.element;
    element.addEventListener('wheel', (event) => {
      event.preventDefault();
      const box = element.getBoundingClientRect();
      this.zoomAt(Math.exp(event.deltaY * 0.0015), event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });
    element.addEventListener('mousedown', (event) => {
      if (event.button !== 0) return;
      this.drag = { x: event.clientX, y: event.clientY, window: this.currentWindow, moved: false };
    });
    window.addEventListener('mousemove', (event) => {
      const drag = this.drag;
      if (drag) {
        const dx = event.clientX - drag.x;
        const dy = event.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
        if (drag.moved) {
          const [x0, x1, y0, y1] = drag.window;
          const sx = (x1 - x0) / this.area.width;
          const sy = (y1 - y0) / this.area.height;
          this.changeWindow([x0 - dx * sx, x1 - dx * sx, y0 + dy * sy, y1 + dy * sy]);
          this.callbacks.hover(-1, 0, 0);
          return;
        }
      }
      if (event.target instanceof Node && element.contains(event.target)) {
        this.callbacks.hover(this.hitTest(event.clientX, event.clientY), event.clientX, event.clientY);
      }
    });
    window.addEventListener('mouseup', (event) => {
      const drag = this.drag;
      this.drag = undefined;
      if (drag && !drag.moved) this.callbacks.select(this.hitTest(event.clientX, event.clientY));
    });
    element.addEventListener('mouseleave', () => this.callbacks.hover(-1, 0, 0));
    element.addEventListener('dblclick', () => this.changeWindow(undefined));
    element.addEventListener('keydown', (event) => {
      const center = [this.area.left + this.area.width / 2, this.area.top + this.area.height / 2] as const;
      if (event.key === '+' || event.key === '=') this.zoomAt(0.8, ...center);
      else if (event.key === '-') this.zoomAt(1.25, ...center);
      else if (event.key === '0') this.changeWindow(undefined);
    });
  }

  private zoomAt(factor: number, px: number, py: number): void {
    const { x, y } = this.scales();
    const cx = x.invert(px);
    const cy = y.invert(py);
    const [x0, x1, y0, y1] = this.currentWindow;
    this.changeWindow([cx + (x0 - cx) * factor, cx + (x1 - cx) * factor, cy + (y0 - cy) * factor, cy + (y1 - cy) * factor]);
  }

  private changeWindow(window: DataWindow | undefined): void {
    this.window = window;
    this.callbacks.windowChanged(window);
    this.schedule();
  }
}

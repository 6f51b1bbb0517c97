/**
 * Uniform grid over normalized [0, 1]² point coordinates for hit-testing thousands of points:
 * a query visits only the cells the search ellipse overlaps.
 */
export class SpatialGrid {
  private readonly cells: Int32Array;
  private readonly starts: Int32Array;

  private constructor(
    private readonly u: Float64Array,
    private readonly v: Float64Array,
    private readonly size: number,
    starts: Int32Array,
    cells: Int32Array,
  ) {
    this.starts = starts;
    this.cells = cells;
  }

  /** Points at (xs[i], ys[i]) within the box [x0, x1] × [y0, y1]; non-finite points are left out. */
  static build(xs: ArrayLike<number>, ys: ArrayLike<number>, box: readonly [number, number, number, number]): SpatialGrid {
    const [x0, x1, y0, y1] = box;
    const n = xs.length;
    const size = Math.max(1, Math.min(256, Math.ceil(Math.sqrt(n / 4))));
    const u = new Float64Array(n);
    const v = new Float64Array(n);
    const cellOf = new Int32Array(n);
    const counts = new Int32Array(size * size + 1);
    for (let i = 0; i < n; i++) {
      u[i] = (xs[i] - x0) / (x1 - x0 || 1);
      v[i] = (ys[i] - y0) / (y1 - y0 || 1);
      if (!Number.isFinite(u[i]) || !Number.isFinite(v[i])) {
        cellOf[i] = -1;
        continue;
      }
      const cell = SpatialGrid.cellIndex(u[i], size) * size + SpatialGrid.cellIndex(v[i], size);
      cellOf[i] = cell;
      counts[cell + 1]++;
    }
    for (let c = 1; c < counts.length; c++) counts[c] += counts[c - 1];
    const starts = counts.slice();
    const fill = counts.slice();
    const cells = new Int32Array(counts[counts.length - 1]);
    for (let i = 0; i < n; i++) if (cellOf[i] >= 0) cells[fill[cellOf[i]]++] = i;
    return new SpatialGrid(u, v, size, starts, cells);
  }

  private static cellIndex(t: number, size: number): number {
    return Math.min(size - 1, Math.max(0, Math.floor(t * size)));
  }

  /**
   * Nearest point to normalized (u, v) inside the ellipse with normalized radii (ru, rv), by
   * ellipse-scaled distance; `accept` filters points (e.g. hidden ones). -1 when none.
   */
  nearest(u: number, v: number, ru: number, rv: number, accept: (i: number) => boolean = () => true): number {
    const size = this.size;
    const i0 = SpatialGrid.cellIndex(u - ru, size);
    const i1 = SpatialGrid.cellIndex(u + ru, size);
    const j0 = SpatialGrid.cellIndex(v - rv, size);
    const j1 = SpatialGrid.cellIndex(v + rv, size);
    let best = -1;
    let bestDistance = 1;
    for (let i = i0; i <= i1; i++) {
      for (let j = j0; j <= j1; j++) {
        const cell = i * size + j;
        for (let k = this.starts[cell]; k < this.starts[cell + 1]; k++) {
          const p = this.cells[k];
          const du = (this.u[p] - u) / ru;
          const dv = (this.v[p] - v) / rv;
          const d = du * du + dv * dv;
          if (d <= bestDistance && (d < bestDistance || best < 0 || p < best) && accept(p)) {
            best = p;
            bestDistance = d;
          }
        }
      }
    }
    return best;
  }
}

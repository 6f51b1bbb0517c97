/**
 * Pareto tools over objective vectors oriented so that larger is better in every coordinate
 * (the orientation `observe()` produces). Pure functions; points are never modified.
 */

export type Point = readonly number[];

/** `a` is at least as good as `b` everywhere and strictly better somewhere. */
export function dominates(a: Point, b: Point): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return false;
    if (a[i] > b[i]) strictly = true;
  }
  return strictly;
}

function lexicographicDescending(points: readonly Point[]): (i: number, j: number) => number {
  return (i, j) => {
    const a = points[i];
    const b = points[j];
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return b[k] - a[k];
    return i - j;
  };
}

/**
 * Indices (into `points`) of the non-dominated points among `subset` (default: all), in
 * lexicographically descending order. A dominating point is lexicographically larger, so after
 * sorting each point only needs to be compared with the front found so far: O(n log n + n·front).
 */
export function paretoFront(points: readonly Point[], subset?: readonly number[]): number[] {
  const order = (subset ?? points.map((_, i) => i)).slice().sort(lexicographicDescending(points));
  const front: number[] = [];
  for (const i of order) {
    if (!front.some((f) => dominates(points[f], points[i]))) front.push(i);
  }
  return front;
}

/** Fast non-dominated sorting (Deb et al. 2002): fronts of indices, best front first. */
export function nonDominatedSort(points: readonly Point[]): number[][] {
  const fronts: number[][] = [];
  let remaining = points.map((_, i) => i);
  while (remaining.length > 0) {
    const front = paretoFront(points, remaining);
    fronts.push(front);
    const taken = new Set(front);
    remaining = remaining.filter((i) => !taken.has(i));
  }
  return fronts;
}

/**
 * NSGA-II crowding distance of each point of one front: the sum over objectives of the
 * normalized gap between its two neighbours; the extremes of every objective get Infinity.
 */
export function crowdingDistance(front: readonly Point[]): number[] {
  const n = front.length;
  const distance = new Array<number>(n).fill(0);
  if (n <= 2) return distance.fill(Infinity);
  const dims = front[0].length;
  for (let m = 0; m < dims; m++) {
    const order = front.map((_, i) => i).sort((i, j) => front[i][m] - front[j][m] || i - j);
    const low = front[order[0]][m];
    const high = front[order[n - 1]][m];
    distance[order[0]] = Infinity;
    distance[order[n - 1]] = Infinity;
    const range = high - low;
    if (!(range > 0) || !Number.isFinite(range)) continue;
    for (let k = 1; k < n - 1; k++) distance[order[k]] += (front[order[k + 1]][m] - front[order[k - 1]][m]) / range;
  }
  return distance;
}

/**
 * Volume of the region dominated by `points` and bounded below by `reference` (maximization).
 * Points not strictly better than the reference in every objective add nothing. Exact in any
 * dimension: a sweep in 2-D, and slicing along the last objective above that (HSO).
 */
export function hypervolume(points: readonly Point[], reference: Point): number {
  const inside = points.filter((p) => p.every((v, i) => v > reference[i]));
  return sliceVolume(inside, reference);
}

function sliceVolume(points: readonly Point[], reference: Point): number {
  if (points.length === 0) return 0;
  const d = reference.length;
  if (d === 1) return Math.max(...points.map((p) => p[0])) - reference[0];
  if (d === 2) {
    const sorted = points.slice().sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    let area = 0;
    let covered = reference[1];
    for (const [x, y] of sorted) {
      if (y > covered) {
        area += (x - reference[0]) * (y - covered);
        covered = y;
      }
    }
    return area;
  }
  const last = d - 1;
  const sorted = points.slice().sort((a, b) => b[last] - a[last]);
  const projected = sorted.map((p) => p.slice(0, last));
  const lowerReference = reference.slice(0, last);
  let volume = 0;
  for (let i = 0; i < sorted.length; i++) {
    const nextLevel = i + 1 < sorted.length ? sorted[i + 1][last] : reference[last];
    const thickness = sorted[i][last] - nextLevel;
    if (thickness > 0) volume += thickness * sliceVolume(paretoSubset(projected.slice(0, i + 1)), lowerReference);
  }
  return volume;
}

/** Drops dominated points before recursing: same volume, fewer boxes. */
function paretoSubset(points: readonly Point[]): Point[] {
  return paretoFront(points).map((i) => points[i]);
}

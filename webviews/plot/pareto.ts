export type Goal = 'minimize' | 'maximize';

/**
 * Indices of the non-dominated points for two objectives, ordered by x. A point is dominated
 * when another is at least as good on both and strictly better on one; exact duplicates of a
 * front point are all kept. Points with a non-finite coordinate are ignored. O(n log n).
 */
export function paretoFront(xs: ArrayLike<number>, ys: ArrayLike<number>, xGoal: Goal, yGoal: Goal): number[] {
  const sx = xGoal === 'minimize' ? 1 : -1;
  const sy = yGoal === 'maximize' ? 1 : -1;
  const order: number[] = [];
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) order.push(i);
  // Best x first; among equal x, best y first, so a later point with the same x never dominates.
  order.sort((a, b) => sx * (xs[a] - xs[b]) || sy * (ys[b] - ys[a]));
  const front: number[] = [];
  let bestY = -Infinity;
  let lastX = NaN;
  let lastY = NaN;
  for (const i of order) {
    const y = sy * ys[i];
    if (y > bestY) {
      front.push(i);
      bestY = y;
      lastX = xs[i];
      lastY = ys[i];
    } else if (xs[i] === lastX && ys[i] === lastY) {
      front.push(i);
    }
  }
  return front;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../server/core/rng';
import { paretoFront, type Goal } from '../../../webviews/plot/pareto';

/** O(n²) definition: i is on the front when no j is at least as good on both and better on one. */
function bruteForce(xs: number[], ys: number[], xGoal: Goal, yGoal: Goal): number[] {
  const better = (a: number, b: number, goal: Goal) => (goal === 'minimize' ? a < b : a > b);
  const atLeast = (a: number, b: number, goal: Goal) => a === b || better(a, b, goal);
  return xs
    .map((_, i) => i)
    .filter((i) => !xs.some((_, j) => atLeast(xs[j], xs[i], xGoal) && atLeast(ys[j], ys[i], yGoal) && (better(xs[j], xs[i], xGoal) || better(ys[j], ys[i], yGoal))));
}

test('matches the definition on random clouds with ties, for every goal combination', () => {
  const rng = new Rng(3);
  for (const xGoal of ['minimize', 'maximize'] as const) {
    for (const yGoal of ['minimize', 'maximize'] as const) {
      for (let round = 0; round < 20; round++) {
        const n = 1 + rng.int(300);
        // Coarse values so that ties and exact duplicates happen.
        const xs = Array.from({ length: n }, () => rng.int(40));
        const ys = Array.from({ length: n }, () => rng.int(40));
        assert.deepEqual(paretoFront(xs, ys, xGoal, yGoal).sort((a, b) => a - b), bruteForce(xs, ys, xGoal, yGoal));
      }
    }
  }
});

test('orders the front by x and ignores non-finite points', () => {
  const xs = [3, 1, 2, NaN, 0.5];
  const ys = [90, 70, 80, 99, Infinity];
  assert.deepEqual(paretoFront(xs, ys, 'minimize', 'maximize'), [1, 2, 0]);
});

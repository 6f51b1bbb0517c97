import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crowdingDistance, dominates, hypervolume, nonDominatedSort, paretoFront } from '../../server/core/pareto';
import { Rng } from '../../server/core/rng';

// Maximize both. Hand-checked fronts:
//   F0: a(1,5) b(3,4) c(4,2) d(5,1)   nothing is >= them in both coordinates
//   F1: e(1,4) f(2,3) g(3,2)          dominated only by F0 points (a dominates e, b dominates f and g)
//   F2: i(2,2)                        dominated by f and g
//   F3: h(1,1)                        dominated by i
const points = [
  [1, 5], [3, 4], [4, 2], [5, 1], // a b c d
  [1, 4], [2, 3], [3, 2], // e f g
  [2, 2], // i
  [1, 1], // h
];

test('dominates is strict in at least one objective', () => {
  assert.equal(dominates([2, 2], [2, 1]), true);
  assert.equal(dominates([2, 2], [2, 2]), false);
  assert.equal(dominates([3, 1], [1, 3]), false);
});

test('non-dominated sorting on a hand-checked set', () => {
  const fronts = nonDominatedSort(points).map((f) => f.slice().sort((a, b) => a - b));
  assert.deepEqual(fronts, [[0, 1, 2, 3], [4, 5, 6], [7], [8]]);
  assert.deepEqual(paretoFront(points).sort(), [0, 1, 2, 3]);
});

test('equal points share a front', () => {
  assert.deepEqual(nonDominatedSort([[1, 1], [1, 1], [0, 2]]).map((f) => f.sort()), [[0, 1, 2]]);
});

test('crowding distance on a hand-checked front', () => {
  // Front a(1,5) b(3,4) c(4,2) d(5,1); ranges: x 4, y 4.
  // b: x-neighbours a,c -> (4-1)/4 = 0.75; y-neighbours c(2),a(5) -> (5-2)/4 = 0.75; total 1.5
  // c: x-neighbours b,d -> (5-3)/4 = 0.5;  y-neighbours d(1),b(4) -> (4-1)/4 = 0.75; total 1.25
  const d = crowdingDistance([[1, 5], [3, 4], [4, 2], [5, 1]]);
  assert.equal(d[0], Infinity);
  assert.equal(d[3], Infinity);
  assert.ok(Math.abs(d[1] - 1.5) < 1e-12);
  assert.ok(Math.abs(d[2] - 1.25) < 1e-12);
  assert.deepEqual(crowdingDistance([[1, 2], [2, 1]]), [Infinity, Infinity]);
});

test('2-D hypervolume by hand', () => {
  // Reference (0,0): union of [0,1]x[0,5], [0,3]x[0,4], [0,4]x[0,2], [0,5]x[0,1]
  // = 1*5 + (3-1)*4 + (4-3)*2 + (5-4)*1 = 5 + 8 + 2 + 1 = 16
  assert.equal(hypervolume(points.slice(0, 4), [0, 0]), 16);
  // Dominated points add nothing; points not beyond the reference are ignored.
  assert.equal(hypervolume(points, [0, 0]), 16);
  assert.equal(hypervolume([[5, 0], [0, 5]], [0, 0]), 0);
  assert.equal(hypervolume([], [0, 0]), 0);
});

test('3-D hypervolume by inclusion-exclusion', () => {
  // Boxes from the origin to (2,1,1) and (1,2,1): 2 + 2 - 1 = 3; add (1,1,2): + 2 - 1 - 1 + 1 = 4
  assert.equal(hypervolume([[2, 1, 1], [1, 2, 1]], [0, 0, 0]), 3);
  assert.equal(hypervolume([[2, 1, 1], [1, 2, 1], [1, 1, 2]], [0, 0, 0]), 4);
});

/** Independent check: count the unit cells of an integer grid dominated by some point. */
function gridVolume(pts: number[][], size: number, dims: number): number {
  let count = 0;
  const cell = new Array(dims).fill(0);
  const total = size ** dims;
  for (let c = 0; c < total; c++) {
    for (let k = 0, rest = c; k < dims; k++, rest = Math.floor(rest / size)) cell[k] = rest % size;
    // the cell [cell, cell+1] is covered when some point reaches its upper corner
    if (pts.some((p) => p.every((v, k) => v >= cell[k] + 1))) count++;
  }
  return count;
}

test('hypervolume matches a grid count for random integer fronts in 2 to 4 dimensions', () => {
  const rng = new Rng(11);
  for (const dims of [2, 3, 4]) {
    for (let trial = 0; trial < 15; trial++) {
      const pts = Array.from({ length: 2 + rng.int(7) }, () => Array.from({ length: dims }, () => rng.int(7)));
      assert.equal(hypervolume(pts, new Array(dims).fill(0)), gridVolume(pts, 7, dims), `dims ${dims}: ${JSON.stringify(pts)}`);
    }
  }
});

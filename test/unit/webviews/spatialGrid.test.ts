import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../server/core/rng';
import { SpatialGrid } from '../../../webviews/plot/spatialGrid';

test('nearest agrees with a linear scan over 10,000 points', () => {
  const rng = new Rng(11);
  const n = 10_000;
  const xs = Array.from({ length: n }, () => 5 + 20 * rng.next());
  const ys = Array.from({ length: n }, () => 60 + 15 * rng.normal() * 0.3);
  const box = [5, 25, 50, 80] as const;
  const grid = SpatialGrid.build(xs, ys, box);
  const u = (x: number) => (x - box[0]) / (box[1] - box[0]);
  const v = (y: number) => (y - box[2]) / (box[3] - box[2]);
  for (let q = 0; q < 500; q++) {
    const qu = rng.next();
    const qv = rng.next();
    const ru = 0.002 + 0.02 * rng.next();
    const rv = 0.002 + 0.02 * rng.next();
    let expected = -1;
    let best = 1;
    for (let i = 0; i < n; i++) {
      const d = ((u(xs[i]) - qu) / ru) ** 2 + ((v(ys[i]) - qv) / rv) ** 2;
      if (d < best || (d === best && expected >= 0 && i < expected) || (d <= best && expected < 0)) {
        expected = i;
        best = d;
      }
    }
    assert.equal(grid.nearest(qu, qv, ru, rv), expected);
  }
});

test('accept() filters candidates, and far queries find nothing', () => {
  const grid = SpatialGrid.build([0, 1], [0, 1], [0, 1, 0, 1]);
  assert.equal(grid.nearest(0.01, 0.01, 0.05, 0.05), 0);
  assert.equal(grid.nearest(0.01, 0.01, 0.05, 0.05, (i) => i !== 0), -1);
  assert.equal(grid.nearest(0.5, 0.5, 0.05, 0.05), -1);
});

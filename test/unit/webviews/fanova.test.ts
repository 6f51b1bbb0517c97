import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../server/core/rng';
import { FanovaTree, fitTree, importances } from '../../../webviews/analysis/fanova';

test('a tree that splits on one feature: its marginal variance over that feature is all of its variance', () => {
  // value 0 when x0 < 0.5 (option 0), 3 otherwise (options 1 and 2), whatever x1.
  const root = { splitColumn: 0, splitValue: 0.5, left: { distribution: 0 }, right: { distribution: 3 } };
  const tree = new FanovaTree(root, [0, 1], [
    [-0.5, 2.5],
    [-0.5, 1.5],
  ]);
  // Leaves weigh 1/3 and 2/3 of the space: mean 2, variance (1/3)(4) + (2/3)(1) = 2.
  assert.ok(Math.abs(tree.variance - 2) < 1e-12);
  assert.ok(Math.abs(tree.marginalVariance([0]) - 2) < 1e-12);
  assert.equal(tree.marginalVariance([1]), 0);
});

test('two additive features: each marginal variance is its own share (independent computation)', () => {
  // f(x0, x1) = a(x0) + b(x1) over 2 x 2 options; a = [0, 2], b = [0, 1]: Var a = 1, Var b = 0.25.
  const leaf = (v: number) => ({ distribution: v });
  const root = { splitColumn: 1, splitValue: 0.5, left: { splitColumn: 0, splitValue: 0.5, left: leaf(0), right: leaf(2) }, right: { splitColumn: 0, splitValue: 0.5, left: leaf(1), right: leaf(3) } };
  // The tree's columns are permuted: its column 0 is feature 1.
  const tree = new FanovaTree(root, [1, 0], [
    [-0.5, 1.5],
    [-0.5, 1.5],
  ]);
  assert.ok(Math.abs(tree.variance - 1.25) < 1e-12);
  assert.ok(Math.abs(tree.marginalVariance([1]) - 1) < 1e-12, `feature 1 (the tree's column 0, values 0/2): ${tree.marginalVariance([1])}`);
  assert.ok(Math.abs(tree.marginalVariance([0]) - 0.25) < 1e-12);
  assert.ok(Math.abs(tree.marginalVariance([0, 1]) - 1.25) < 1e-12);
});

test('a forest on a synthetic search where only one decision matters gives it nearly all the importance', () => {
  const rng = new Rng(5);
  const counts = [5, 5, 5, 5, 5, 5];
  const effect = [0, 6, 2, 9, 4];
  const rows = Array.from({ length: 150 }, () => counts.map((k) => rng.int(k)));
  const values = rows.map((g) => effect[g[3]] + 0.1 * rng.normal());
  const trees = Array.from({ length: 16 }, (_, i) => fitTree(rows, values, counts, { trees: 16, maxDepth: 64, seed: 1 }, i));
  const result = importances(trees, counts.length);
  assert.ok(Math.abs(result.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  assert.ok(result[3] > 0.9, `decision 3 gets ${result[3]}`);
  for (const [d, v] of result.entries()) if (d !== 3) assert.ok(v < 0.05, `decision ${d} gets ${v}`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';
import { IncrementalRidge } from '../../server/predictors/ridge';
import { predictWith, primalRidge } from './support/primalRidge';

const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.max(1, Math.abs(expected));

test('incremental ridge predicts like the from-scratch normal-equation solution', () => {
  const rng = new Rng(21);
  for (const [n, d] of [[12, 5], [5, 12], [40, 30]]) {
    const x: number[][] = Array.from({ length: n }, () => Array.from({ length: d }, () => (rng.next() < 0.3 ? 1 : 0)));
    const y = x.map((row) => row.reduce((s, v, k) => s + v * (k - d / 2), 0) + rng.normal());
    const model = new IncrementalRidge(d, 0.7);
    x.forEach((row, i) => model.add(row, y[i]));
    const reference = primalRidge(x, y, 0.7);
    for (let t = 0; t < 10; t++) {
      const probe = Array.from({ length: d }, () => rng.next());
      assert.ok(relativeError(model.predict(probe), predictWith(reference, probe)) < 1e-12, `n=${n} d=${d}`);
    }
  }
});

test('after thousands of additions and removals the model still matches a fit from scratch to 1e-9', () => {
  // A sliding training set like the strategy's best fraction: samples join and leave in any order.
  const rng = new Rng(4);
  const d = 40;
  const lambda = 1;
  const model = new IncrementalRidge(d, lambda);
  const inside: { x: number[]; y: number }[] = [];
  let worst = 0;
  for (let step = 0; step < 6000; step++) {
    if (inside.length > 3 && rng.next() < 0.45) {
      const [gone] = inside.splice(rng.int(inside.length), 1);
      model.remove(gone.x, gone.y);
    } else {
      // Sparse binary features (like one-hot and path encodings) plus one real-valued feature.
      const x: number[] = Array.from({ length: d }, (_, k) => (k === 0 ? rng.normal() : rng.next() < 0.15 ? 1 : 0));
      const y = 70 + 10 * rng.normal() + x.reduce((s, v, k) => s + v * Math.sin(k), 0);
      inside.push({ x, y });
      model.add(x, y);
    }
    if (step % 500 === 499) {
      const reference = primalRidge(inside.map((s) => s.x), inside.map((s) => s.y), lambda);
      for (let t = 0; t < 20; t++) {
        const probe = Array.from({ length: d }, () => (rng.next() < 0.2 ? 1 : 0));
        worst = Math.max(worst, relativeError(model.predict(probe), predictWith(reference, probe)));
      }
    }
  }
  assert.equal(model.size, inside.length);
  assert.ok(worst < 1e-9, `largest relative error ${worst}`);
});

test('a feature absent from every remaining sample weighs exactly zero, so candidates differing only there tie exactly', () => {
  const model = new IncrementalRidge(3, 1);
  model.add([1, 0, 1], 5);
  model.add([1, 1, 0], 9);
  model.add([0, 1, 1], 2);
  model.remove([1, 1, 0], 9); // feature 1 is now only in [0, 1, 1]
  model.remove([0, 1, 1], 2); // ... and now in no sample
  assert.equal(model.predict([1, 0, 1]), model.predict([1, 1, 1]));
  // One sample left: b = 5, w = (XᵀX + I)⁻¹ Xᵀ(y - b) = 0.
  assert.equal(model.predict([1, 0, 1]), 5);
});

test('an empty model predicts 0; bad arguments are refused with the reason', () => {
  const model = new IncrementalRidge(2, 1);
  assert.equal(model.predict([3, 4]), 0);
  model.add([1, 0], 2);
  model.remove([1, 0], 2);
  assert.equal(model.size, 0);
  assert.equal(model.predict([3, 4]), 0);
  assert.throws(() => model.remove([1, 0], 2), /empty training set/);
  assert.throws(() => model.add([1, 0, 0], 1), /expected 2 features, got 3/);
  assert.throws(() => model.add([1, 0], NaN), /target must be finite/);
  assert.throws(() => new IncrementalRidge(2, 0), /lambda must be a positive number/);
  assert.throws(() => new IncrementalRidge(2, Infinity), /lambda must be a positive number/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';

test('same seed gives the same stream; different seeds differ', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const sa = Array.from({ length: 20 }, () => a.nextUint32());
  const sb = Array.from({ length: 20 }, () => b.nextUint32());
  const sc = Array.from({ length: 20 }, () => c.nextUint32());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
});

test('int is uniform enough over 100k draws (chi-square, 9 dof)', () => {
  const rng = new Rng(7);
  const counts = new Array(10).fill(0);
  const n = 100_000;
  for (let i = 0; i < n; i++) counts[rng.int(10)]++;
  const expected = n / 10;
  const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
  assert.ok(chi2 < 27.88, `chi2=${chi2} exceeds the 0.999 quantile`); // chi2(9) 99.9% = 27.88
});

test('state save/restore continues the identical stream', () => {
  const rng = new Rng('resume');
  rng.next();
  const state = rng.getState();
  const expected = [rng.next(), rng.next(), rng.next()];
  const other = new Rng(0);
  other.setState(state);
  assert.deepEqual([other.next(), other.next(), other.next()], expected);
});

test('sampleIndices returns distinct indices in range', () => {
  const rng = new Rng(1);
  const picks = rng.sampleIndices(10, 7);
  assert.equal(new Set(picks).size, 7);
  assert.ok(picks.every((i) => i >= 0 && i < 10));
});

test('normal has mean ~0 and variance ~1', () => {
  const rng = new Rng(3);
  const n = 50_000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = rng.normal();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(s2 / n - mean * mean - 1) < 0.03);
});

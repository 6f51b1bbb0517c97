import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { latencyClock, timeInterleaved } from '../../../server/ofa/lutMeasurement';
import { LATENCY_QUANTILE, quantile, robustLatency } from '../../../server/ofa/robustLatency';
import { initBackend } from '../../../server/runtime/backend';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

test('quantile interpolates between order statistics as numpy.quantile does', () => {
  // numpy.quantile([5, 1, 9, 3, 7, 2, 8], 0.1) = 1.6; numpy.quantile([4, 1, 3, 2], 0.1) = 1.3
  assert.ok(close(quantile([5, 1, 9, 3, 7, 2, 8], 0.1), 1.6));
  assert.ok(close(quantile([4, 1, 3, 2], 0.1), 1.3));
  assert.equal(quantile([4, 1, 3, 2], 0), 1);
  assert.equal(quantile([4, 1, 3, 2], 1), 4);
  assert.equal(quantile([7], LATENCY_QUANTILE), 7);
  assert.throws(() => quantile([], 0.5), /no values/);
  assert.throws(() => quantile([1], 1.5), /\[0, 1\]/);
});

test('the latency statistic stays at the fast end when other jobs slow some runs down; a median does not', () => {
  // 20 runs of a 10 ms layer, 9 of them stretched by a busy machine.
  const times = [10, 10.1, 10.2, 10.1, 10.3, 10, 10.2, 10.1, 10.4, 10.2, 11, 25, 40, 31, 22, 28, 35, 19, 44, 30];
  assert.ok(robustLatency(times) >= 10 && robustLatency(times) <= 10.1);
  assert.ok(quantile(times, 0.5) > 10.5);
});

test('interleaved timing runs each forward once per round, in order, after the warm-up rounds', async () => {
  await initBackend('wasm');
  assert.equal(latencyClock('wasm'), 'cpu');
  assert.equal(latencyClock('cpu'), 'cpu');
  assert.equal(latencyClock('tensorflow'), 'wall');
  const calls: string[] = [];
  const forward = (name: string) => () => {
    calls.push(name);
    return tf.zeros([2]);
  };
  const times = timeInterleaved([forward('a'), forward('b'), forward('c')], 2, 3);
  assert.deepEqual(calls, ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c']);
  assert.deepEqual(times.map((t) => t.length), [3, 3, 3]);
  assert.ok(times.flat().every((t) => t >= 0 && Number.isFinite(t)));
});

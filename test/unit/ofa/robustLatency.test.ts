import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { latencyClock, timeInterleaved } from '../../../server/runtime/forwardTiming';
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

test('interleaved timing: a thread\'s first timing warms up for half a second, then each forward runs once per round (after its settling runs), in order, after the warm-up rounds', async () => {
  await initBackend('wasm');
  assert.equal(latencyClock('wasm'), 'cpu');
  assert.equal(latencyClock('cpu'), 'cpu');
  assert.equal(latencyClock('tensorflow'), 'wall');
  const calls: string[] = [];
  const forward = (name: string) => () => {
    calls.push(name);
    return tf.zeros([2]);
  };
  const started = performance.now();
  timeInterleaved([forward('w')], 0, 1);
  assert.ok(performance.now() - started >= 500, 'the first timing in this thread warmed up');
  assert.ok(calls.length > 2, `${calls.length} calls`);
  calls.length = 0;
  const times = timeInterleaved([forward('a'), forward('b'), forward('c')], 2, 3);
  assert.deepEqual(calls, ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c']);
  assert.deepEqual(times.map((t) => t.length), [3, 3, 3]);
  assert.ok(times.flat().every((t) => t >= 0 && Number.isFinite(t)));
  calls.length = 0;
  timeInterleaved([forward('a'), forward('b')], 0, 2, 1);
  assert.deepEqual(calls, ['a', 'a', 'b', 'b', 'a', 'a', 'b', 'b']);
});

test("a CPU-clock sample never exceeds the call's wall time: another thread of the process busy meanwhile is not counted", async () => {
  await initBackend('wasm');
  const { Worker } = await import('node:worker_threads');
  // A sibling thread spins for as long as the timing runs: process CPU time would count it too.
  const sibling = new Worker('const end = Date.now() + 3000; while (Date.now() < end);', { eval: true });
  try {
    const walls: number[] = [];
    const forward = () => {
      const start = performance.now();
      const end = start + 20;
      while (performance.now() < end);
      walls.push(performance.now() - start);
      return tf.zeros([2]);
    };
    const [times] = timeInterleaved([forward], 1, 5);
    walls.shift(); // the warm-up call
    // Both threads on the CPU for 20 ms would be ~40 ms of process CPU time.
    times.forEach((t, i) => assert.ok(t >= walls[i] * 0.5 && t <= walls[i] * 1.25 + 2, `sample ${t.toFixed(1)} ms for a ${walls[i].toFixed(1)} ms call`));
  } finally {
    await sibling.terminate();
  }
});

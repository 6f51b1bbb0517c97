import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrialRecord } from '../../../contract/runs';
import { bestSoFar } from '../../../webviews/progress/bestSoFar';

function trial(n: number, acc: number, feasible = true, durationMs = 500): TrialRecord {
  return { trial: n, key: String(n), genome: [], arch: { space: 'nb201' }, metrics: { acc }, feasible, cached: false, durationMs };
}

test('steps at each feasible improvement and extends to the last evaluation', () => {
  // Out of order on purpose: trial order, not arrival order, defines the curve.
  const trials = [trial(2, 70), trial(0, 60), trial(1, 80, false), trial(3, 65), trial(4, 72)];
  assert.deepEqual(bestSoFar(trials, 'acc', 'maximize', 'evaluations'), [[1, 60], [3, 70], [5, 72]]);
  assert.deepEqual(bestSoFar(trials, 'acc', 'minimize', 'evaluations'), [[1, 60], [5, 60]]);
  assert.deepEqual(bestSoFar(trials, 'acc', 'maximize', 'time'), [[0.5, 60], [1.5, 70], [2.5, 72]]);
  assert.deepEqual(bestSoFar([trial(0, 50, false)], 'acc', 'maximize', 'evaluations'), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../server/core/rng';
import type { TrialRecord } from '../../../contract/runs';
import { hypervolume, hypervolumeHistory } from '../../../webviews/progress/hypervolume';

test('two objectives: the area of the staircase', () => {
  // Points (3,1), (2,2), (1,3) over reference (0,0): 3 + 2 + 1 = 6 unit squares.
  assert.equal(hypervolume([[3, 1], [2, 2], [1, 3]], [0, 0]), 6);
  assert.equal(hypervolume([[3, 1], [2, 2], [1, 3], [1, 1]], [0, 0]), 6, 'a dominated point adds nothing');
  assert.equal(hypervolume([], [0, 0]), 0);
});

test('three objectives: equal to counting unit cells on a grid (independent computation)', () => {
  const rng = new Rng(3);
  const points = Array.from({ length: 12 }, () => [1 + rng.int(8), 1 + rng.int(8), 1 + rng.int(8)]);
  let cells = 0;
  for (let x = 0; x < 9; x++) for (let y = 0; y < 9; y++) for (let z = 0; z < 9; z++) if (points.some(([a, b, c]) => a > x && b > y && c > z)) cells++;
  assert.equal(hypervolume(points, [0, 0, 0]), cells);
});

test('the history grows where the front improves and ends at the last evaluation', () => {
  const trial = (n: number, accuracy: number, latency: number, feasible = true): TrialRecord => ({ trial: n, key: String(n), genome: [n], arch: { space: 'x' }, metrics: { accuracy, latency }, feasible, cached: false, durationMs: 1000 });
  const objectives = [{ metric: 'accuracy', goal: 'maximize' as const }, { metric: 'latency', goal: 'minimize' as const }];
  const trials = [trial(0, 2, 3), trial(1, 1, 4), trial(2, 3, 2), trial(3, 9, 1, false), trial(4, 1, 1)];
  // Reference (0, -5): accuracy above 0, latency below 5.
  assert.deepEqual(hypervolumeHistory(trials, objectives, [0, -5], 'evaluations'), [
    [1, 2 * 2],
    [3, 3 * 3],
    [5, 3 * 3 + 1 * 1],
  ]);
  assert.deepEqual(hypervolumeHistory(trials, objectives, [0, -5], 'time').map(([x]) => x), [1, 3, 5]);
});

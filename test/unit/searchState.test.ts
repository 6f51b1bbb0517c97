import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySearchRecord, initialSearchState, paretoOrder, TOP_TRIALS } from '../../server/experiment/searchState';
import type { ExperimentSpec } from '../../server/experiment/spec';
import { Nb201Space } from '../../server/spaces/nb201/nb201Space';

const objectives = [
  { metric: 'acc', goal: 'maximize' as const },
  { metric: 'lat', goal: 'minimize' as const },
];

const spec = (objs = objectives): ExperimentSpec => ({
  name: 's',
  space: { type: 'nb201' },
  evaluator: { type: 'tabular' },
  strategy: { type: 'random' },
  objectives: objs,
  constraints: [],
  report: [],
  budget: { trials: 100 },
  seed: 0,
});

function record(trial: number, acc: number, lat: number, extra: Record<string, unknown> = {}) {
  return { type: 'trial_finished', at: 't', elapsedMs: trial, trial, key: `k${trial}`, genome: [0, 0, 0, 0, 0, 0], arch: { space: 'nb201' }, metrics: { acc, lat }, feasible: true, cached: false, durationMs: 1, ...extra };
}

const TRIALS = [
  record(0, 0.9, 10), // front
  record(1, 0.8, 12), // dominated by 0
  record(2, 0.95, 20), // front
  record(3, 0.7, 5), // front
  record(4, 0.99, 1, { feasible: false }), // would dominate all, but infeasible
  record(5, 0.9, 10, { cached: true }), // same architecture as 0 again
  record(6, 0.95, 25), // dominated by 2
  record(7, 0.95, 20, { error: 'worker died', metrics: {} }), // failed
];

test('Pareto front by hand: dominated, infeasible, repeated and failed trials are left out; best first', () => {
  const state = initialSearchState(new Nb201Space());
  for (const r of TRIALS) applySearchRecord(state, r, spec(), undefined);
  assert.deepEqual(paretoOrder(state, objectives), [2, 0, 3]);
  assert.equal(state.best?.trial, 2, 'the feasible trial with the best first objective, the earliest on ties');
  assert.equal(state.trials.size, 8);
});

test('single objective: no front; the top trials are the best first evaluations, earliest first on ties', () => {
  const state = initialSearchState(new Nb201Space());
  for (const r of TRIALS) applySearchRecord(state, r, spec(objectives.slice(0, 1)), undefined);
  assert.deepEqual(state.front, []);
  assert.deepEqual(state.top.map((t) => t.trial), [2, 6, 0, 1, 3]);
  for (let i = 8; i < 40; i++) applySearchRecord(state, record(i, i / 100, 1), spec(objectives.slice(0, 1)), undefined);
  assert.equal(state.top.length, TOP_TRIALS);
  assert.deepEqual(state.top.slice(0, 3).map((t) => t.trial), [2, 6, 0]);
});

test('a trial journaled twice counts once (the first record)', () => {
  const state = initialSearchState(new Nb201Space());
  applySearchRecord(state, record(0, 0.5, 1), spec(), undefined);
  applySearchRecord(state, record(0, 0.99, 1), spec(), undefined);
  assert.equal(state.trials.size, 1);
  assert.equal(state.best?.metrics.acc, 0.5);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SearchRunSummary, TrialRecord } from '../../../contract/runs';
import { defaultPlotAxes } from '../../../contract/plotAxes';
import { searchSummary } from '../extension/summaries';

function summary(overrides: Partial<SearchRunSummary>): SearchRunSummary {
  return searchSummary({ trials: 1, budget: 1, strategy: 'random', ...overrides });
}

const trials: TrialRecord[] = [
  { trial: 0, key: 'k', genome: [0], arch: { space: 'layers' }, metrics: { val_accuracy: 0.9, flops: 1e5, params: 5e4, latency_ms: 0.1 }, feasible: true, cached: false, durationMs: 1 },
];

test('y is the first objective; x the second objective when there is one', () => {
  const two = summary({ objectives: [{ metric: 'val_accuracy', goal: 'maximize' }, { metric: 'params', goal: 'minimize' }] });
  assert.deepEqual(defaultPlotAxes(two, trials), { x: 'params', y: 'val_accuracy' });
});

test('x is the cost metric a constraint names, before one only reported', () => {
  assert.deepEqual(defaultPlotAxes(summary({ constraints: [{ metric: 'params', max: 6e4 }], report: ['latency_ms'] }), trials), { x: 'params', y: 'val_accuracy' });
  assert.deepEqual(defaultPlotAxes(summary({ report: ['test_accuracy', 'flops'] }), trials), { x: 'flops', y: 'val_accuracy' });
});

test('without a spec hint x is the most latency-like metric the trials carry', () => {
  assert.deepEqual(defaultPlotAxes(summary({}), trials), { x: 'latency_ms', y: 'val_accuracy' });
  assert.deepEqual(defaultPlotAxes(summary({ constraints: [{ metric: 'val_accuracy', min: 0.5 }] }), trials), { x: 'latency_ms', y: 'val_accuracy' });
});

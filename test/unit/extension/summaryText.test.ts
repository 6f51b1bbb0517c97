import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLabels } from '../../../extension/summaryText';

test('overlay legends name the run and its strategy; runs that would read the same add their id', () => {
  const runs = [
    { id: 'mnist-20260101-000000', name: 'mnist', strategy: 'random-search' },
    { id: 'mnist-20260102-000000', name: 'mnist', strategy: 'regularized-evolution' },
    { id: 'mnist-20260103-000000', name: 'mnist', strategy: 'regularized-evolution' },
    { id: 'old', name: 'old', strategy: '' },
  ];
  assert.deepEqual(runLabels(runs), [
    'mnist · random-search',
    'mnist · regularized-evolution · mnist-20260102-000000',
    'mnist · regularized-evolution · mnist-20260103-000000',
    'old',
  ]);
});

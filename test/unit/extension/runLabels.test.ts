import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLabels } from '../../../contract/runText';
import { searchSummary, supernetSummary } from './summaries';

test('overlay legends name the run and, for a search, its strategy; runs that would read the same add their id', () => {
  const runs = [
    searchSummary({ id: 'mnist-20260101-000000', name: 'mnist', strategy: 'random-search' }),
    searchSummary({ id: 'mnist-20260102-000000', name: 'mnist', strategy: 'regularized-evolution' }),
    searchSummary({ id: 'mnist-20260103-000000', name: 'mnist', strategy: 'regularized-evolution' }),
    searchSummary({ id: 'old', name: 'old', strategy: '' }),
    supernetSummary({ id: 'digits-1', name: 'digits' }),
  ];
  assert.deepEqual(runLabels(runs), [
    'mnist · random-search',
    'mnist · regularized-evolution · mnist-20260102-000000',
    'mnist · regularized-evolution · mnist-20260103-000000',
    'old',
    'digits',
  ]);
});

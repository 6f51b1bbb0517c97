// Issue 14: compound scaling studies and AdaNet ensembles in the explorer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endMessage, runChildren, runRow } from '../../../extension/runs/runRows';
import { ensembleSummary, scalingSummary } from './summaries';

const rows = (nodes: ReturnType<typeof runChildren>) => nodes.map((n) => [n.label, n.description]);

test('a finished scaling study: its row names the chosen coefficients and the largest compound member; below it the base, the grid, a row per rule and the networks', () => {
  const s = scalingSummary();
  const row = runRow(s);
  assert.equal(row.description, 'finished · 8/8 networks · d 1.2 · w 1.1 · r 1.15 · φ=2 88.91%');
  assert.equal(row.contextValue, 'run scaling finished runnable');
  const children = runChildren(s);
  assert.deepEqual(rows(children), [
    ['Status', 'finished, 8/8 trials'],
    ['Base', '28px conv3x3-32 · 85.12%'],
    ['Grid search', 'chose d 1.2 · w 1.1 · r 1.15 of 4 points'],
    ['Compound', 'φ=1 87.34% at 150 k FLOPs · φ=2 88.91% at 310 k FLOPs'],
    ['Depth only', 'φ=1 86.01% at 148 k FLOPs · φ=2 86.55% at 305 k FLOPs'],
    ['Networks (8)', undefined],
  ]);
  assert.deepEqual(children[0].command?.arguments, ['grow-1'], 'the status row opens the plot');
  assert.equal(endMessage(s), 'NAS Studio: grow finished after 8/8 trials. Compound scaling: d 1.2 · w 1.1 · r 1.15 · φ=2 88.91%.');
});

test('a scaling study before its grid search chose: no coefficients yet', () => {
  const s = scalingSummary({ coefficients: undefined, status: 'running', trials: 2, lines: [] });
  assert.equal(runRow(s).description, 'running · 2/8 networks');
  assert.deepEqual(rows(runChildren(s)).slice(1), [['Base', '28px conv3x3-32'], ['Grid search', '4 points'], ['Networks (2)', undefined]]);
});

test('an AdaNet run: the ensemble row opens its graph; a row per member with its mixture weight, per iteration with its decision', () => {
  const s = ensembleSummary({ status: 'interrupted' });
  assert.equal(runRow(s).description, 'interrupted · iteration 2/3 · 2 members · 51.95%');
  const children = runChildren(s);
  assert.deepEqual(rows(children), [
    ['Status', 'interrupted, 2/3 iterations'],
    ['Ensemble', '2 members · 51.95% · 20.58 k params'],
    ['Member 1: linear', 'w 0.785 · alone 40.63%'],
    ['Member 2: fc16', 'w 0.781 · alone 36.33%'],
    ['Iteration 1: added #0', 'F 1.7200 · held-out 1.8100 · 40.63%'],
    ['Iteration 2: added #3', 'F 1.5500 · held-out 1.6759 · 51.95%'],
    ['Candidates', undefined],
  ]);
  assert.deepEqual(children[1].command, { command: 'nasStudio.openArchGraph', title: 'Open Ensemble Graph', arguments: ['/ws/.nas-studio/experiments/run/exports/ensemble.arch.json'] });
  assert.deepEqual(children[3].command?.arguments, [{ experiment: 'ens-1', trial: 3 }]);
  assert.match(children[5].tooltip as string, /#2 linear: F 1\.6000, held-out 1\.7000 {2}\n#3 fc16: F 1\.5500, held-out 1\.6759/);
});

test('an AdaNet run whose previous ensemble won: growth stopped', () => {
  const base = ensembleSummary();
  const kept = { ...base.iterations[1], iteration: 2, chosen: undefined };
  const s = ensembleSummary({ iterations: [...base.iterations, kept], converged: true, progress: { done: 3, total: 3, unit: 'iterations' } });
  assert.equal(runRow(s).description, 'finished · iteration 3/3 (converged) · 2 members · 51.95%');
  assert.deepEqual(rows(runChildren(s))[6], ['Iteration 3: previous ensemble kept', 'F 1.5500 · held-out 1.6759 · 51.95%']);
  assert.match(endMessage(s), /Ensemble: 2 members · 51\.95%\.$/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrialPage } from '../../../contract/protocol';
import type { TrialItem } from '../../../contract/runs';
import type { EngineRequest, ItemNode } from '../../../extension/runs/explorerNodes';
import { endMessage, runAction, runChildren, runRow } from '../../../extension/runs/runRows';
import { TRIAL_PAGE } from '../../../extension/runs/searchPresenter';
import { accuracyInfo, millisecondsInfo } from '../../../contract/metricInfo';
import { quantizationSummary, searchSummary, specializationSummary, supernetSummary, unreadableSummary } from './summaries';

const rows = (nodes: readonly ItemNode[]) => nodes.map((n) => [n.label, n.description]);

function trial(n: number, accuracy: number): TrialItem {
  return { trial: n, key: `k${n}`, genome: [n], arch: { space: 'layers' }, metrics: { val_accuracy: accuracy }, feasible: true, cached: false, durationMs: 5, description: `fc${16 * (n + 1)}` };
}

test('a finished search: its row, menus, and below it the status that opens its plot, the best trial, the trials', () => {
  const best = { trial: 3, arch: { space: 'layers' }, description: 'fc64', metrics: { val_accuracy: 0.98123 } };
  const s = searchSummary({ best });
  const row = runRow(s);
  assert.equal(row.label, 'mnist');
  assert.equal(row.description, 'finished · 20/20 · best 98.12%');
  assert.equal(row.icon, 'pass');
  assert.equal(row.contextValue, 'run search finished runnable', 'a finished search starts its spec again');
  assert.deepEqual(row.tooltip, ['**mnist** (mnist-1), architecture search', 'Status: finished, 20/20 trials', 'Best: fc64 (Validation accuracy 98.12%)', 'Folder: `/ws/.nas-studio/experiments/run`']);
  const children = runChildren(s);
  assert.deepEqual(rows(children), [['Status', 'finished, 20/20 trials'], ['Best: fc64', 'Validation accuracy 98.12%'], ['Trials table', 'sort, filter, export CSV'], ['Trials (20)', undefined]]);
  assert.deepEqual(children[0].command?.arguments, ['mnist-1']);
  assert.equal(children[0].command?.command, 'nasStudio.openResults');
  assert.deepEqual([children[1].contextValue, children[1].trial, children[1].command?.arguments], ['best', 3, [{ experiment: 'mnist-1', trial: 3 }]]);
  assert.equal(children[2].command?.command, 'nasStudio.openTrialsTable');
  assert.equal(children[3].key, 'trials/20', 'the list is fetched again as trials finish');
});

test("expanding a search's trials asks the engine for the first page; the rest is one row that opens the table", async () => {
  const s = searchSummary({ trials: 250, budget: 300, status: 'running' });
  const asked: unknown[] = [];
  const request = (async (_type: unknown, params: { offset: number; limit: number }) => {
    asked.push(params);
    const page: TrialPage = { total: 250, offset: 0, items: Array.from({ length: params.limit }, (_, i) => trial(i, 0.5 + i / 1000)) };
    return page;
  }) as unknown as EngineRequest;
  const trials = runChildren(s).find((n) => n.label.startsWith('Trials ('));
  assert.ok(trials?.expand);
  const listed = await trials.expand(request);
  assert.deepEqual(asked, [{ id: 'mnist-1', offset: 0, limit: TRIAL_PAGE }]);
  assert.equal(listed.length, TRIAL_PAGE + 1);
  assert.deepEqual([listed[1].label, listed[1].description, listed[1].contextValue, listed[1].trial], ['#1  50.10%', 'fc32 · 5 ms', 'trial', 1]);
  assert.deepEqual([listed.at(-1)?.label, listed.at(-1)?.command?.command], ['… 50 more trials (open the table)', 'nasStudio.openTrialsTable']);
});

test('a supernet training: its accuracies, speed and phase; finished, it offers Export Supernet Sub-network', () => {
  const s = supernetSummary({ training: { epoch: 2, epochs: 2, phase: 'kernel', accuracy: 0.98123, smallestAccuracy: 0.9644, imagesPerSecond: 812.4, backend: 'wasm', test: { largest: { accuracy: 0.975, loss: 0.1 }, smallest: { accuracy: 0.95, loss: 0.2 } } } });
  const row = runRow(s);
  assert.equal(row.description, 'finished · epoch 2/2 · largest 98.12% · smallest 96.44%');
  assert.equal(row.icon, 'layers');
  assert.equal(row.contextValue, 'run supernet finished runnable exportable');
  assert.deepEqual(rows(runChildren(s)), [
    ['Status', 'finished, 2/2 epochs'],
    ['Phase', 'kernel (epoch 2/2)'],
    ['Largest sub-network', 'validation 98.12% · test 97.50%'],
    ['Smallest sub-network', 'validation 96.44% · test 95.00%'],
    ['Speed', '812 images/s on wasm'],
  ]);
  // While it trains, or before its first epoch, there is no checkpoint to export from.
  assert.equal(runRow(supernetSummary({ status: 'running' })).contextValue, 'run supernet running');
  assert.equal(runRow(supernetSummary({ status: 'stopped', training: { epoch: 0, epochs: 2, phase: 'full' } })).contextValue, 'run supernet stopped runnable');
});

test('a specialization: one row per limit with a short encoding (all of it in the tooltip); a click opens its graph; Export Sub-network on each', () => {
  const s = specializationSummary();
  const row = runRow(s);
  assert.equal(row.description, 'finished · 2/2 limits · best 79.10% at 29.51 ms');
  assert.equal(row.contextValue, 'run specialization finished', 'made from a request, it has no spec to start again');
  const children = runChildren(s);
  assert.deepEqual(rows(children), [
    ['Status', 'finished, 2/2 limits'],
    ['≤ 20 ms: 78.12 %', '19.87 ms · 245 MFLOPs · r160 d22232'],
    ['≤ 30 ms: 79.10 %', '29.51 ms · 403 MFLOPs · r192 d33443'],
  ]);
  assert.equal(children[0].command, undefined, 'no results view to open');
  assert.deepEqual([children[1].contextValue, children[1].limit, children[1].icon], ['subnet', 20, 'star-full']);
  assert.match(children[1].tooltip ?? '', /`r160 d22232 k35\|53\|357\|35\|53 e34\|43\|346\|34\|43`/);
  assert.match(children[1].tooltip ?? '', /predicted accuracy 78\.12 %, latency 19\.874 ms, 245\.2 MFLOPs, 4\.81 M params  \n★ on the sweep's Pareto set/);
  // The request's second limit is the run's trial 2: its row opens that graph.
  assert.deepEqual(children[2].command, { command: 'nasStudio.openTrialGraph', title: 'Open Sub-network Graph', arguments: [{ experiment: 'note10-1', trial: 2 }] });
  // Cut off half-way, it resumes with the remaining limits.
  const stopped = specializationSummary({ status: 'stopped', subnets: s.subnets.slice(0, 1) });
  assert.equal(runRow(stopped).contextValue, 'run specialization stopped runnable');
  assert.equal(runAction(stopped), 'resume');
});

test('a sweep whose larger limit found nothing better: no star on it, and it says which limit it repeats', () => {
  const [at20, at30] = specializationSummary().subnets;
  const at40 = { ...at30, limit: 40 };
  const s = specializationSummary({ request: { ...specializationSummary().request, limits: [20, 30, 40] }, subnets: [at20, at30, at40] });
  const children = runChildren(s).slice(1);
  assert.deepEqual(children.map((c) => [c.label, c.icon]), [
    ['≤ 20 ms: 78.12 %', 'star-full'],
    ['≤ 30 ms: 79.10 %', 'star-full'],
    ['≤ 40 ms: 79.10 % (same as ≤ 30 ms)', 'circle-outline'],
  ]);
  assert.match(children[2].tooltip ?? '', /not on the sweep's Pareto set: same as ≤ 30 ms/);
  // One limit is not a sweep: nothing to star.
  assert.equal(runChildren(specializationSummary({ subnets: [at20] }))[1].icon, 'circle-outline');
});

test('a quantization: the budget, float model, uniform baselines and best policy below it; resumable when stopped', () => {
  const s = quantizationSummary();
  const row = runRow(s);
  assert.equal(row.description, 'finished · 6/6 episodes · best 87.00% at 2.5 kB (float 86.50%)');
  const children = runChildren(s);
  assert.deepEqual(rows(children), [
    ['Status', 'finished, 6/6 episodes'],
    ['Budget', 'size:w4a8 (2.644 kB) · linear'],
    ['Float model', 'held-out 86.50%'],
    ['Uniform W4A8', '86.00% at 2.644 kB'],
    ['Best policy (episode 5)', '87.00% at 2.5 kB'],
  ]);
  assert.equal(children.at(-1)!.tooltip, 'c1 W8A8, c2 W3A6, d1 W5A4, d2 W8A8');
  const stopped = quantizationSummary({ status: 'stopped', episodes: 3, progress: { done: 3, total: 6, unit: 'episodes' } });
  assert.equal(runAction(stopped), 'resume');
});

test('a damaged run says why and how to repair it, and offers no Run or Resume', () => {
  const s = searchSummary({ status: 'damaged', trials: 7, damage: ['journal line 9: not a journal record', 'journal line 12: trial 3 twice'] });
  const row = runRow(s);
  assert.equal(row.contextValue, 'run search damaged');
  assert.equal(runAction(s), undefined);
  assert.ok(row.tooltip.includes('Damaged: journal line 9: not a journal record; journal line 12: trial 3 twice. `nas-studio repair mnist-1 --yes` rewrites a clean journal.'), row.tooltip.join('\n'));
  const damage = runChildren(s).find((n) => n.label === 'Damaged');
  assert.deepEqual([damage?.description, damage?.icon], ['journal line 9: not a journal record (+1 more)', 'error']);
  assert.match(damage?.tooltip ?? '', /nas-studio repair mnist-1/);
});

test('a folder that cannot be read at all: damaged, with the reason, and nothing of a kind below it', () => {
  const s = unreadableSummary();
  const row = runRow(s);
  assert.equal(row.description, 'damaged · unreadable · spec.json is missing');
  assert.equal(row.contextValue, 'run unreadable damaged');
  assert.deepEqual(row.tooltip, ['**broken** (broken)', 'Status: damaged, unreadable', 'Damaged: spec.json is missing. NAS Studio cannot read this folder.', 'Folder: `/ws/.nas-studio/experiments/run`']);
  assert.deepEqual(rows(runChildren(s)), [['Status', 'damaged'], ['Damaged', 'spec.json is missing']]);
});

test('the message at the end of a run names what it found, for each kind', () => {
  const best = { trial: 3, arch: { space: 'layers' }, description: 'fc64', metrics: { val_accuracy: 0.98123 } };
  assert.equal(endMessage(searchSummary({ best })), 'NAS Studio: mnist finished after 20/20 trials. Best: fc64 (Validation accuracy 98.12%).');
  assert.equal(endMessage(supernetSummary()), 'NAS Studio: digits finished after 2/2 epochs. Validation accuracy: largest 98.12% · smallest 96.44%.');
  assert.equal(endMessage(specializationSummary()), 'NAS Studio: note10 finished after 2/2 limits. ≤ 20 ms: 78.12 %, ≤ 30 ms: 79.10 %.');
  assert.equal(endMessage(searchSummary({ status: 'failed', trials: 2, error: '3 trials failed in a row' })), 'NAS Studio: mnist failed after 2/20 trials. 3 trials failed in a row');
});

test('a two-objective search shows its Pareto front, not one best: in its row, its tooltip and a Pareto front row listing the members', async () => {
  const s = searchSummary({
    objectives: [
      { metric: 'val_accuracy', goal: 'maximize' },
      { metric: 'latency_ms', goal: 'minimize' },
    ],
    pareto: [4, 9],
    best: { trial: 4, arch: { space: 'layers' }, description: 'fc64', metrics: { val_accuracy: 0.98, latency_ms: 3 } },
    metricInfo: { val_accuracy: accuracyInfo('Validation accuracy', 'fraction'), latency_ms: millisecondsInfo('Latency') },
  });
  assert.equal(runRow(s).description, 'finished · 20/20 · front: 2 architectures');
  assert.match(endMessage(s), /Pareto front: 2 architectures\.$/);
  const front = runChildren(s).find((n) => n.label === 'Pareto front');
  assert.ok(front?.expand, 'no single "Best" row, a front row');
  assert.equal(runChildren(s).some((n) => n.label.startsWith('Best')), false);
  const members = { 4: { ...trial(4, 0.98), metrics: { val_accuracy: 0.98, latency_ms: 3 } }, 9: { ...trial(9, 0.9), metrics: { val_accuracy: 0.9, latency_ms: 1.25 } } };
  const request = (async (_type: unknown, params: { trial: 4 | 9 }) => members[params.trial]) as unknown as EngineRequest;
  assert.deepEqual(rows(await front.expand(request)), [
    ['#4  98.00% · 3.00 ms', 'fc80 · 5 ms'],
    ['#9  90.00% · 1.25 ms', 'fc160 · 5 ms'],
  ]);
});

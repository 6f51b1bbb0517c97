import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archToGraph } from '../../../server/graphs/archToGraph';
import type { TrialRecord } from '../../../contract/runs';
import { checkHostMessage, checkWebviewMessage, maxPageItems, parseHostMessage, parseWebviewMessage } from '../../../contract/webviewMessages';
import { toPages } from '../../../webviews/paging';
import { ensembleSummary, scalingSummary, searchSummary, specializationSummary, supernetSummary, unreadableSummary } from '../extension/summaries';

const trial: TrialRecord = {
  trial: 4,
  key: 'abc',
  genome: [0, 1],
  arch: { space: 'nb201', arch: '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|' },
  metrics: { acc: 91.2, lat: 3 },
  feasible: true,
  cached: false,
  durationMs: 12,
};
const summary = searchSummary({
  id: 'e',
  name: 'n',
  status: 'running',
  trials: 1,
  budget: 10,
  objectives: [{ metric: 'acc', goal: 'maximize' }],
  constraints: [{ metric: 'lat', max: 5 }],
  report: ['test_acc'],
  strategy: 'random',
});

test('every host message kind round-trips through JSON and validates', () => {
  const graph = archToGraph(trial.arch);
  const messages = [
    { type: 'init', view: 'graph', title: 't', graph, supernet: archToGraph(trial.arch, { supernet: true }), experiment: 'e', trial: 4 },
    { type: 'init', view: 'plot', experiment: summary, x: 'lat', y: 'acc', constraints: [{ metric: 'lat', max: 5 }] },
    { type: 'init', view: 'progress', runs: [{ experiment: summary, label: 'random' }] },
    { type: 'showGraph', title: 't', graph },
    { type: 'trials', experiment: 'e', page: 0, pages: 1, items: [trial] },
    { type: 'trialAdded', experiment: 'e', trial },
    { type: 'trialAdded', experiment: 'e', trial: { ...trial, curve: [{ epoch: 1, loss: 2.3, accuracy: 0.2 }, { epoch: 2, loss: 1.1, accuracy: 0.6, valAccuracy: 0.58 }] } },
    { type: 'trialCurve', experiment: 'e', trial: 4, points: [{ epoch: 1, loss: 2.3, accuracy: 0.2 }] },
    { type: 'summary', summary },
    { type: 'training', experiment: 'e', page: 0, pages: 1, items: [{ phase: 'full', epoch: 1, loss: 2 }] },
    { type: 'error', message: 'engine stopped' },
  ];
  for (const message of messages) {
    const copy = JSON.parse(JSON.stringify(message));
    assert.deepEqual(parseHostMessage(copy), copy, message.type);
  }
});

test('webview messages validate, with file names restricted to plain names', () => {
  for (const message of [
    { type: 'ready', view: 'plot' },
    { type: 'openTrial', experiment: 'e', trial: 3 },
    { type: 'exportImage', view: 'graph', format: 'png', fileName: 'Trial 3.png', data: 'iVBOR' },
    { type: 'error', message: 'x' },
  ]) {
    assert.deepEqual(parseWebviewMessage(message), message);
  }
  const traversal = checkWebviewMessage({ type: 'exportImage', view: 'graph', format: 'svg', fileName: '../../.bashrc.svg', data: '' });
  assert.equal(traversal.ok, false);
  assert.equal(parseWebviewMessage({ type: 'ready', view: 'terminal' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'openTrial', experiment: 'e', trial: 1.5 }), undefined);
});

test('rejections name the path and what was expected', () => {
  const result = checkHostMessage({ type: 'trials', experiment: 'e', page: 0, pages: 1, items: [{ ...trial, genome: [0, 'x'] }] });
  assert.deepEqual(result, { ok: false, error: 'items[0].genome[1]: expected a number, got "x"' });
  const third = checkHostMessage({ type: 'trials', experiment: 'e', page: 0, pages: 1, items: [trial, trial, { ...trial, metrics: { acc: 1, lat: 'slow' } }] });
  assert.deepEqual(third, { ok: false, error: 'items[2].metrics.lat: expected a number, got "slow"' });
  const row = checkHostMessage({ type: 'trials', experiment: 'e', page: 0, pages: 1, items: [{ ...trial, genome: undefined, arch: undefined }, { ...trial, feasible: 'yes' }] });
  assert.deepEqual(row, { ok: false, error: 'items[1].feasible: expected true or false, got "yes"' });
  const added = checkHostMessage({ type: 'trialAdded', experiment: 'e', trial: { ...trial, genome: undefined } });
  assert.deepEqual(added, { ok: false, error: 'trial.genome: expected an array, got undefined' });
  const tooBig = checkHostMessage({ type: 'trials', experiment: 'e', page: 0, pages: 1, items: new Array(maxPageItems + 1).fill(trial) });
  assert.equal(tooBig.ok, false);
  const badCurve = checkHostMessage({ type: 'trialCurve', experiment: 'e', trial: 4, points: [{ epoch: 1.5, loss: 2, accuracy: 0.2 }] });
  assert.deepEqual(badCurve, { ok: false, error: 'points[0].epoch: expected a non-negative integer, got 1.5' });
  assert.equal(checkHostMessage({ type: 'trialAdded', experiment: 'e', trial: { ...trial, curve: [{ epoch: 1, loss: 'x', accuracy: 0.2 }] } }).ok, false);
  const duplicate = checkHostMessage({ type: 'showGraph', title: 't', graph: { ...archToGraph(trial.arch), nodes: [...archToGraph(trial.arch).nodes, archToGraph(trial.arch).nodes[0]] } });
  assert.match(duplicate.ok ? '' : duplicate.error, /graph\.nodes: expected unique node ids/);
});

test('trial pages may carry rows without genome and architecture', () => {
  const { genome: _genome, arch: _arch, ...row } = trial;
  assert.equal(checkHostMessage({ type: 'trials', experiment: 'e', page: 0, pages: 1, items: [row, trial] }).ok, true);
});

test('paging splits into bounded pages that rebuild the list', () => {
  const items = Array.from({ length: 4501 }, (_, i) => i);
  const pages = toPages(items, 2000);
  assert.deepEqual(pages.map((p) => [p.page, p.pages, p.items.length]), [[0, 3, 2000], [1, 3, 2000], [2, 3, 501]]);
  assert.deepEqual(pages.flatMap((p) => p.items), items);
  assert.deepEqual(toPages([]), [{ page: 0, pages: 1, items: [] }]);
  assert.throws(() => toPages(items, maxPageItems + 1), RangeError);
});

test('summaries of every run status validate, including interrupted runs the engine resumes and damaged ones', () => {
  for (const status of ['pending', 'running', 'stopping', 'stopped', 'interrupted', 'finished', 'failed', 'damaged']) {
    assert.equal(checkHostMessage({ type: 'summary', summary: { ...summary, status } }).ok, true, status);
  }
  assert.equal(checkHostMessage({ type: 'summary', summary: { ...summary, constraints: [{ metric: 1 }] } }).ok, false);
});

test('summaries of every kind of run validate; views that need a search or a supernet refuse other kinds', () => {
  for (const run of [summary, supernetSummary(), specializationSummary(), scalingSummary(), ensembleSummary(), unreadableSummary()]) {
    assert.equal(checkHostMessage({ type: 'summary', summary: run }).ok, true, run.kind);
  }
  const plotOfSupernet = checkHostMessage({ type: 'init', view: 'plot', experiment: supernetSummary(), x: 'lat', y: 'acc', constraints: [] });
  assert.deepEqual(plotOfSupernet, { ok: false, error: 'experiment.kind: expected one of search, scaling, got "supernet"' });
  assert.equal(checkHostMessage({ type: 'init', view: 'plot', experiment: scalingSummary(), x: 'flops', y: 'val_accuracy', constraints: [] }).ok, true, 'a scaling study is plotted');
  assert.equal(checkHostMessage({ type: 'init', view: 'progress', runs: [{ experiment: scalingSummary(), label: 'x' }] }).ok, false);
  assert.equal(checkHostMessage({ type: 'init', view: 'progress', runs: [{ experiment: ensembleSummary(), label: 'ens' }] }).ok, true, 'an ensemble shows its objective per iteration');
  const progressOfSpecialization = checkHostMessage({ type: 'init', view: 'progress', runs: [{ experiment: specializationSummary(), label: 'x' }] });
  assert.equal(progressOfSpecialization.ok, false);
  assert.equal(checkHostMessage({ type: 'init', view: 'progress', runs: [{ experiment: supernetSummary(), label: 'digits' }] }).ok, true);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../server/core/rng';
import { trialPage, type SearchView } from '../../server/experiment/searchQueries';
import { applySearchRecord, initialSearchState, loadSearchState, saveSearchState } from '../../server/experiment/searchState';
import type { ExperimentSpec } from '../../server/experiment/spec';
import { RecordError } from '../../server/runs/runKind';
import { RunService } from '../../server/runs/runService';
import { readStateCache, writeStateCache } from '../../server/runs/stateCache';
import { Nb201Space } from '../../server/spaces/nb201/nb201Space';
import type { RunLocation } from '../../server/store/runStore';

const space = new Nb201Space();
const spec = {
  name: 'curves',
  space: { type: 'nb201' },
  evaluator: { type: 'tabular', table: '/nowhere.csv' },
  strategy: { type: 'random' },
  objectives: [{ metric: 'acc', goal: 'maximize' as const }],
  constraints: [],
  report: [],
  budget: { trials: 10 },
  seed: 0,
} satisfies ExperimentSpec;

const epoch = (trial: number, e: number, loss: number, accuracy: number, extra: Record<string, unknown> = {}) => ({ type: 'trial_epoch', trial, epoch: e, loss, accuracy, ...extra });

function finished(trial: number, rng: Rng) {
  const genome = space.sample(rng);
  return { type: 'trial_finished', at: 't', elapsedMs: trial, trial, key: space.key(genome), genome, arch: space.toArch(genome), metrics: { acc: 0.5 }, feasible: true, cached: false, durationMs: 1 };
}

const line = (r: object) => JSON.stringify(r) + '\n';

test('epoch records fold into the trial\'s curve; a restart from epoch 1 replaces the interrupted attempt; a finished curve is final', () => {
  const state = initialSearchState(space);
  const rng = new Rng(3);
  const fold = (r: { type: string } & Record<string, unknown>) => applySearchRecord(state, r, spec, undefined);
  fold(epoch(0, 1, 2.0, 0.3));
  fold(epoch(0, 2, 1.5, 0.5));
  // The engine was killed during epoch 3; on resume the trial trains again from scratch.
  fold(epoch(0, 1, 2.1, 0.31));
  assert.deepEqual(state.curves.get(0), [{ epoch: 1, loss: 2.1, accuracy: 0.31 }]);
  fold(epoch(0, 2, 1.4, 0.52));
  fold(epoch(0, 3, 1.2, 0.6, { valAccuracy: 0.58 }));
  fold(finished(0, rng));
  fold(epoch(0, 1, 9, 0.1)); // a stray record after the trial finished changes nothing
  assert.deepEqual(state.curves.get(0), [
    { epoch: 1, loss: 2.1, accuracy: 0.31 },
    { epoch: 2, loss: 1.4, accuracy: 0.52 },
    { epoch: 3, loss: 1.2, accuracy: 0.6, valAccuracy: 0.58 },
  ]);
  assert.equal(state.trials.size, 1, 'epoch records are no trials');
  const again = loadSearchState(JSON.parse(JSON.stringify(saveSearchState(state))), space);
  assert.deepEqual([...again.curves], [...state.curves], 'the state cache keeps the curves');
});

test('bad epoch records are damage with a reason; states saved before curves existed load with none', () => {
  const state = initialSearchState(space);
  assert.throws(() => applySearchRecord(state, epoch(10, 1, 1, 0.5), spec, undefined), (e) => e instanceof RecordError && /outside this run's budget of 10/.test(e.message));
  assert.throws(() => applySearchRecord(state, epoch(1, 0, 1, 0.5), spec, undefined), /without an epoch number/);
  assert.throws(() => applySearchRecord(state, { type: 'trial_epoch', trial: 1, epoch: 1, loss: 'x', accuracy: 0.5 }, spec, undefined), /lacks its loss or accuracy/);
  assert.throws(() => applySearchRecord(state, epoch(1, 1, 1, 0.5, { valAccuracy: null }), spec, undefined), /validation accuracy is not a number/);
  const old = saveSearchState(initialSearchState(space)) as Record<string, unknown>;
  delete old.curves;
  assert.equal(loadSearchState(old, space).curves.size, 0);
});

function newRun(): { service: RunService; location: Extract<RunLocation, { layout: 'folder' }> } {
  const service = new RunService(mkdtempSync(join(tmpdir(), 'nas-curves-')));
  const folder = service.store.create({ kind: 'search', name: 'curves', createdAt: '2026-12-06T00:00:00.000Z', source: '', baseDir: '/' }, spec);
  return { service, location: { layout: 'folder', id: folder.id, folder } };
}

test('after a kill -9 (a torn last line), replaying the journal keeps every journaled curve, with or without the state cache', () => {
  const { service, location } = newRun();
  const rng = new Rng(5);
  const journal = location.folder.journal;
  writeFileSync(journal, [epoch(0, 1, 2, 0.2), epoch(0, 2, 1, 0.6, { valAccuracy: 0.55 }), finished(0, rng), epoch(1, 1, 1.8, 0.3)].map(line).join(''));
  service.reader.read(location);
  writeStateCache(location.folder, service.reader.stateCache(location)!);
  assert.ok(readStateCache(location.folder));
  // Killed while appending trial 1's second epoch: half a line at the end.
  appendFileSync(journal, line(epoch(1, 2, 1.2, 0.5)).slice(0, 25));
  for (const cached of [true, false]) {
    if (!cached) rmSync(location.folder.stateCache);
    const run = new RunService(service.root).read(location);
    assert.ok(run.readable);
    const view = run.view as SearchView;
    assert.deepEqual(view.state.curves.get(1), [{ epoch: 1, loss: 1.8, accuracy: 0.3 }], 'the torn epoch is not there; the journaled one is');
    const page = trialPage(view, 0, 10);
    assert.deepEqual(page.items[0].curve, [{ epoch: 1, loss: 2, accuracy: 0.2 }, { epoch: 2, loss: 1, accuracy: 0.6, valAccuracy: 0.55 }], 'listed trials carry their curve');
  }
});

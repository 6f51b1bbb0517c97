import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKEND_CHOICES } from '../../../contract/backends';
import type { SearchRunSummary } from '../../../contract/runs';
import { Rng } from '../../../server/core/rng';
import { RunService } from '../../../server/runs/runService';
import { readStateCache, writeStateCache } from '../../../server/runs/stateCache';
import { Nb201Space } from '../../../server/spaces/nb201/nb201Space';
import type { RunLocation } from '../../../server/store/runStore';

const space = new Nb201Space();
const spec = {
  name: 'reader',
  space: { type: 'nb201' },
  evaluator: { type: 'tabular', table: '/nowhere.csv' },
  strategy: { type: 'random' },
  objectives: [{ metric: 'acc', goal: 'maximize' }, { metric: 'lat', goal: 'minimize' }],
  constraints: [],
  report: [],
  budget: { trials: 1000 },
  seed: 0,
};

function trialLine(trial: number, acc: number, lat: number, rng: Rng): string {
  const genome = space.sample(rng);
  return JSON.stringify({ type: 'trial_finished', at: 't', elapsedMs: trial, trial, key: space.key(genome), genome, arch: space.toArch(genome), metrics: { acc, lat }, feasible: true, cached: false, durationMs: 1 }) + '\n';
}

function newRun(): { service: RunService; location: Extract<RunLocation, { layout: 'folder' }>; rng: Rng } {
  const service = new RunService(mkdtempSync(join(tmpdir(), 'nas-reader-')));
  const folder = service.store.create({ kind: 'search', name: 'reader', createdAt: '2026-12-06T00:00:00.000Z', source: '', baseDir: '/' }, spec);
  return { service, location: { layout: 'folder', id: folder.id, folder }, rng: new Rng(1) };
}

const search = (service: RunService, location: RunLocation) => service.summary(location) as SearchRunSummary;

test('a reader folds only what was appended since it last read the journal', () => {
  const { service, location, rng } = newRun();
  const journal = location.folder.journal;
  writeFileSync(journal, [trialLine(0, 50, 3, rng), trialLine(1, 70, 5, rng), trialLine(2, 60, 1, rng)].join(''));
  assert.equal(search(service, location).trials, 3);
  assert.equal(search(service, location).best?.trial, 1);
  appendFileSync(journal, trialLine(3, 80, 9, rng));
  assert.deepEqual([search(service, location).trials, search(service, location).best?.trial], [4, 3]);
  // Bytes already folded are not read again: a record rewritten in place (same length) goes unseen,
  // where a reader starting afresh sees it.
  const text = readFileSync(journal, 'utf8');
  writeFileSync(journal, text.replace('"acc":50,', '"acc":99,'));
  assert.equal(search(service, location).best?.trial, 3);
  assert.equal(search(new RunService(service.root), location).best?.trial, 0);
});

test('the Pareto front and the best trial are kept as trials arrive, as a batch computation would give them', () => {
  const { service, location, rng } = newRun();
  const points: [number, number][] = [];
  for (let i = 0; i < 200; i++) points.push([Math.round(100 * rng.next()), Math.round(100 * rng.next())]);
  for (const [i, [acc, lat]] of points.entries()) {
    appendFileSync(location.folder.journal, trialLine(i, acc, lat, rng));
    if (i % 37 === 0) service.summary(location); // read along the way, as the engine does
  }
  const summary = search(service, location);
  const dominated = (i: number) => points.some(([a, l], j) => j !== i && a >= points[i][0] && l <= points[i][1] && (a > points[i][0] || l < points[i][1]));
  const front = points.map((_, i) => i).filter((i) => !dominated(i)).sort((a, b) => points[b][0] - points[a][0] || a - b);
  assert.deepEqual(summary.pareto, front);
  const best = points.reduce((b, p, i) => (p[0] > points[b][0] ? i : b), 0);
  assert.equal(summary.best?.trial, best);
});

test("the writer's state cache is used while it describes the journal, and ignored once the journal is replaced", () => {
  const { service, location, rng } = newRun();
  for (let i = 0; i < 50; i++) appendFileSync(location.folder.journal, trialLine(i, i, 100 - i, rng));
  service.reader.read(location);
  writeStateCache(location.folder, service.reader.stateCache(location)!);
  assert.ok(readStateCache(location.folder));
  appendFileSync(location.folder.journal, trialLine(50, 500, 1, rng));
  const fresh = new RunService(service.root);
  const summary = search(fresh, location);
  assert.equal(summary.trials, 51, 'restored from the cache, then the rest folded');
  assert.equal(summary.best?.trial, 50);
  assert.deepEqual(summary, search(new RunService(service.root), location));

  // A journal replaced by another (repair, a copy over it) no longer matches the cache's fingerprint.
  const other = join(location.folder.dir, 'other.jsonl');
  writeFileSync(other, trialLine(0, 1, 1, rng) + trialLine(1, 2, 2, rng));
  renameSync(other, location.folder.journal);
  assert.equal(readStateCache(location.folder), undefined);
  assert.equal(search(new RunService(service.root), location).trials, 2);
});

test('the backend choices of the editor setting are the engine\'s', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.configuration.properties['nasStudio.backend'].enum, [...BACKEND_CHOICES]);
});

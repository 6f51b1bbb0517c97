import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';
import type { Genome } from '../../server/core/searchSpace';
import type { Strategy, StrategyContext, TransferredObservation } from '../../server/core/strategy';
import { RecordError } from '../../server/runs/runKind';
import type { WarmObservationRecord } from '../../server/experiment/searchRecords';
import { searchRun } from '../../server/experiment/searchRun';
import { applySearchRecord, initialSearchState, loadSearchState, saveSearchState } from '../../server/experiment/searchState';
import type { ExperimentSpec } from '../../server/experiment/spec';
import { topKGenomes, transferredObservations, warmStarted } from '../../server/experiment/warmStart';
import { Nb201Space } from '../../server/spaces/nb201/nb201Space';
import { strategies } from '../../server/strategies';
import { Mdenas } from '../../server/strategies/mdenas';
import { Nsga2 } from '../../server/strategies/nsga2';
import { PredictorLocalSearch } from '../../server/strategies/predictorLocalSearch';
import { RegularizedEvolution } from '../../server/strategies/regularizedEvolution';
import { Reinforce } from '../../server/strategies/reinforce';
import { priorWeight, standardScores } from '../../server/strategies/warmPrior';

const space = new Nb201Space('one-hot');
const context = (seed = 0, objectiveCount = 1): StrategyContext => ({ space, rng: new Rng(seed), budget: 100, objectiveCount });

const spec: ExperimentSpec = {
  name: 'w',
  space: { type: 'nb201' },
  evaluator: { type: 'tabular' },
  strategy: { type: 'random' },
  objectives: [{ metric: 'acc', goal: 'maximize' }],
  constraints: [],
  report: [],
  budget: { trials: 2 },
  seed: 0,
  warmStart: { runs: [{ id: 'a', dir: '/runs/a' }], use: 'both', k: 2, halfLife: 20 },
};

function warm(source: string, trial: number, genome: Genome, value: number | null, feasible = true): WarmObservationRecord {
  return { type: 'warm_observation', source, trial, key: space.key(genome), genome, objectives: [value], feasible };
}

function trial(n: number, acc: number) {
  const genome = [n % 5, 0, 0, 0, 0, 0];
  return { type: 'trial_finished', at: 't', elapsedMs: n, trial: n, key: space.key(genome), genome, arch: space.toArch(genome), metrics: { acc }, feasible: true, cached: false, durationMs: 1 };
}

test('fold: transferred observations are never trials and never part of the budget; repeats count once; a run with only them reads', () => {
  const state = initialSearchState(space);
  // Five transferred observations against a budget of two trials: none of them is out of budget.
  const observations = [0, 1, 2, 3, 4].map((n) => warm('a', n, [n, 1, 1, 1, 1, 1], 150 + n));
  observations.forEach((o, i) => applySearchRecord(state, o as never, spec, { offset: i * 100, length: 90 }));
  applySearchRecord(state, observations[2] as never, spec, { offset: 999, length: 90 }); // a transfer redone after a crash
  assert.equal(state.warm.observations.size, 5);
  assert.deepEqual(state.warm.observations.get('a#2'), { offset: 200, length: 90 });
  assert.equal(state.warm.sources, undefined, 'not complete before its warm_start record');
  applySearchRecord(state, { type: 'warm_start', at: 't', sources: [{ id: 'a', name: 'A', observations: 5 }] }, spec, undefined);
  // Only transferred observations so far: the run reads with no trial done and no best.
  assert.equal(state.trials.size, 0);
  const best = () => state.best;
  assert.equal(best(), undefined);
  assert.deepEqual(searchRun.progress(spec, state), { done: 0, total: 2 });
  applySearchRecord(state, trial(0, 70), spec, undefined);
  applySearchRecord(state, trial(1, 60), spec, undefined);
  assert.deepEqual(searchRun.progress(spec, state), { done: 2, total: 2 });
  assert.equal(best()?.metrics.acc, 70, 'the best is this run\'s own, never a transferred observation (150..154)');
  // A new observation after the transfer completed cannot belong to the run.
  assert.throws(() => applySearchRecord(state, warm('a', 9, [0, 0, 0, 0, 0, 0], 1) as never, spec, undefined), RecordError);
  assert.throws(() => applySearchRecord(state, { type: 'warm_observation', source: 'a', trial: 3 }, spec, undefined), /has no architecture key/);
  // The state cache keeps them; a cache written before warm starts existed reads as none.
  const reloaded = loadSearchState(JSON.parse(JSON.stringify(saveSearchState(state))), space);
  assert.deepEqual([...reloaded.warm.observations], [...state.warm.observations]);
  assert.deepEqual(reloaded.warm.sources, state.warm.sources);
  const { warm: _w, warmSources: _s, ...older } = saveSearchState(state) as Record<string, unknown>;
  assert.equal(loadSearchState(JSON.parse(JSON.stringify(older)), space).warm.observations.size, 0);
});

test('transferred scores are z-scores within each source run; infeasible or missing values are -Infinity', () => {
  const records = [warm('a', 0, [0, 0, 0, 0, 0, 0], 1), warm('b', 0, [1, 0, 0, 0, 0, 0], 10), warm('a', 1, [2, 0, 0, 0, 0, 0], 2), warm('a', 2, [3, 0, 0, 0, 0, 0], 3), warm('b', 1, [4, 0, 0, 0, 0, 0], 30), warm('a', 3, [4, 1, 0, 0, 0, 0], 99, false), warm('b', 2, [4, 2, 0, 0, 0, 0], null)];
  const scores = transferredObservations(records).map((o) => o.score);
  const z = Math.sqrt(3 / 2); // values 1, 2, 3: mean 2, population std sqrt(2/3)
  [-z, 0, z, -Infinity, -1, 1, -Infinity].forEach((expected, i) => assert.ok(Math.abs(scores[i] - expected) < 1e-12 || scores[i] === expected, `${i}: ${scores[i]} vs ${expected}`));
  assert.deepEqual(standardScores([5, 5]), [0, 0]);
});

test('top-k: the best of each source in turn, feasible ones only, each architecture once, the earlier trial on ties', () => {
  const g = (i: number): Genome => [i, 0, 0, 0, 0, 0];
  const records = [
    warm('a', 0, g(0), 80),
    warm('a', 1, g(1), 90),
    warm('a', 2, g(2), 95, false),
    warm('a', 3, g(3), 90),
    warm('b', 0, g(1), 40), // the same architecture as a's best: listed once
    warm('b', 1, g(4), 45),
  ];
  assert.deepEqual(topKGenomes(records, 10), [g(1), g(4), g(3), g(0)]);
  assert.deepEqual(topKGenomes(records, 2), [g(1), g(4)]);
});

test('warm-started strategies propose the top-k first, then their own, and never propose a top-k architecture again', () => {
  const records = Array.from({ length: 30 }, (_, i) => warm('a', i, space.sample(new Rng(i)), i));
  const first = topKGenomes(records, 3);
  for (const definition of strategies.filter((s) => !s.multiObjective)) {
    const strategy = warmStarted(definition.create({}, context(1)), { use: 'top-k', k: 3, halfLife: 20 }, records);
    const asked: string[] = [];
    for (let i = 0; i < 40; i++) {
      const genome = strategy.ask();
      asked.push(space.key(genome));
      strategy.tell(genome, { objectives: [genome.reduce((s, v) => s + v, 0)], feasible: true });
    }
    assert.deepEqual(asked.slice(0, 3), first.map((f) => space.key(f)), definition.type);
    if (definition.type !== 'regularized-evolution') {
      for (const f of first) assert.equal(asked.slice(3).includes(space.key(f)), false, `${definition.type} proposed a top-k architecture again`);
    }
  }
});

test('every strategy definition that names what a prior shapes takes one, and only those', () => {
  for (const definition of strategies) {
    const instance = definition.create({}, context()) as Strategy;
    assert.equal(typeof instance.prior === 'function', definition.priorShapes !== undefined, definition.type);
  }
});

test('the prior weight halves after halfLife observations', () => {
  assert.equal(priorWeight(20, 0), 1);
  assert.equal(priorWeight(20, 20), 0.5);
  assert.equal(priorWeight(20, 60), 0.25);
});

/** An additive landscape: every nor_conv_3x3 edge (option 3) adds one. */
const threes = (g: Genome) => g.filter((v) => v === 3).length;
const landscape = (n: number, seed: number): TransferredObservation[] => {
  const rng = new Rng(seed);
  const genomes = Array.from({ length: n }, () => space.sample(rng));
  const scores = standardScores(genomes.map(threes));
  return genomes.map((genome, i) => ({ genome, observation: { objectives: [threes(genome)], feasible: true }, score: scores[i] }));
};

test('regularized evolution prior: the population starts as the best transferred architectures (worst first), and children are bred from them at once', () => {
  const transferred = landscape(50, 3);
  const strategy = new RegularizedEvolution(context(2), { population: 5, sampleSize: 2 });
  strategy.prior(transferred);
  const best = [...transferred].sort((a, b) => b.score - a.score).slice(0, 5).reverse();
  assert.deepEqual(strategy.members().map((m) => [m.genome, m.transferred]), best.map((o) => [o.genome, true]));
  const child = strategy.ask();
  assert.ok(best.some((o) => o.genome.filter((v, i) => v !== child[i]).length === 1), 'the first proposal is a mutation of a transferred member, not a random sample');
  // They age out as this run's children arrive.
  for (let i = 0; i < 5; i++) strategy.tell(i === 0 ? child : strategy.ask(), { objectives: [1], feasible: true });
  assert.equal(strategy.members().some((m) => m.transferred), false);
});

test('predictor-local-search prior: on a flat new task the prior predictor picks the climb\'s first step; cold, the first neighbour wins the tie', () => {
  const climbStep = (withPrior: boolean) => {
    const strategy = new PredictorLocalSearch(context(4), { initialSamples: 1 });
    if (withPrior) strategy.prior(landscape(200, 5), 20);
    const start = strategy.ask();
    strategy.tell(start, { objectives: [0], feasible: true });
    return { start, step: strategy.ask() };
  };
  const warmed = climbStep(true);
  assert.equal(threes(warmed.step), threes(warmed.start) + 1, `${warmed.start} -> ${warmed.step}`);
  const cold = climbStep(false);
  assert.deepEqual(cold.step, [cold.start[0] === 0 ? 1 : 0, ...cold.start.slice(1)]);
});

test('MDENAS prior: proposals come from w · prior + (1 − w) · own, w = halfLife / (halfLife + observations)', () => {
  const transferred = landscape(40, 6);
  const strategy = new Mdenas(context(7), { learningRate: 0.05 });
  strategy.prior(transferred, 10);
  // Independent computations: a cold MDENAS fed the transferred scores, another fed this run's observations.
  const prior = new Mdenas(context(0), { learningRate: 0.05 });
  for (const o of transferred) prior.tell(o.genome, { objectives: [o.score], feasible: true });
  const own = new Mdenas(context(0), { learningRate: 0.05 });
  assert.deepEqual(strategy.distribution(), prior.distribution());
  for (let i = 0; i < 15; i++) {
    const genome = strategy.ask();
    const observation = { objectives: [threes(genome) * 2], feasible: true };
    strategy.tell(genome, observation);
    own.tell(genome, observation);
  }
  const w = 10 / (10 + 15);
  const expected = own.distribution().map((p, i) => p.map((q, c) => w * prior.distribution()[i][c] + (1 - w) * q));
  strategy.distribution().forEach((p, i) => p.forEach((v, c) => assert.ok(Math.abs(v - expected[i][c]) < 1e-12)));
});

test('REINFORCE prior: before any observation the policy is the one trained on the transferred scores', () => {
  const transferred = landscape(200, 8);
  const strategy = new Reinforce(context(9));
  strategy.prior(transferred, 10);
  const prior = new Reinforce(context(0));
  for (const o of transferred) prior.tell(o.genome, { objectives: [o.score], feasible: true });
  strategy.probabilities().forEach((p, i) => p.forEach((v, c) => assert.ok(Math.abs(v - prior.probabilities()[i][c]) < 1e-12)));
  // It favours nor_conv_3x3 on every edge, as the transferred landscape does.
  for (const p of strategy.probabilities()) assert.equal(p.indexOf(Math.max(...p)), 3);
});

test('NSGA-II prior: the first parents are the transferred architectures; the next ones are this run\'s children only', () => {
  const transferred = landscape(30, 10).map((o) => ({ ...o, observation: { objectives: [threes(o.genome), -o.genome[0]], feasible: true } }));
  const strategy = new Nsga2(context(11, 2), { population: 6 });
  strategy.prior(transferred);
  const keys = new Set(transferred.map((o) => space.key(o.genome)));
  assert.equal(strategy.population().length, 6);
  assert.ok(strategy.population().every((p) => keys.has(space.key(p.genome))));
  const children: string[] = [];
  for (let i = 0; i < 6; i++) {
    const g = strategy.ask();
    children.push(space.key(g));
    strategy.tell(g, { objectives: [threes(g), -g[0]], feasible: true });
  }
  assert.ok(strategy.population().every((p) => children.includes(space.key(p.genome))));
});

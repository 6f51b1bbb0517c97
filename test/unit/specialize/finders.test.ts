import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../server/core/rng';
import { CancelledError, SpecError } from '../../../server/core/errors';
import type { Genome } from '../../../server/core/searchSpace';
import { OfaMbv3Space } from '../../../server/spaces/ofa/ofaMbv3Space';
import { AccuracyPredictor } from '../../../server/ofa/accuracyPredictor';
import { loadEfficiencyModel } from '../../../server/ofa/efficiencyModel';
import type { AdditiveCost } from '../../../server/ofa/additiveCost';
import { OfaEvolutionFinder } from '../../../server/specialize/ofaEvolutionFinder';
import { GuidedLocalSearchFinder } from '../../../server/specialize/guidedLocalSearch';
import { MAX_FINDER_EVALUATIONS, createFinder } from '../../../server/specialize/finders';
import { linearize } from '../../../server/specialize/linearModel';
import { Neighborhood } from '../../../server/specialize/ofaMoves';
import { solveLinear } from '../../../server/specialize/lagrangianSolve';
import type { Finder, SearchProblem } from '../../../server/specialize/searchProblem';
import { SKIP_MESSAGE, ofaFile } from '../ofa/sharedData';

const predictorFile = ofaFile('acc_predictor.json');
const note10 = ofaFile('note10');
const skip = predictorFile && note10 ? false : SKIP_MESSAGE;
const space = new OfaMbv3Space();

async function problem(limit: number): Promise<SearchProblem> {
  const predictor = await AccuracyPredictor.load(predictorFile!, space);
  const { cost } = await loadEfficiencyModel({ kind: 'lut', dir: note10! }, space);
  return { space, predictor, cost, limit };
}

/** Wraps the problem's predictor to record every architecture a finder asks about. */
function recording(p: SearchProblem): { problem: SearchProblem; asked: Genome[] } {
  const asked: Genome[] = [];
  const predictor = Object.create(p.predictor) as AccuracyPredictor;
  predictor.predictMany = (genomes) => {
    asked.push(...genomes);
    return p.predictor.predictMany(genomes);
  };
  return { problem: { ...p, predictor }, asked };
}

function linearGain(model: ReturnType<typeof linearize>, from: Genome, to: Genome): number {
  // Difference of the model's value: active block options plus resolution, read from features.
  const value = (g: Genome) => {
    const f = space.encode(g);
    let total = model.resolution[g[45]];
    for (let i = 0; i < 20; i++) {
      const k = [0, 1, 2].find((j) => f[3 * i + j] === 1);
      const e = [0, 1, 2].find((j) => f[60 + 3 * i + j] === 1);
      if (k !== undefined && e !== undefined) total += model.block[i * 9 + k * 3 + e];
    }
    return total;
  };
  return value(to) - value(from);
}

test("OFA's finder: feasible children only, OFA's evaluation count, deterministic per seed", { skip }, async () => {
  const { problem: p, asked } = recording(await problem(25));
  const finder = new OfaEvolutionFinder({ populationSize: 20, generations: 8 });
  const first = await finder.search(p, new Rng(1));
  assert.equal(first.evaluations, 20 * 9);
  assert.equal(asked.length, 20 * 9);
  assert.ok(asked.every((g) => p.cost.cost(g) <= 25));
  assert.ok(first.best.cost <= 25);
  assert.equal(first.best.accuracy, p.predictor.predict(first.best.genome));
  const again = await finder.search(p, new Rng(1));
  assert.deepEqual(again.best, first.best);
});

test('guided search: feasible, deterministic, beats random sampling with the same evaluations', { skip }, async () => {
  const { problem: p, asked } = recording(await problem(25));
  const finder = new GuidedLocalSearchFinder({ evaluations: 400 });
  const result = await finder.search(p, new Rng(2));
  assert.ok(result.evaluations >= 400 && result.evaluations < 400 + 100);
  assert.equal(new Set(asked.map((g) => space.key(g))).size, asked.length, 'no architecture is predicted twice');
  assert.ok(asked.every((g) => p.cost.cost(g) <= 25));
  assert.equal(result.best.accuracy, p.predictor.predict(result.best.genome));
  assert.deepEqual((await finder.search(p, new Rng(2))).best, result.best);

  const rng = new Rng(2);
  const random: Genome[] = [];
  while (random.length < result.evaluations) {
    const g = space.sample(rng);
    if (p.cost.cost(g) <= 25) random.push(g);
  }
  const bestRandom = Math.max(...p.predictor.predictMany(random));
  assert.ok(result.best.accuracy > bestRandom + 0.005, `guided ${result.best.accuracy} vs random ${bestRandom}`);
});

test('both finders stop with CancelledError when the signal aborts mid-search', { skip }, async () => {
  const p = await problem(30);
  const finders: Finder[] = [new OfaEvolutionFinder(), new GuidedLocalSearchFinder()];
  for (const finder of finders) {
    const controller = new AbortController();
    let reports = 0;
    const run = finder.search(p, new Rng(0), {
      signal: controller.signal,
      progress: () => {
        if (++reports === 3) setImmediate(() => controller.abort());
      },
    });
    await assert.rejects(run, CancelledError, finder.name);
    assert.ok(reports >= 3);
  }
});

test('neighborhood moves fit the slack, and come best-first under the linear model', { skip }, async () => {
  const p = await problem(25);
  const rng = new Rng(4);
  for (let t = 0; t < 5; t++) {
    let x: Genome;
    do x = space.sample(rng);
    while (p.cost.cost(x) > 25);
    const model = linearize(p.predictor, x);
    const neighborhood = new Neighborhood(x, model, p.cost);
    const moves = neighborhood.bestMoves(25 - p.cost.cost(x), 30).map((m) => neighborhood.genomeOf(m));
    assert.ok(moves.length > 0);
    const gains = moves.map((m) => linearGain(model, x, m));
    for (let i = 1; i < gains.length; i++) assert.ok(gains[i] <= gains[i - 1] + 1e-12);
    for (const m of moves) {
      assert.ok(p.cost.cost(m) <= 25 + 1e-9);
      const changed = blockCodes(x).filter((code, i) => code !== blockCodes(m)[i]).length;
      assert.ok(changed === 1 || changed === 2, `a move changes one or two blocks, not ${changed}`);
    }
    const sets = neighborhood.bestMoves(25 - p.cost.cost(x), 30);
    const unions = neighborhood.combine(sets, 25 - p.cost.cost(x), 8);
    unions.forEach((u, i) => {
      assert.ok(p.cost.cost(u) <= 25 + 1e-9);
      assert.ok(blockCodes(x).filter((code, b) => code !== blockCodes(u)[b]).length >= 2, `union ${i} joins two or more move sets`);
    });
  }
});

test('linear solve: feasible at every resolution that can fit, the per-block optimum when nothing binds', { skip }, async () => {
  const p = await problem(25);
  const x = space.sample(new Rng(6));
  const model = linearize(p.predictor, x);
  for (let r = 0; r < space.resolutions.length; r++) {
    const solved = solveLinear(model, p.cost, 25, r, x);
    const smallest = p.cost.base[r] + minimumBlocks(p.cost, r);
    if (smallest > 25) assert.equal(solved, undefined);
    else assert.ok(solved && p.cost.cost(solved) <= 25 + 1e-9 && solved[45] === r);
  }
  const free = solveLinear(model, p.cost, 1e9, 0, x)!;
  for (let s = 0; s < 5; s++) {
    for (let j = 0; j < 2 + free[40 + s]; j++) {
      const i = s * 4 + j;
      const option = free[i] * 3 + free[20 + i];
      assert.equal(model.block[i * 9 + option], Math.max(...model.block.subarray(i * 9, i * 9 + 9)));
    }
  }
});

/** Per block: its option index when active, -1 when skipped. */
function blockCodes(g: Genome): number[] {
  return Array.from({ length: 20 }, (_, i) => (i % 4 < 2 + g[40 + Math.floor(i / 4)] ? g[i] * 3 + g[20 + i] : -1));
}

function minimumBlocks(cost: AdditiveCost, r: number): number {
  let total = 0;
  for (let s = 0; s < 5; s++) for (let j = 0; j < 2; j++) total += Math.min(...Array.from({ length: 9 }, (_, o) => cost.blockCost(r, s * 4 + j, o)));
  return total;
}

test('a finder spends at most MAX_FINDER_EVALUATIONS predictor evaluations per search: larger budgets are SpecErrors with paths', () => {
  const refused = (spec: unknown, path: string, message: RegExp) =>
    assert.throws(() => createFinder(spec), (e: unknown) => e instanceof SpecError && e.path.join('/') === path && message.test(e.message), JSON.stringify(spec));
  assert.equal(MAX_FINDER_EVALUATIONS, 200_000);
  refused({ type: 'guided', evaluations: 1_000_000_000 }, 'finder/evaluations', /"evaluations" must be an integer in 1\.\.200000; got 1000000000/);
  refused({ type: 'guided', evaluations: MAX_FINDER_EVALUATIONS + 1 }, 'finder/evaluations', /in 1\.\.200000/);
  assert.equal((createFinder({ type: 'guided', evaluations: MAX_FINDER_EVALUATIONS }) as GuidedLocalSearchFinder).options.evaluations, MAX_FINDER_EVALUATIONS);
  // OFA's evolution spends populationSize x (generations + 1): each option and their product are bounded.
  refused({ type: 'ofa-evolution', generations: 1e9 }, 'finder/generations', /"generations" must be an integer in 1\.\.200000/);
  refused({ type: 'ofa-evolution', populationSize: 1000, generations: 1000 }, 'finder/generations', /populationSize x \(generations \+ 1\) = 1001000 predictor evaluations; a search may spend at most 200000/);
  refused({ type: 'ofa-evolution', populationSize: 5000 }, 'finder/populationSize', /= 2505000 predictor evaluations/);
  const largest = createFinder({ type: 'ofa-evolution', populationSize: 400, generations: 499 }) as OfaEvolutionFinder;
  assert.equal(largest.options.populationSize * (largest.options.generations + 1), MAX_FINDER_EVALUATIONS);
});

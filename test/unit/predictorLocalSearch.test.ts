import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';
import type { Genome } from '../../server/core/searchSpace';
import { Nb201Space } from '../../server/spaces/nb201/nb201Space';
import { PredictorLocalSearch } from '../../server/strategies/predictorLocalSearch';
import { predictWith, primalRidge } from './support/primalRidge';

const space = new Nb201Space();
const distance = (a: Genome, b: Genome) => a.filter((g, i) => g !== b[i]).length;

test('after its starting samples a climb evaluates one-edit neighbours of its best member', () => {
  const fitness = (g: Genome) => g.reduce((s, op, i) => s + (op === 3 ? 1 + i / 10 : 0), 0);
  const strategy = new PredictorLocalSearch({ space, rng: new Rng(3), budget: 60, objectiveCount: 1 }, { initialSamples: 4, patience: 100 });
  const told: { genome: Genome; value: number }[] = [];
  for (let i = 0; i < 60; i++) {
    const genome = strategy.ask();
    if (i >= 4) {
      // The member grown from: the best one with a neighbour not evaluated yet (24 neighbours each).
      const evaluated = new Set(told.map((t) => space.key(t.genome)));
      const unexplored = (g: Genome) => told.filter((t) => distance(t.genome, g) === 1).length < 24;
      const from = told
        .slice()
        .sort((a, b) => b.value - a.value)
        .find((t) => unexplored(t.genome));
      assert.ok(from && distance(genome, from.genome) === 1 && !evaluated.has(space.key(genome)), `proposal ${i}`);
    }
    const value = fitness(genome);
    told.push({ genome, value });
    strategy.tell(genome, { objectives: [value], feasible: true });
  }
  // The climb reached the optimum of this separable landscape: conv3x3 everywhere.
  assert.ok(told.some((t) => t.genome.every((op) => op === 3)));
});

test('a climb without progress for `patience` steps is abandoned for fresh random starts', () => {
  const strategy = new PredictorLocalSearch(
    { space, rng: new Rng(5), budget: 30, objectiveCount: 1 },
    { initialSamples: 2, restartSamples: 2, patience: 3 },
  );
  const proposals: Genome[] = [];
  for (let i = 0; i < 10; i++) {
    const genome = strategy.ask();
    proposals.push(genome);
    strategy.tell(genome, { objectives: [1], feasible: true }); // flat landscape: never an improvement
  }
  // 0,1: starts; 2,3,4: steps from the first start (the best, ties keep the earliest); then a restart:
  // 5,6: new starts; 7,8,9: steps from proposal 5.
  for (const i of [2, 3, 4]) assert.equal(distance(proposals[i], proposals[0]), 1, `step ${i}`);
  for (const i of [7, 8, 9]) assert.equal(distance(proposals[i], proposals[5]), 1, `step ${i}`);
});

test('infeasible architectures never become the member a climb grows from', () => {
  const strategy = new PredictorLocalSearch({ space, rng: new Rng(8), budget: 20, objectiveCount: 1 }, { initialSamples: 3, patience: 50 });
  const first = strategy.ask();
  const second = strategy.ask();
  const third = strategy.ask();
  strategy.tell(first, { objectives: [99], feasible: false });
  strategy.tell(second, { objectives: [10], feasible: true });
  strategy.tell(third, { objectives: [5], feasible: true });
  assert.equal(distance(strategy.ask(), second), 1);
});

/** A rugged landscape: an additive part per (edge, operation) plus per-architecture noise; some architectures infeasible. */
function ruggedLandscape(seed: number): (g: Genome) => { value: number; feasible: boolean } {
  const rng = new Rng(seed);
  const additive = space.decisions.map((d) => d.choices.map(() => 10 * rng.next()));
  return (g) => {
    const noise = new Rng(seed * 7919 + Number(g.join(''))).normal();
    const value = 50 + g.reduce((s, op, i) => s + additive[i][op], 0) + noise;
    return { value, feasible: g[0] !== 0 || g[5] !== 0 };
  };
}

test('each climb step is the unevaluated neighbour that a ridge model fitted from scratch on the best half ranks highest', () => {
  const landscape = ruggedLandscape(12);
  // The one-hot encoding (30 features) keeps the reference fits fast; the training set still
  // grows from fewer samples than features to more.
  const oneHotSpace = new Nb201Space('one-hot');
  const strategy = new PredictorLocalSearch({ space: oneHotSpace, rng: new Rng(12), budget: 150, objectiveCount: 1 }, { initialSamples: 4, patience: 1000 });
  const told: { genome: Genome; value: number; feasible: boolean }[] = [];
  for (let i = 0; i < 150; i++) {
    const genome = strategy.ask();
    if (i >= 4) {
      const evaluated = new Set(told.map((t) => space.key(t.genome)));
      const candidatesOf = (g: Genome) => space.decisions.flatMap((d, e) => d.choices.map((_, op) => g.map((x, k) => (k === e ? op : x)))).filter((n) => !evaluated.has(space.key(n)));
      // Best first, ties to the earlier; infeasible ones last.
      const ranked = told
        .map((t, order) => ({ ...t, fitness: t.feasible ? t.value : -Infinity, order }))
        .sort((a, b) => b.fitness - a.fitness || a.order - b.order);
      const from = ranked.find((t) => candidatesOf(t.genome).length > 0)!;
      const finite = ranked.filter((t) => Number.isFinite(t.fitness));
      const training = finite.slice(0, Math.max(5, Math.floor(finite.length / 2)));
      const model = primalRidge(training.map((t) => [...oneHotSpace.encode(t.genome)]), training.map((t) => t.value), 1);
      const scores = candidatesOf(from.genome).map((n) => predictWith(model, oneHotSpace.encode(n)));
      const chosen = predictWith(model, oneHotSpace.encode(genome));
      assert.equal(distance(genome, from.genome), 1, `proposal ${i} grows from the best member with unevaluated neighbours`);
      assert.ok(!evaluated.has(space.key(genome)), `proposal ${i} is new`);
      assert.ok(chosen >= Math.max(...scores) - 1e-7 * Math.abs(chosen), `proposal ${i} predicts ${chosen}, the best neighbour ${Math.max(...scores)}`);
    }
    const { value, feasible } = landscape(genome);
    told.push({ genome, value, feasible });
    strategy.tell(genome, { objectives: [value], feasible });
  }
});

test('a fresh strategy told the same observations proposes the same architectures (resume replays the journal this way)', () => {
  const landscape = ruggedLandscape(3);
  const options = { initialSamples: 6, restartSamples: 3, patience: 6, trainFraction: 0.4 };
  for (const batch of [1, 3]) {
    const run = () => {
      const strategy = new PredictorLocalSearch({ space, rng: new Rng(31), budget: 600, objectiveCount: 1 }, options);
      const proposals: string[] = [];
      for (let first = 0; first < 600; first += batch) {
        const genomes = Array.from({ length: batch }, () => strategy.ask());
        for (const genome of genomes) {
          proposals.push(space.key(genome));
          const { value, feasible } = landscape(genome);
          strategy.tell(genome, { objectives: [value], feasible });
        }
      }
      return proposals;
    };
    const original = run();
    assert.deepEqual(run(), original, `batches of ${batch}`);
    assert.equal(new Set(original).size, original.length, 'every proposal is a new architecture');
  }
});

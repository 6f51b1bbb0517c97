import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';
import type { Genome } from '../../server/core/searchSpace';
import { Nb201Space } from '../../server/spaces/nb201/nb201Space';
import { PredictorLocalSearch } from '../../server/strategies/predictorLocalSearch';

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

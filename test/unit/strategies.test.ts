import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';
import type { Genome } from '../../server/core/searchSpace';
import type { StrategyDefinition } from '../../server/core/strategy';
import { randomSearch } from '../../server/strategies/randomSearch';
import { RegularizedEvolution, regularizedEvolution } from '../../server/strategies/regularizedEvolution';
import { LayersSpace } from '../../server/spaces/layers/layersSpace';

const space = new LayersSpace();

/** A fitness that depends on every decision, so trajectories diverge when anything differs. */
const fitness = (g: Genome) => g.reduce((s, v, i) => s + v * ((i % 3) + 1), 0);

function trajectory(definition: StrategyDefinition, seed: number, n: number, options: Record<string, unknown> = {}): string[] {
  const strategy = definition.create(options, { space, rng: new Rng(seed), budget: n, objectiveCount: 1 });
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = strategy.ask();
    keys.push(g.join(','));
    strategy.tell(g, { objectives: [fitness(g)], feasible: true });
  }
  return keys;
}

for (const definition of [randomSearch, regularizedEvolution]) {
  test(`${definition.type}: same seed gives the same trajectory, another seed another`, () => {
    assert.deepEqual(trajectory(definition, 1, 60), trajectory(definition, 1, 60));
    assert.notDeepEqual(trajectory(definition, 1, 60), trajectory(definition, 2, 60));
  });
}

test('random search does not repeat an architecture before the space is exhausted', () => {
  const strategy = randomSearch.create({}, { space, rng: new Rng(5), budget: 100, objectiveCount: 1 });
  const keys = Array.from({ length: 100 }, () => space.key(strategy.ask()));
  assert.equal(new Set(keys).size, 100);
});

test('regularized evolution: random initial population, then children one mutation from a tournament winner', () => {
  const population = 8;
  const strategy = new RegularizedEvolution({ space, rng: new Rng(3), budget: 40, objectiveCount: 1 }, { population, sampleSize: 3 });
  const told: Genome[] = [];
  for (let i = 0; i < population; i++) {
    const g = strategy.ask();
    told.push(g);
    strategy.tell(g, { objectives: [fitness(g)], feasible: true });
  }
  for (let i = 0; i < 30; i++) {
    const members = strategy.members().map((m) => m.genome);
    const child = strategy.ask();
    // The child differs from some living member in exactly one decision.
    const distances = members.map((m) => m.reduce((d, v, j) => d + (v !== child[j] ? 1 : 0), 0));
    assert.ok(distances.includes(1), `child ${child} is not one mutation away from any member`);
    strategy.tell(child, { objectives: [fitness(child)], feasible: true });
  }
});

test('regularized evolution removes the oldest individual, not the worst', () => {
  const strategy = new RegularizedEvolution({ space, rng: new Rng(9), budget: 10, objectiveCount: 1 }, { population: 3, sampleSize: 2 });
  const genomes = [0, 1, 2, 3].map(() => strategy.ask());
  // The first individual is the best; aging must still remove it once a fourth arrives.
  [100, 1, 2, 3].forEach((f, i) => strategy.tell(genomes[i], { objectives: [f], feasible: true }));
  assert.deepEqual(strategy.members().map((m) => m.fitness), [1, 2, 3]);
});

test('regularized evolution prefers feasible parents: infeasible members never win a tournament against feasible ones', () => {
  const strategy = new RegularizedEvolution({ space, rng: new Rng(4), budget: 50, objectiveCount: 1 }, { population: 2, sampleSize: 2 });
  const a = strategy.ask();
  const b = strategy.ask();
  strategy.tell(a, { objectives: [1000], feasible: false });
  strategy.tell(b, { objectives: [1], feasible: true });
  const members = strategy.members();
  assert.equal(members[0].fitness, -Infinity);
  assert.equal(members[1].fitness, 1);
});

test('regularized evolution check rejects a tournament larger than the population', () => {
  const errors = regularizedEvolution.check!({ population: 4, sampleSize: 5 }, { budget: 10, objectiveCount: 1 });
  assert.equal(errors.length, 1);
  assert.deepEqual(errors[0].path, ['sampleSize']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';
import type { Genome } from '../../server/core/searchSpace';
import { Nb201Space } from '../../server/spaces/nb201/nb201Space';
import { Nsga2, constrainedFronts, defaultPopulation, selectSurvivors } from '../../server/strategies/nsga2';

const individual = (id: number, objectives: number[], feasible = true) => ({ genome: [id], observation: { objectives, feasible } });

test('constrained non-dominated sorting: every feasible front before any infeasible one', () => {
  const pool = [
    individual(0, [1, 5]),
    individual(1, [9, 9], false), // best objectives, but infeasible
    individual(2, [3, 4]),
    individual(3, [2, 3]),
    individual(4, [0, 0], false),
  ];
  assert.deepEqual(constrainedFronts(pool).map((f) => f.sort()), [[0, 2], [3], [1], [4]]);
});

test('environmental selection fills whole fronts, then the least crowded of the last one', () => {
  const pool = [
    individual(0, [1, 5]), individual(1, [3, 4]), individual(2, [5, 1]), // front 0
    individual(3, [1, 4]), individual(4, [2, 3]), individual(5, [4, 0]), // front 1: 4 is the crowded middle
    individual(6, [0, 0]), // front 2
  ];
  const survivors = selectSurvivors(pool, 5);
  assert.deepEqual(survivors.map((s) => s.genome[0]).sort(), [0, 1, 2, 3, 5]);
  assert.deepEqual(survivors.map((s) => s.rank), [0, 0, 0, 1, 1]);
  // Extremes of a front are kept at any price.
  assert.ok(survivors.filter((s) => s.rank === 1).every((s) => s.crowding === Infinity));
});

test('a generation closes after `population` tells; recommend returns the feasible Pareto front', () => {
  const space = new Nb201Space();
  const strategy = new Nsga2({ space, rng: new Rng(2), budget: 40, objectiveCount: 2 }, { population: 4 });
  const accuracy = (g: Genome) => g.filter((op) => op === 3).length;
  const latency = (g: Genome) => -g.filter((op) => op >= 2).length;
  const told: { genome: Genome; objectives: number[] }[] = [];
  for (let i = 0; i < 40; i++) {
    const genome = strategy.ask();
    const objectives = [accuracy(genome), latency(genome)];
    strategy.tell(genome, { objectives, feasible: true });
    told.push({ genome, objectives });
    if (i === 3) assert.equal(strategy.population().length, 4);
  }
  // Independent check of the recommended front: no evaluated point dominates a recommended one.
  const front = strategy.recommend().map((g) => [accuracy(g), latency(g)]);
  assert.ok(front.length > 0);
  for (const p of front) {
    assert.ok(!told.some((t) => t.objectives[0] >= p[0] && t.objectives[1] >= p[1] && (t.objectives[0] > p[0] || t.objectives[1] > p[1])));
  }
});

test('default population: about ten generations, between 10 and 50', () => {
  assert.deepEqual([50, 100, 300, 1000].map(defaultPopulation), [10, 10, 30, 50]);
});

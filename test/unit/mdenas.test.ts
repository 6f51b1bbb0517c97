import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';
import { Nb201Space } from '../../server/spaces/nb201/nb201Space';
import { Mdenas, mdenasUpdate } from '../../server/strategies/mdenas';

function assertClose(actual: readonly number[], expected: readonly number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `[${i}] ${v} vs ${expected[i]}`));
}

test('MDENAS update on a hand-computed example', () => {
  // Option: selections (He), latest accuracy (Ha)
  //   0: 2, 80   loses to 1 (fewer selections, higher acc), wins against 4 (more selections, lower acc)
  //   1: 1, 85   wins against 0 and 4
  //   2: 1, 70   no pair qualifies (vs 0 and 4 it has fewer selections AND lower accuracy)
  //   3: 0, never sampled (-Infinity): compared with nobody
  //   4: 3, 75   loses to 0 and 1
  // alpha 0.01: [0.2 + 0, 0.2 + 0.02, 0.2, 0.2, 0.2 - 0.02]
  const next = mdenasUpdate([0.2, 0.2, 0.2, 0.2, 0.2], [2, 1, 1, 0, 3], [80, 85, 70, -Infinity, 75], 0.01);
  assertClose(next, [0.2, 0.22, 0.2, 0.2, 0.18]);
});

test('MDENAS update: a probability pushed below zero shifts and renormalizes the vector', () => {
  // Option 0 was selected most and scored worst: it loses against each of the three others (-0.06);
  // each of them wins once (+0.02). Raw: [-0.05, 0.31, 0.32, 0.42]; shift by 0.05 -> [0, 0.36, 0.37, 0.47] / 1.2
  const next = mdenasUpdate([0.01, 0.29, 0.3, 0.4], [3, 1, 1, 1], [50, 60, 70, 80], 0.02);
  assertClose(next, [0, 0.36 / 1.2, 0.37 / 1.2, 0.47 / 1.2]);
});

test('Mdenas counts selections and keeps the latest accuracy of every sampled option', () => {
  const space = new Nb201Space();
  const strategy = new Mdenas({ space, rng: new Rng(0), budget: 10, objectiveCount: 1 }, { learningRate: 0.05 });
  const a = [3, 3, 3, 1, 2, 3];
  const b = [2, 3, 3, 1, 2, 3]; // differs from a on the first edge only
  const feasible = (v: number) => ({ objectives: [v], feasible: true });
  strategy.tell(a, feasible(80));
  strategy.tell(b, feasible(90));
  // Edge 0: option 3 (1 selection, 80) vs option 2 (1 selection, 90): equal counts, no update yet.
  assert.deepEqual(strategy.distribution(), new Nb201Space().decisions.map(() => [0.2, 0.2, 0.2, 0.2, 0.2]));
  strategy.tell(a, feasible(70));
  // Edge 0 now: option 3 has 2 selections and latest accuracy 70, option 2 has 1 selection and 90.
  const edge0 = strategy.distribution()[0];
  assertClose(edge0, [0.2, 0.2, 0.25, 0.15, 0.2]);
  // Edges where both architectures agree: the chosen option has no rival that was ever sampled.
  assertClose(strategy.distribution()[1], [0.2, 0.2, 0.2, 0.2, 0.2]);
  assert.deepEqual(strategy.recommend()[0][0], 2);
});

test('the option that always scores best ends up the most probable one', () => {
  const space = new Nb201Space();
  const strategy = new Mdenas({ space, rng: new Rng(4), budget: 200, objectiveCount: 1 });
  for (let i = 0; i < 200; i++) {
    const g = strategy.ask();
    strategy.tell(g, { objectives: [g[0] === 3 ? 1 : 0], feasible: true });
  }
  const edge0 = strategy.distribution()[0];
  assert.equal(strategy.recommend()[0][0], 3, JSON.stringify(edge0));
  assert.ok(edge0[3] > 0.2);
});

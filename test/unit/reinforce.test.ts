import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';
import { Nb201Space } from '../../server/spaces/nb201/nb201Space';
import { Reinforce } from '../../server/strategies/reinforce';

const space = new Nb201Space();
const context = (seed: number, budget = 100) => ({ space, rng: new Rng(seed), budget, objectiveCount: 1 });

test('one REINFORCE step by hand: baseline from the first reward, normalized advantage', () => {
  const strategy = new Reinforce(context(0), { learningRate: 0.1, baselineMomentum: 0.9 });
  const a = [3, 3, 3, 1, 2, 3];
  const b = [0, 1, 2, 3, 4, 0];
  strategy.tell(a, { objectives: [80], feasible: true });
  // The first reward only sets the baseline: the policy stays uniform.
  strategy.probabilities().forEach((p) => p.forEach((v) => assert.ok(Math.abs(v - 0.2) < 1e-12)));
  strategy.tell(b, { objectives: [90], feasible: true });
  // Rewards 80, 90: standard deviation 5; advantage (90 - 80) / 5 = 2 against baseline 80.
  // Logit step 0.1 * 2 * (onehot - 0.2): chosen option +0.16, the other four -0.04.
  const chosen = Math.exp(0.16) / (Math.exp(0.16) + 4 * Math.exp(-0.04));
  const other = Math.exp(-0.04) / (Math.exp(0.16) + 4 * Math.exp(-0.04));
  strategy.probabilities().forEach((p, i) =>
    p.forEach((v, option) => assert.ok(Math.abs(v - (option === b[i] ? chosen : other)) < 1e-12, `decision ${i} option ${option}`)),
  );
  // Third reward 85 against baseline 0.9 * 80 + 0.1 * 90 = 81: a positive advantage for c.
  const c = [1, 1, 1, 1, 1, 1];
  const before = strategy.probabilities()[0][1];
  strategy.tell(c, { objectives: [85], feasible: true });
  assert.ok(strategy.probabilities()[0][1] > before);
});

test('an infeasible architecture is treated like the worst reward and pushed down', () => {
  const strategy = new Reinforce(context(0));
  strategy.tell([3, 3, 3, 3, 3, 3], { objectives: [80], feasible: true });
  strategy.tell([2, 2, 2, 2, 2, 2], { objectives: [70], feasible: true });
  const before = strategy.probabilities()[0][4];
  strategy.tell([4, 4, 4, 4, 4, 4], { objectives: [99], feasible: false });
  assert.ok(strategy.probabilities()[0][4] < before);
});

test('the policy learns which option pays, and recommends it', () => {
  const strategy = new Reinforce(context(1, 300));
  for (let i = 0; i < 300; i++) {
    const g = strategy.ask();
    strategy.tell(g, { objectives: [g.filter((op) => op === 3).length], feasible: true });
  }
  strategy.probabilities().forEach((p) => assert.equal(p.indexOf(Math.max(...p)), 3));
  assert.deepEqual(strategy.recommend(), [[3, 3, 3, 3, 3, 3]]);
});

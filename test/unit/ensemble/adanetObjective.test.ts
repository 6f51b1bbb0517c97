// AdaNet's objective and its mixture-weight gradient on a two-member example worked by hand
// (tensorflow/adanet's ComplexityRegularizedEnsembler: F(w) = mean CE(Σ w_j h_j + b, y) + Σ (λ r_j + β)|w_j|).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adanetObjective, ensembleAccuracy, objectiveGradient, penalties, type EnsembleInputs, type Mixture } from '../../../server/ensemble/adanetObjective';
import { initialMixture, trainMixture, type MixtureOptions } from '../../../server/ensemble/mixtureWeights';

/**
 * Two examples, two classes, labels 0 and 1.
 *   member 1 (depth 1): logits [2, 0] and [0, 1]
 *   member 2 (depth 2): logits [0, 1] and [1, 0]
 */
const inputs: EnsembleInputs = { logits: [Float32Array.from([2, 0, 0, 1]), Float32Array.from([0, 1, 1, 0])], labels: [0, 1], classes: 2 };
/** λ = 0.1, β = 0.01, r = √depth: 0.1·1 + 0.01 and 0.1·√2 + 0.01. */
const costs = penalties([1, Math.SQRT2], 0.1, 0.01);
const uniform: Mixture = { weights: [[0.5], [0.5]], bias: [0, 0] };

const close = (actual: number, expected: number, tolerance = 1e-6) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

test('the objective: ensemble logits [1, 0.5] and [0.5, 0.5]; CE softplus(-0.5) and ln 2; penalty 0.11·0.5 + 0.151421·0.5', () => {
  assert.deepEqual(costs.map((c) => Number(c.toFixed(6))), [0.11, 0.151421]);
  const value = adanetObjective(inputs, uniform, costs);
  // Example 1: log(e^1 + e^0.5) - 1 = log(1 + e^-0.5); example 2: log 2.
  const loss = (Math.log(1 + Math.exp(-0.5)) + Math.LN2) / 2;
  close(value.loss, loss);
  close(loss, 0.583612);
  close(value.regularization, 0.5 * 0.11 + 0.5 * (0.1 * Math.SQRT2 + 0.01));
  close(value.objective, 0.714323);
});

test('the mixture-weight gradient, scalar weights: p − y times each member’s logits, plus (λr + β)·sign(w)', () => {
  // Example 1: p = [σ(0.5), 1 − σ(0.5)], p − y = [−0.377541, 0.377541]; example 2: p − y = [0.5, −0.5].
  const g1 = [sigmoid(0.5) - 1, 1 - sigmoid(0.5)];
  const g2 = [0.5, -0.5];
  close(g1[1], 0.377541);
  const grad = objectiveGradient(inputs, uniform, costs);
  // ∂/∂w1 = ½ (g1 · [2, 0] + g2 · [0, 1]) + 0.11 = ½ (−0.755082 − 0.5) + 0.11
  close(grad.weights[0][0], (g1[0] * 2 + g2[1] * 1) / 2 + 0.11);
  close(grad.weights[0][0], -0.517541);
  // ∂/∂w2 = ½ (g1 · [0, 1] + g2 · [1, 0]) + 0.151421
  close(grad.weights[1][0], (g1[1] + g2[0]) / 2 + 0.1 * Math.SQRT2 + 0.01);
  close(grad.weights[1][0], 0.590192);
  // The bias (no penalty): ½ (g1 + g2).
  close(grad.bias[0], 0.06123);
  close(grad.bias[1], -0.06123);
});

test('the mixture-weight gradient, one weight per class: each class on its own', () => {
  const vector: Mixture = { weights: [[0.5, 0.5], [0.5, 0.5]], bias: [0, 0] };
  // Same ensemble logits as with scalar weights, so the same p − y.
  close(adanetObjective(inputs, vector, costs).loss, adanetObjective(inputs, uniform, costs).loss);
  // The penalty counts both entries: ‖w_j‖₁ = 1.
  close(adanetObjective(inputs, vector, costs).regularization, 0.11 + 0.1 * Math.SQRT2 + 0.01);
  const grad = objectiveGradient(inputs, vector, costs);
  close(grad.weights[0][0], -0.377541 + 0.11);
  close(grad.weights[0][1], -0.25 + 0.11);
  close(grad.weights[1][0], 0.25 + 0.151421);
  close(grad.weights[1][1], 0.188771 + 0.151421);
});

test('the gradient agrees with central differences of the objective, scalar and vector weights, away from w = 0', () => {
  for (const mixture of [
    { weights: [[0.7], [-0.3]], bias: [0.2, -0.1] },
    { weights: [[0.7, 0.2], [-0.3, 1.1]], bias: [0.2, -0.1] },
  ]) {
    const grad = objectiveGradient(inputs, mixture, costs);
    const at = (change: (m: { weights: number[][]; bias: number[] }) => void) => {
      const m = { weights: mixture.weights.map((w) => [...w]), bias: [...mixture.bias] };
      change(m);
      return adanetObjective(inputs, m, costs).objective;
    };
    const h = 1e-6;
    mixture.weights.forEach((w, j) =>
      w.forEach((_, k) => close(grad.weights[j][k], (at((m) => (m.weights[j][k] += h)) - at((m) => (m.weights[j][k] -= h))) / (2 * h), 1e-6)),
    );
    mixture.bias.forEach((_, c) => close(grad.bias[c], (at((m) => (m.bias[c] += h)) - at((m) => (m.bias[c] -= h))) / (2 * h), 1e-6));
  }
});

const options: MixtureOptions = { type: 'scalar', learn: true, useBias: false, warmStart: false, steps: 300, learningRate: 0.05 };

test('mixture weights start at 1/N (the reference’s initializer) or, warm-started, where the previous ensemble left them', () => {
  assert.deepEqual(initialMixture(3, 2, options), { weights: [[1 / 3], [1 / 3], [1 / 3]], bias: [0, 0] });
  assert.deepEqual(initialMixture(2, 3, { ...options, type: 'vector' }).weights, [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]);
  const previous = { weights: [[0.9]], bias: [0.1, -0.1] };
  assert.deepEqual(initialMixture(2, 2, { ...options, warmStart: true }, previous), { weights: [[0.9], [0.5]], bias: [0.1, -0.1] });
});

test('training the weights lowers the objective, leaves the bias alone unless it is learned, and is deterministic', () => {
  const before = adanetObjective(inputs, uniform, costs).objective;
  const trained = trainMixture(inputs, uniform, costs, options);
  assert.ok(adanetObjective(inputs, trained, costs).objective < before - 0.05, `${adanetObjective(inputs, trained, costs).objective} vs ${before}`);
  assert.deepEqual(trained.bias, [0, 0]);
  assert.deepEqual(trainMixture(inputs, uniform, costs, options), trained);
  assert.notDeepEqual(trainMixture(inputs, uniform, costs, { ...options, useBias: true }).bias, [0, 0]);
  assert.equal(trainMixture(inputs, uniform, costs, { ...options, learn: false }), uniform);
  // Both examples classified right once weighted: member 1 alone gets both, so it gains weight.
  assert.equal(ensembleAccuracy(inputs, trained), 1);
  assert.ok(trained.weights[0][0] > trained.weights[1][0]);
});

test('a large β drives the weights toward 0: the L1 penalty outweighs what a member adds', () => {
  const heavy = penalties([1, Math.SQRT2], 0, 5);
  const trained = trainMixture(inputs, uniform, heavy, { ...options, steps: 2000, learningRate: 0.01 });
  for (const w of trained.weights) assert.ok(Math.abs(w[0]) < 0.02, `weight ${w[0]}`);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../../server/core/rng';
import { ArchAdam, ARCH_ADAM } from '../../../server/proxyless/archAdam';
import { alphaGradient, binarize, involved, rescaleInvolved, softmax } from '../../../server/proxyless/archParameters';

/** Σ_i v_i · softmax(α)_i: the function whose α-gradient the gate formula is. */
const weighted = (alpha: readonly number[], v: readonly number[]) => softmax(alpha).reduce((s, p, i) => s + p * v[i], 0);

test('full_v2: the α gradient from gate gradients is the softmax Jacobian, checked by central differences', () => {
  const rng = new Rng(7);
  const alpha = Array.from({ length: 7 }, () => rng.normal());
  const v = Array.from({ length: 7 }, () => rng.normal());
  const sample = binarize(alpha, 'full_v2', rng);
  assert.equal(involved(sample).length, 7);
  const grad = alphaGradient(sample, v);
  const h = 1e-6;
  alpha.forEach((_, i) => {
    const up = alpha.map((a, j) => (j === i ? a + h : a));
    const down = alpha.map((a, j) => (j === i ? a - h : a));
    const numeric = (weighted(up, v) - weighted(down, v)) / (2 * h);
    assert.ok(Math.abs(grad[i] - numeric) < 1e-8, `α[${i}]: ${grad[i]} vs ${numeric}`);
  });
});

test('two: the pair is sampled from p, renormalized over itself, and only its α get a gradient', () => {
  const rng = new Rng(3);
  const alpha = [0.4, -1, 2, 0.1, 0.3];
  const counts = alpha.map(() => 0);
  for (let n = 0; n < 4000; n++) {
    const sample = binarize(alpha, 'two', rng);
    const pair = involved(sample);
    assert.equal(new Set(pair).size, 2);
    const slice = softmax(pair.map((i) => alpha[i]));
    assert.ok(Math.abs(sample.probs[pair[0]] - slice[0]) < 1e-12 && Math.abs(sample.probs[pair[1]] - slice[1]) < 1e-12);
    assert.equal(sample.probs.filter((p, i) => !pair.includes(i) && p !== 0).length, 0);
    const grad = alphaGradient(sample, [1, 2, 3, 4, 5]);
    grad.forEach((g, i) => assert.ok(pair.includes(i) || g === 0));
    // The gradient of Σ_pair v_j p̃_j with respect to the pair's α.
    const v = [1, 2, 3, 4, 5];
    pair.forEach((i, k) => assert.ok(Math.abs(grad[i] - slice[k] * (v[i] - (slice[0] * v[pair[0]] + slice[1] * v[pair[1]]))) < 1e-12));
    counts[sample.active]++;
  }
  // The pair {i, j} is drawn without replacement (p_i p_j / (1 − p_i) + p_j p_i / (1 − p_j)), then i is active with p_i / (p_i + p_j).
  const p = softmax(alpha);
  const marginal = p.map((pi, i) => p.reduce((s, pj, j) => (j === i ? s : s + (pi * pj / (1 - pi) + pj * pi / (1 - pj)) * (pi / (pi + pj))), 0));
  counts.forEach((c, i) => assert.ok(Math.abs(c / 4000 - marginal[i]) < 0.025, `candidate ${i}: ${c / 4000} vs ${marginal[i]}`));
});

test('two: after an Adam step and rescale_updated_arch_param the unsampled candidates keep their probabilities', () => {
  const rng = new Rng(11);
  const sizes = [7, 6];
  const alphas = sizes.map((n) => Array.from({ length: n }, () => 0.5 * rng.normal()));
  const adam = ArchAdam.fresh(ARCH_ADAM, sizes);
  for (let step = 0; step < 25; step++) {
    alphas.forEach((alpha, b) => {
      const sample = binarize(alpha, 'two', rng);
      const pair = involved(sample);
      const before = [...alpha];
      const pBefore = softmax(alpha);
      const grad = alphaGradient(sample, alpha.map(() => rng.normal()));
      adam.step(b, alpha, grad);
      // β1 = 0: a zero gradient moves nothing, so only the pair changed...
      alpha.forEach((a, i) => assert.ok(pair.includes(i) || a === before[i]));
      rescaleInvolved(alpha, before, pair);
      const pAfter = softmax(alpha);
      // ...and after the rescale every other candidate has exactly the probability it had.
      pAfter.forEach((p, i) => {
        if (!pair.includes(i)) assert.ok(Math.abs(p - pBefore[i]) < 1e-12, `step ${step} block ${b} candidate ${i}: ${pBefore[i]} -> ${p}`);
      });
      const mass = (q: number[]) => q[pair[0]] + q[pair[1]];
      assert.ok(Math.abs(mass(pAfter) - mass(pBefore)) < 1e-12);
    });
  }
});

test('ArchAdam is torch.optim.Adam with betas (0, 0.999): the first step moves each α by lr · g / (|g| + eps)', () => {
  const adam = ArchAdam.fresh(ARCH_ADAM, [3]);
  const alpha = [0, 0, 0];
  adam.step(0, alpha, [0.5, -2, 0]);
  assert.ok(Math.abs(alpha[0] - -1e-3 * (0.5 / (0.5 + 1e-8))) < 1e-15);
  assert.ok(Math.abs(alpha[1] - 1e-3 * (2 / (2 + 1e-8))) < 1e-15);
  assert.equal(alpha[2], 0);
  // Second step: v = 0.999 · 0.001 · g1² + 0.001 · g2², bias-corrected by 1 − 0.999².
  adam.step(0, alpha, [0.1, -2, 0]);
  const v0 = 0.999 * 0.001 * 0.25 + 0.001 * 0.01;
  const expected = -1e-3 * (0.5 / (0.5 + 1e-8)) - 1e-3 * (0.1 / (Math.sqrt(v0) / Math.sqrt(1 - 0.999 ** 2) + 1e-8));
  assert.ok(Math.abs(alpha[0] - expected) < 1e-15, `${alpha[0]} vs ${expected}`);
  const restored = ArchAdam.restore(ARCH_ADAM, adam.state());
  const a = [...alpha];
  const b = [...alpha];
  adam.step(0, a, [1, 1, 1]);
  restored.step(0, b, [1, 1, 1]);
  assert.deepEqual(a, b);
});

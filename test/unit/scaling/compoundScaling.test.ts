// EfficientNet's rounding (tensorflow/tpu efficientnet_builder/efficientnet_model: round_filters,
// round_repeats), the grid of (α, β, γ) under α·β²·γ² ≈ 2, and scaling a layer stack.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coefficientGrid, compoundCoefficients, flopsFactor, roundFilters, roundRepeats, roundResolution } from '../../../server/scaling/compoundScaling';
import { matchFlops } from '../../../server/scaling/flopsMatching';
import { archFlops as stackFlops } from '../../../server/scaling/scalableArch';
import { checkScalableStack, describeStack, scaleLayerStack, stackParts, totalStride } from '../../../server/scaling/scaledLayerStack';
import type { LayerStackArch } from '../../../server/spaces/layers/layerSpec';

/** efficientnet_params: (width, depth) of B0–B7. */
const COEFFICIENTS: Record<string, [number, number]> = {
  b0: [1.0, 1.0],
  b1: [1.0, 1.1],
  b2: [1.1, 1.2],
  b3: [1.2, 1.4],
  b4: [1.4, 1.8],
  b5: [1.6, 2.2],
  b6: [1.8, 2.6],
  b7: [2.0, 3.1],
};
/** B0: stem 32, the seven blocks' output filters, head 1280; the blocks' repeats. */
const B0_FILTERS = [32, 16, 24, 40, 80, 112, 192, 320, 1280];
const B0_REPEATS = [1, 2, 2, 3, 3, 4, 1];
/**
 * The reference functions' values (computed with the Python of efficientnet_model.py; the heads
 * are the feature widths of the published B0–B7 checkpoints: 1280, 1280, 1408, 1536, 1792, 2048,
 * 2304, 2560).
 */
const EXPECTED: Record<string, { filters: number[]; repeats: number[] }> = {
  b0: { filters: [32, 16, 24, 40, 80, 112, 192, 320, 1280], repeats: [1, 2, 2, 3, 3, 4, 1] },
  b1: { filters: [32, 16, 24, 40, 80, 112, 192, 320, 1280], repeats: [2, 3, 3, 4, 4, 5, 2] },
  b2: { filters: [32, 16, 24, 48, 88, 120, 208, 352, 1408], repeats: [2, 3, 3, 4, 4, 5, 2] },
  b3: { filters: [40, 24, 32, 48, 96, 136, 232, 384, 1536], repeats: [2, 3, 3, 5, 5, 6, 2] },
  b4: { filters: [48, 24, 32, 56, 112, 160, 272, 448, 1792], repeats: [2, 4, 4, 6, 6, 8, 2] },
  b5: { filters: [48, 24, 40, 64, 128, 176, 304, 512, 2048], repeats: [3, 5, 5, 7, 7, 9, 3] },
  b6: { filters: [56, 32, 40, 72, 144, 200, 344, 576, 2304], repeats: [3, 6, 6, 8, 8, 11, 3] },
  b7: { filters: [64, 32, 48, 80, 160, 224, 384, 640, 2560], repeats: [4, 7, 7, 10, 10, 13, 4] },
};

test('round_filters and round_repeats give the reference values for B0–B7', () => {
  for (const [model, [width, depth]] of Object.entries(COEFFICIENTS)) {
    assert.deepEqual(B0_FILTERS.map((f) => roundFilters(f, width)), EXPECTED[model].filters, `${model} filters`);
    assert.deepEqual(B0_REPEATS.map((r) => roundRepeats(r, depth)), EXPECTED[model].repeats, `${model} repeats`);
  }
});

test('round_filters: the nearest multiple of the divisor, never below it, one more divisor after a drop of over 10 %', () => {
  assert.equal(roundFilters(16, 1.1), 16); // 17.6 → 16, 16 ≥ 0.9 · 17.6
  assert.equal(roundFilters(16, 1.2), 24); // 19.2 → 16 < 17.28: one divisor more
  assert.equal(roundFilters(4, 1.0), 8); // at least the divisor
  assert.equal(roundFilters(8, 1.3, 4), 12); // 10.4 → int(12.4) // 4 · 4
  assert.equal(roundFilters(3, 2, 1), 6);
  assert.equal(roundFilters(16, 0), 16); // no multiplier: unchanged, as the reference
  assert.equal(roundRepeats(2, 1.2), 3);
  assert.equal(roundRepeats(5, 1), 5);
});

test('resolution is rounded to the nearest multiple of the input pipeline', () => {
  assert.equal(roundResolution(28, 1.15, 4), 32); // 32.2
  assert.equal(roundResolution(28, 1.15 ** 2, 4), 36); // 37.03
  assert.equal(roundResolution(224, 1.15, 8), 256); // 257.6
  assert.equal(roundResolution(28, 0.01, 4), 4);
});

test('the grid keeps exactly the lattice points with |α·β²·γ² − 2| within the tolerance, each coefficient ≥ 1', () => {
  for (const [step, tolerance] of [[0.1, 0.1], [0.05, 0.05], [0.1, 0.05], [0.05, 0.1]]) {
    const grid = coefficientGrid({ step, tolerance, target: 2 });
    const keys = new Set(grid.map((c) => [c.depth, c.width, c.resolution].join(',')));
    // Brute force over a lattice wider than any point can be.
    let expected = 0;
    for (let a = 0; a <= 40; a++) {
      for (let b = 0; b <= 40; b++) {
        for (let g = 0; g <= 40; g++) {
          const [alpha, beta, gamma] = [a, b, g].map((i) => Math.round((1 + i * step) * 1e6) / 1e6);
          const inside = Math.abs(alpha * beta * beta * gamma * gamma - 2) <= tolerance + 1e-9;
          if (inside) expected++;
          assert.equal(keys.has([alpha, beta, gamma].join(',')), inside, `${alpha}, ${beta}, ${gamma} with step ${step}, tolerance ${tolerance}`);
        }
      }
    }
    assert.equal(grid.length, expected);
    for (const c of grid) assert.ok(Math.abs(flopsFactor(c) - 2) <= tolerance + 1e-9);
  }
  // Counts the Python brute force gives too; the step-0.1 grid includes the paper's neighbourhood.
  assert.equal(coefficientGrid({ step: 0.1, tolerance: 0.1, target: 2 }).length, 22);
  assert.equal(coefficientGrid({ step: 0.05, tolerance: 0.05, target: 2 }).length, 55);
  assert.ok(coefficientGrid({ step: 0.05, tolerance: 0.1, target: 2 }).some((c) => c.depth === 1.2 && c.width === 1.1 && c.resolution === 1.15));
});

test('compound coefficients are α^φ, β^φ, γ^φ: FLOPs factor 2^φ up to the tolerance', () => {
  const paper = { depth: 1.2, width: 1.1, resolution: 1.15 };
  const phi3 = compoundCoefficients(paper, 3);
  assert.ok(Math.abs(phi3.depth - 1.728) < 1e-12 && Math.abs(phi3.width - 1.331) < 1e-12);
  assert.ok(Math.abs(flopsFactor(phi3) - flopsFactor(paper) ** 3) < 1e-12);
});

/** A small CNN for 28×28 images: two stages of two 3×3 convolutions, a hidden dense layer. */
const BASE: LayerStackArch = {
  space: 'layers',
  input: [28, 28, 1],
  layers: [
    { type: 'conv2d', filters: 16, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
    { type: 'conv2d', filters: 16, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
    { type: 'maxpool', size: 2 },
    { type: 'conv2d', filters: 32, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
    { type: 'conv2d', filters: 32, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
    { type: 'maxpool', size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 64, activation: 'relu' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};
const ROUNDING = { divisor: 8, resolutionMultiple: 4 };

test('a layer stack reads as stages of repeated convolutions, and scales stage by stage', () => {
  assert.deepEqual(
    stackParts(BASE).map((p) => (p.kind === 'stage' ? `${p.conv.filters}×${p.repeats}` : p.layer.type)),
    ['16×2', 'maxpool', '32×2', 'maxpool', 'flatten', 'dense', 'dense'],
  );
  assert.equal(totalStride(BASE), 4);
  const scaled = scaleLayerStack(BASE, { depth: 1.2, width: 1.2, resolution: 1.15 }, ROUNDING);
  // repeats ceil(2.4) = 3; filters 16 → 24, 32 → 40 (38.4), dense 64 → 80 (76.8); 28 px → 32; 10 classes stay.
  assert.equal(describeStack(scaled), '32px conv3x3-24×3 conv3x3-40×3 fc80');
  assert.deepEqual(scaled.input, [32, 32, 1]);
  assert.deepEqual(scaled.layers.at(-1), { type: 'dense', units: 10, activation: 'softmax' });
  assert.equal(describeStack(scaleLayerStack(BASE, { depth: 1, width: 1, resolution: 1 }, ROUNDING)), describeStack(BASE));
  // The first convolution of a stage keeps its stride, the repeats have stride 1.
  const strided: LayerStackArch = { ...BASE, layers: [{ type: 'conv2d', filters: 8, kernel: 3, stride: 2, padding: 'same', activation: 'relu' }, ...BASE.layers.slice(6)] };
  assert.deepEqual(scaleLayerStack(strided, { depth: 2, width: 1, resolution: 1 }, ROUNDING).layers.slice(0, 2).map((l) => (l as { stride: number }).stride), [2, 1]);
});

test('a single-dimension network is the one whose counted FLOPs come closest to the target; width and resolution get within 10 %', () => {
  const base = stackFlops(BASE);
  for (const target of [2 * base, 4 * base]) {
    for (const dimension of ['depth', 'width', 'resolution'] as const) {
      const m = matchFlops(BASE, dimension, target, ROUNDING);
      assert.equal(m.flops, stackFlops(m.arch));
      for (const other of ['depth', 'width', 'resolution'] as const) if (other !== dimension) assert.equal(m.coefficients[other], 1);
      // Every coefficient from 1 to 8 in steps of 0.01: none comes closer.
      let closest = Infinity;
      for (let i = 0; i <= 700; i++) {
        const flops = stackFlops(scaleLayerStack(BASE, { depth: 1, width: 1, resolution: 1, [dimension]: 1 + i / 100 }, ROUNDING));
        closest = Math.min(closest, Math.abs(Math.log(flops / target)));
      }
      assert.ok(Math.abs(Math.abs(Math.log(m.ratio)) - closest) < 1e-12, `${dimension} at ${target}: ${m.ratio}`);
      if (dimension !== 'depth') assert.ok(Math.abs(m.ratio - 1) <= 0.1, `${dimension} at ${target}: ${m.ratio}`);
    }
  }
  // Two repeats per stage grow to 3, then 4: depth alone cannot land near 2× (1.76× or 2.5×).
  assert.ok(Math.abs(matchFlops(BASE, 'depth', 2 * base, ROUNDING).ratio - 1) > 0.1);
});

test('only trainable layer stacks with a softmax classifier can be scaled; the problem names the layer', () => {
  assert.throws(() => checkScalableStack({ space: 'ofa-mbv3', ks: [3] }), /layer stacks \(space "layers"\).*"ofa-mbv3"/);
  assert.throws(() => checkScalableStack({ ...BASE, layers: [...BASE.layers.slice(0, -1), { type: 'dense', units: 10, activation: 'relu' }] }), /softmax dense classifier/);
  assert.throws(() => checkScalableStack({ ...BASE, layers: [{ type: 'batchnorm' }, ...BASE.layers] }), /layer 0 is "batchnorm"/);
  assert.throws(() => checkScalableStack({ ...BASE, layers: [{ ...BASE.layers[0], padding: 'valid' }, ...BASE.layers.slice(1)] }), /layer 0: .*"same"/);
  assert.equal(checkScalableStack(BASE), BASE);
});

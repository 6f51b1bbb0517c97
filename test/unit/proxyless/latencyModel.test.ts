import assert from 'node:assert/strict';
import { test } from 'node:test';
import { softmax } from '../../../server/proxyless/archParameters';
import { latencyLoss, type LatencyLossSpec } from '../../../server/proxyless/latencyLoss';
import { expectedLatency, latencyModel, predictedLatency, supernetLayers, layerKey } from '../../../server/proxyless/latencyModel';
import { correctedLatency, fitAndValidate } from '../../../server/proxyless/latencyCorrection';
import { measuredNetworks, networkKeys, networkTerms, randomChoices } from '../../../server/proxyless/latencyValidation';
import { mixedBlocks, opName, type ProxylessConfig } from '../../../server/proxyless/proxylessSpace';

const CONFIG: ProxylessConfig = {
  input: [8, 8, 1],
  classes: 3,
  stem: 4,
  stemStride: 1,
  stages: [
    { width: 4, stride: 1, blocks: 2 },
    { width: 6, stride: 2, blocks: 1 },
  ],
  kernels: [3, 5],
  expandRatios: [2],
  zero: true,
};

/** The table of this space, written out by hand in OFA's key format (milliseconds). */
const LUT: Record<string, number> = {
  'Stem-input:8x8x1-output:8x8x4-kernel:3-stride:1-act:relu': 0.11,
  'expanded_conv-input:8x8x4-output:8x8x4-expand:8-kernel:3-stride:1-idskip:1-se:0-hs:0': 0.2,
  'expanded_conv-input:8x8x4-output:8x8x4-expand:8-kernel:5-stride:1-idskip:1-se:0-hs:0': 0.35,
  'expanded_conv-input:8x8x4-output:4x4x6-expand:8-kernel:3-stride:2-idskip:0-se:0-hs:0': 0.07,
  'expanded_conv-input:8x8x4-output:4x4x6-expand:8-kernel:5-stride:2-idskip:0-se:0-hs:0': 0.13,
  'AvgPool2D-input:4x4x6-output:1x1x6': 0.01,
  'Logits-input:1x1x6-output:3': 0.02,
};

const lookup = (key: string) => {
  const ms = LUT[key];
  if (ms === undefined) throw new Error(`no entry ${key}`);
  return ms;
};

test('the space: MBConv candidates kernel-major, Zero only where stride 1 and widths match; the table lists every layer once', () => {
  const blocks = mixedBlocks(CONFIG);
  assert.deepEqual(
    blocks.map((b) => b.candidates.map(opName)),
    [
      ['3x3_MBConv2', '5x5_MBConv2', 'Zero'],
      ['3x3_MBConv2', '5x5_MBConv2', 'Zero'],
      ['3x3_MBConv2', '5x5_MBConv2'],
    ],
  );
  assert.deepEqual(supernetLayers(CONFIG, blocks).map(layerKey).sort(), Object.keys(LUT).sort());
});

test('expected latency of a one-hot α equals the hand-summed table; in between it is linear in p', () => {
  const blocks = mixedBlocks(CONFIG);
  const model = latencyModel(CONFIG, blocks, lookup);
  // Block 1: 5x5, block 2: skipped, block 3: 3x3.
  const choices = [1, 2, 0];
  const oneHot = blocks.map((b, i) => softmax(b.candidates.map((_, c) => (c === choices[i] ? 80 : 0))));
  const handSum = 0.11 + 0.35 + 0 + 0.07 + 0.01 + 0.02;
  assert.ok(Math.abs(expectedLatency(model, oneHot) - handSum) < 1e-12, `${expectedLatency(model, oneHot)} vs ${handSum}`);
  assert.ok(Math.abs(predictedLatency(model, choices) - handSum) < 1e-12);
  const uniform = blocks.map((b) => b.candidates.map(() => 1 / b.candidates.length));
  const mean = 0.11 + (0.2 + 0.35 + 0) / 3 + (0.2 + 0.35 + 0) / 3 + (0.07 + 0.13) / 2 + 0.01 + 0.02;
  assert.ok(Math.abs(expectedLatency(model, uniform) - mean) < 1e-12);
});

test('the latency losses and their derivatives, against central differences', () => {
  const specs: LatencyLossSpec[] = [
    { type: 'mul#log', target: 3, alpha: 0.2, beta: 0.3, lambda: 0.1 },
    { type: 'add#linear', target: 0.4, alpha: 0.2, beta: 0.3, lambda: 0.1 },
    { type: 'add#abs', target: 0.4, alpha: 0.2, beta: 0.3, lambda: 0.1 },
    { type: 'add#abs', target: 0.7, alpha: 0.2, beta: 0.3, lambda: 0.1 },
  ];
  for (const spec of specs) {
    const ce = 1.7;
    const e = spec.type === 'mul#log' ? 4.2 : 0.55;
    const terms = latencyLoss(spec, ce, e);
    const h = 1e-6;
    const dCe = (latencyLoss(spec, ce + h, e).loss - latencyLoss(spec, ce - h, e).loss) / (2 * h);
    const dE = (latencyLoss(spec, ce, e + h).loss - latencyLoss(spec, ce, e - h).loss) / (2 * h);
    assert.ok(Math.abs(terms.dCrossEntropy - dCe) < 1e-7, `${spec.type} dCE ${terms.dCrossEntropy} vs ${dCe}`);
    assert.ok(Math.abs(terms.dLatency - dE) < 1e-7, `${spec.type} dE ${terms.dLatency} vs ${dE}`);
  }
  // The forms themselves: α·CE·(log E / log T)^β and CE + λ(E − T)/T.
  assert.ok(Math.abs(latencyLoss(specs[0], 1.7, 4.2).loss - 0.2 * 1.7 * (Math.log(4.2) / Math.log(3)) ** 0.3) < 1e-15);
  assert.ok(Math.abs(latencyLoss(specs[1], 1.7, 0.55).loss - (1.7 + (0.1 * 0.15) / 0.4)) < 1e-15);
  // add#abs: CE + λ|E − T|/T, so below the target the latency term pulls E[lat] up.
  assert.ok(Math.abs(latencyLoss(specs[3], 1.7, 0.55).loss - (1.7 + (0.1 * 0.15) / 0.7)) < 1e-15);
  assert.ok(latencyLoss(specs[2], 1.7, 0.55).dLatency > 0 && latencyLoss(specs[3], 1.7, 0.55).dLatency < 0);
  assert.ok(latencyLoss(specs[1], 1.7, 0.3).dLatency > 0, 'add#linear penalizes latency even below the target');
});

const K3 = 'expanded_conv-input:8x8x4-output:8x8x4-expand:8-kernel:3-stride:1-idskip:1-se:0-hs:0';
const CORRECTION = { intercept: 0.05, fixedScale: 0.9, blockScale: 0.8, blockOverhead: -0.01, networks: 12, layers: { [K3]: -0.03 } };

test('a corrected table: each candidate scaled plus the per-block overhead and its layer\'s adjustment, Zero free, fixed layers scaled plus the intercept; E[lat] stays linear in p', () => {
  const blocks = mixedBlocks(CONFIG);
  const corrected = latencyModel(CONFIG, blocks, lookup, CORRECTION);
  // Block 1: 5x5, block 2: skipped, block 3: 3x3 (stride 2: not the adjusted key) — two blocks that are not Zero.
  const byHand = 0.05 + 0.9 * (0.11 + 0.01 + 0.02) + 0.8 * (0.35 + 0.07) - 0.01 * 2;
  assert.ok(Math.abs(predictedLatency(corrected, [1, 2, 0]) - byHand) < 1e-12, `${predictedLatency(corrected, [1, 2, 0])} vs ${byHand}`);
  // Blocks 1 and 2 both 3x3 at stride 1: the same key, adjusted twice.
  const twice = 0.05 + 0.9 * 0.14 + 0.8 * (0.2 + 0.2 + 0.13) - 0.01 * 3 - 0.03 * 2;
  assert.ok(Math.abs(predictedLatency(corrected, [0, 0, 1]) - twice) < 1e-12);
  const raw = latencyModel(CONFIG, blocks, lookup);
  const network = { terms: networkTerms(raw, blocks, [0, 0, 1]), keys: networkKeys(blocks, [0, 0, 1]) };
  assert.deepEqual(network.terms, { fixed: 0.11 + 0.01 + 0.02, blocks: 0.2 + 0.2 + 0.13, count: 3 });
  assert.equal(network.keys.filter((k) => k === K3).length, 2);
  assert.ok(Math.abs(correctedLatency(CORRECTION, network) - twice) < 1e-12);
  const uniform = blocks.map((b) => b.candidates.map(() => 1 / b.candidates.length));
  const mean = 0.05 + 0.9 * 0.14 + 2 * ((0.8 * 0.2 - 0.01 - 0.03 + 0.8 * 0.35 - 0.01 + 0) / 3) + (0.8 * 0.07 - 0.01 + 0.8 * 0.13 - 0.01) / 2;
  assert.ok(Math.abs(expectedLatency(corrected, uniform) - mean) < 1e-12);
});

test('the correction learned from measured networks predicts them: a scale and one layer off in the table, both recovered (cross-validated)', () => {
  const blocks = mixedBlocks(CONFIG);
  const raw = latencyModel(CONFIG, blocks, lookup);
  const choices = randomChoices(blocks, 40, 7);
  assert.deepEqual(randomChoices(blocks, 40, 7), choices, 'the same networks for a seed');
  assert.ok(choices.every((c) => c.every((i, b) => i >= 0 && i < blocks[b].candidates.length)));
  // Networks that run 1/1.12 of their table sums, except that each 3x3 stride-1 block costs 0.05 ms less than
  // its entry says (what the four-coefficient stage cannot express and the per-layer stage must find).
  const measured = choices.map((c) => predictedLatency(raw, c) / 1.12 - 0.05 * networkKeys(blocks, c).filter((k) => k === K3).length);
  const fit = fitAndValidate(measuredNetworks(raw, blocks, choices, measured));
  assert.ok(fit.raw.mape > 0.12, `raw error ${fit.raw.mape}`);
  assert.equal(fit.corrected.within10, 1);
  assert.ok(fit.corrected.mape < 0.01, `corrected error ${fit.corrected.mape}`);
  const corrected = latencyModel(CONFIG, blocks, lookup, fit.correction);
  for (const [i, c] of choices.entries()) assert.ok(Math.abs(predictedLatency(corrected, c) - measured[i]) < 0.01 * measured[i], `network ${i}`);
  assert.equal(fit.correction.networks, 40);
});

// Issue 13: the action -> bits mapping, pinned first and last layers, and the reference's final
// action wall (budget enforcement) on hand-made policies whose walks are worked out below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBudget } from '../../../contract/quantization';
import { bitsOfAction, enforceBudget, pinFirstLast, uniformPolicy } from '../../../server/quantize/bitPolicy';
import { budgetTarget, costModel } from '../../../server/quantize/costModel';
import { HaqEnvironment, layerEmbedding } from '../../../server/quantize/haqEnvironment';
import type { QuantizableLayer } from '../../../server/quantize/quantizableLayers';

const layer = (name: string, weights: number, macs: number, extra: Partial<QuantizableLayer> = {}): QuantizableLayer => ({
  name,
  kind: 'conv',
  inChannels: 1,
  outChannels: 1,
  stride: 1,
  kernel: 3,
  weights,
  inputSize: 1,
  macs,
  ...extra,
});
const SAME_RANGE = { weight: { min: 2, max: 8 }, activation: { min: 2, max: 8 } };
const LAYERS = [layer('a', 100, 1000), layer('b', 1000, 2000), layer('c', 500, 500), layer('d', 10, 100)];

test('an action in [0, 1] maps to round(a (max - min + 1) + min - 0.5), halves to even, within [min, max]', () => {
  const linear = { min: 2, max: 8 };
  // 0 -> 1.5 -> 2; 0.2 -> 2.9 -> 3; 0.5 -> 5; 0.99 -> 8.43 -> 8; 1 -> 8.5 -> 8 (even)
  assert.deepEqual([0, 0.2, 0.5, 0.99, 1].map((a) => bitsOfAction(a, linear)), [2, 3, 5, 8, 8]);
  const kmeans = { min: 1, max: 8 };
  // each width gets 1/8 of [0, 1]: 0.0625 -> 1.0; 0.125 -> 1.5 -> 2; 0 -> 0.5 -> 0 -> clamped to 1
  assert.deepEqual([0, 0.0625, 0.125, 0.13, 0.999].map((a) => bitsOfAction(a, kmeans)), [1, 1, 2, 2, 8]);
});

test('first and last layers are pinned to 8-bit weights; the first takes the 8-bit image, the last 8-bit inputs', () => {
  const chosen = [
    { weight: 3, activation: 4 },
    { weight: 5, activation: 6 },
    { weight: 2, activation: 3 },
  ];
  assert.deepEqual(pinFirstLast(chosen, true), [
    { weight: 8, activation: 8 },
    { weight: 5, activation: 6 },
    { weight: 8, activation: 8 },
  ]);
  assert.deepEqual(pinFirstLast(chosen, false), [
    { weight: 8, activation: 8 },
    { weight: 5, activation: 32 },
    { weight: 8, activation: 32 },
  ]);
});

test('a size budget lowers weight bits from the last free layer backwards until the policy fits', () => {
  const size = costModel('size', LAYERS);
  const policy = pinFirstLast([{ weight: 8, activation: 8 }, { weight: 6, activation: 6 }, { weight: 5, activation: 5 }, { weight: 8, activation: 8 }], true);
  // 8*100 + 6*1000 + 5*500 + 8*10 = 9380 bits > 8000: c 5 -> 4 (8880), b 6 -> 5 (7880) fits.
  assert.equal(size.cost(policy), 9380);
  const fitted = enforceBudget(policy, size, 8000, SAME_RANGE, true);
  assert.deepEqual(fitted.map((b) => b.weight), [8, 5, 4, 8]);
  assert.deepEqual(fitted.map((b) => b.activation), [8, 6, 5, 8], 'activations do not change the size: left alone');
  assert.equal(size.cost(fitted), 7880);
});

test('a BitOps budget lowers activation then weight bits of each layer from the last, in rounds, until the policy fits', () => {
  const bitops = costModel('bitops', LAYERS);
  const policy = pinFirstLast([{ weight: 8, activation: 8 }, { weight: 6, activation: 6 }, { weight: 5, activation: 5 }, { weight: 8, activation: 8 }], true);
  // 1000*64 + 2000*36 + 500*25 + 100*64 = 154900. Round 1: c A5->4 (152400), W5->4 (150400), b A6->5 (138400), W6->5 (128400).
  // Round 2: c A4->3 (126400), W4->3 (124900), b A5->4 (114900 <= 120000): stop.
  assert.equal(bitops.cost(policy), 154900);
  const fitted = enforceBudget(policy, bitops, 120000, SAME_RANGE, true);
  assert.deepEqual(fitted, [
    { weight: 8, activation: 8 },
    { weight: 5, activation: 4 },
    { weight: 3, activation: 3 },
    { weight: 8, activation: 8 },
  ]);
  assert.equal(bitops.cost(fitted), 114900);
  // Out of reach: the walk stops at the minimum instead of looping.
  const floor = enforceBudget(policy, bitops, 1, SAME_RANGE, true);
  assert.deepEqual(floor.slice(1, 3), [{ weight: 2, activation: 2 }, { weight: 2, activation: 2 }]);
});

test('budgets: fractions of the float32 cost, uniform policies, milliseconds; malformed text is explained', () => {
  const size = costModel('size', LAYERS);
  const uniform = (w: number, a: number) => uniformPolicy(LAYERS.length, w, a, true);
  assert.equal(budgetTarget(parseBudget('size:0.25') as never, size, LAYERS, uniform), 0.25 * 32 * 1610);
  assert.equal(budgetTarget(parseBudget('size:w4') as never, size, LAYERS, uniform), 8 * 100 + 4 * 1000 + 4 * 500 + 8 * 10);
  assert.deepEqual(parseBudget('latency:/tables/C:/x.json:12.5'), { kind: 'latency', table: '/tables/C:/x.json', target: { ms: 12.5 } });
  assert.deepEqual(parseBudget('bitops:w4a4'), { kind: 'bitops', target: { uniform: { weight: 4, activation: 4 } } });
  assert.match(parseBudget('size:2') as string, /at most 1/);
  assert.match(parseBudget('weight:0.5') as string, /size:\.\.\., bitops:\.\.\. or latency/);
  assert.match(parseBudget('size:-1') as string, /positive number/);
});

test('the state: 10 features per decision, static ones min-max normalized over layers, then previous bits / max and weight-or-activation', () => {
  const layers = [
    layer('c1', 27, 10, { inChannels: 3, outChannels: 8, stride: 1, kernel: 3, inputSize: 1024 }),
    layer('dw', 72, 10, { kind: 'depthwise', inChannels: 8, outChannels: 8, stride: 2, kernel: 3, inputSize: 1024 }),
    layer('fc', 80, 10, { kind: 'dense', inChannels: 8, outChannels: 10, stride: 0, kernel: 1, inputSize: 8 }),
  ];
  const rows = layerEmbedding(layers);
  assert.deepEqual(rows[0], [0, 0, 0, 0.5, 1, 0, 1, 0]);
  assert.deepEqual(rows[1], [1, 1, 0, 1, 1, 45 / 53, 1, 0.5]);
  assert.deepEqual(rows[2], [0, 1, 1, 0, 0, 1, 0, 1]);
  const env = new HaqEnvironment({ layers, quantizesActivations: true, ranges: SAME_RANGE, cost: costModel('size', layers), target: Infinity });
  assert.equal(env.steps, 6);
  const first = env.reset();
  assert.deepEqual(Array.from(first.slice(8)), [1, 1], 'an episode starts at max bits, a weight decision');
  const afterWeight = env.step(0.5); // 5 bits
  assert.deepEqual(Array.from(afterWeight.observation.slice(8)), [5 / 8, 0]);
  assert.equal(afterWeight.done, false);
  const nextLayer = env.step(0.99); // activation 8
  assert.deepEqual(Array.from(nextLayer.observation), Array.from(Float32Array.from([...rows[1], 1, 1])), "the next layer, after its input bits");
  env.step(0.2);
  env.step(0.2);
  env.step(0);
  assert.equal(env.step(1).done, true);
  assert.deepEqual(env.policy(), [
    { weight: 8, activation: 8 },
    { weight: 3, activation: 3 },
    { weight: 8, activation: 8 },
  ]);
});

test('a separate activation range: activation actions map into it, the walk-back stops at its minimum, the uniform W4A8 fits a size budget', () => {
  const ranges = { weight: { min: 2, max: 8 }, activation: { min: 8, max: 8 } };
  const layers = [layer('c1', 27, 10), layer('c2', 72, 10), layer('fc', 80, 10)];
  const bitops = costModel('bitops', layers);
  const env = new HaqEnvironment({ layers, quantizesActivations: true, ranges, cost: bitops, target: Infinity });
  env.reset();
  for (const action of [0.5, 0, 0.2, 0, 1, 1]) env.step(action);
  // weights 5, 3, 8 from the weight range; every activation action (0 included) is 8 bits.
  assert.deepEqual(env.policy(), [
    { weight: 8, activation: 8 },
    { weight: 3, activation: 8 },
    { weight: 8, activation: 8 },
  ]);
  // BitOps 10*64 + 10*8*8 + 10*64 = 1920 > 1500: activations cannot go below 8, so weights go down: c2 W8 -> 2 reaches 1440.
  const fitted = enforceBudget([{ weight: 8, activation: 8 }, { weight: 8, activation: 8 }, { weight: 8, activation: 8 }], bitops, 1500, ranges, true);
  assert.deepEqual(fitted[1], { weight: 2, activation: 8 });
  assert.equal(bitops.cost(fitted), 1440);
});

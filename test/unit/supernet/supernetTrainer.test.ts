import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImageDataset } from '../../../server/data/imageDataset';
import { extremeSubnet, type OfaSmallConfig } from '../../../server/supernet/ofaSmallConfig';
import { SupernetTrainer } from '../../../server/supernet/supernetTrainer';
import { randomValues } from '../support/backends';

const CONFIG: OfaSmallConfig = {
  input: [8, 8, 1],
  classes: 3,
  stem: 4,
  stemStride: 1,
  stages: [{ width: 6, stride: 2 }],
  kernels: [3, 5],
  expandRatios: [2, 3],
  depths: [1, 2],
  resolutions: [6, 8],
};

/** Images whose class is which third of the image is bright: learnable in a few steps. */
function dataset(count: number): ImageDataset {
  const noise = randomValues(count * 64, 5);
  const pixels = new Uint8Array(count * 64);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    labels[n] = n % 3;
    for (let p = 0; p < 64; p++) pixels[n * 64 + p] = Math.round(40 + 30 * noise[n * 64 + p] + (Math.floor((p % 8) / 3) === labels[n] ? 150 : 0));
  }
  return { name: 'thirds', shape: CONFIG.input, classes: 3, count, pixels, labels };
}

const options = { workers: 2, backend: 'wasm' as const, config: CONFIG, optimizer: { learningRate: 0.1, momentum: 0.9 }, train: dataset(96), normalization: { mean: [0.4], std: [0.3] } };
const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);

test('supernet replicas start identical (also with seed 0), train identically and learn; a saved state restores the same network', async () => {
  const trainer = await SupernetTrainer.start({ ...options, seed: 0 });
  let restored: SupernetTrainer | undefined;
  try {
    const largest = extremeSubnet(CONFIG, 'largest');
    const smallest = extremeSubnet(CONFIG, 'smallest');
    // The same sub-network evaluated on both workers: identical weights give identical scores.
    const [a, b] = await trainer.evaluate([largest, largest], range(0, 48), range(48, 96), 'train');
    assert.deepEqual(a, b);
    let first = 0;
    let last = 0;
    for (let step = 0; step < 12; step++) {
      const result = await trainer.step(range((step % 2) * 48, (step % 2) * 48 + 48), undefined, [largest, smallest], 0.1, 0);
      if (step === 0) first = result.loss;
      last = result.loss;
    }
    assert.ok(last < 0.5 * first, `loss ${first} -> ${last}`);
    const [c, d] = await trainer.evaluate([smallest, smallest], range(0, 48), range(48, 96), 'train');
    assert.deepEqual(c, d);
    assert.ok(c.accuracy > 0.6, `smallest sub-network accuracy ${c.accuracy}`);

    const state = await trainer.state();
    restored = await SupernetTrainer.start({ ...options, seed: 7 });
    await restored.setState(state);
    assert.deepEqual(await restored.evaluate([smallest, largest], range(0, 48), range(48, 96), 'train'), await trainer.evaluate([smallest, largest], range(0, 48), range(48, 96), 'train'));
    // Momentum came along: the next step is the same step.
    const next = range(0, 48);
    assert.deepEqual(await restored.step(next, undefined, [largest], 0.05, 0), await trainer.step(next, undefined, [largest], 0.05, 0));
    // With a frozen teacher (part of the state) and with in-place distillation the replicas stay in step too.
    await trainer.snapshotTeacher();
    await restored.setState(await trainer.state());
    assert.deepEqual(await restored.step(next, undefined, [smallest], 0.05, 1), await trainer.step(next, undefined, [smallest], 0.05, 1));
    const inplace = await trainer.step(next, undefined, [largest, smallest], 0.05, 1, true);
    assert.ok(Number.isFinite(inplace.loss) && inplace.accuracy > 0.5, JSON.stringify(inplace));
  } finally {
    await trainer.close();
    await restored?.close();
  }
});

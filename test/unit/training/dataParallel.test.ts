import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DataParallelTrainer } from '../../../server/training/dataParallelTrainer';
import { MobileNet, type MobileNetConfig } from '../../../server/training/mobileNet';
import { MomentumSgd } from '../../../server/training/momentumSgd';
import { trainStep } from '../../../server/training/trainStep';
import { maxAbs, maxAbsDifference, randomValues, wasmAndCpu } from '../support/backends';

before(wasmAndCpu);

const CONFIG: MobileNetConfig = {
  inputShape: [9, 9, 3],
  stemChannels: 6,
  stemStride: 1,
  stages: [
    { width: 8, depth: 2, stride: 2, kernelSize: [3, 5], expandRatio: [3, 1] },
    { width: 12, depth: 1, stride: 1, kernelSize: 5, expandRatio: 2 },
  ],
  classes: 4,
};
const BATCH = 8;

const STEPS = 3;
const OPTIMIZER = { learningRate: 0.05, momentum: 0.9 };
/** A learning-rate schedule, applied before each step in both runs. */
const RATES = [0.05, 0.03, 0.01];

test('data-parallel training on 2 workers equals single-process training on the whole batch', async () => {
  const batches = Array.from({ length: STEPS }, (_, s) => ({
    images: randomValues(BATCH * 9 * 9 * 3, 10 + s),
    labels: Int32Array.from(randomValues(BATCH, 20 + s), (v) => Math.floor((v + 1) * 2)),
  }));

  await tf.setBackend('wasm');
  const model = new MobileNet(CONFIG, 5);
  const sgd = new MomentumSgd(OPTIMIZER);
  const tensorCounts: number[] = [];
  const singleLosses = batches.map(({ images, labels }, s) => {
    sgd.learningRate = RATES[s];
    const loss = tf.tidy(() => trainStep(model, tf.tensor4d(images, [BATCH, ...CONFIG.inputShape]), tf.tensor1d(labels, 'int32'), sgd));
    tensorCounts.push(tf.memory().numTensors);
    return loss;
  });
  // No tensor leaks from a training step (the first step creates the momentum buffers).
  assert.equal(tensorCounts[STEPS - 1], tensorCounts[1]);
  const single = [...model.trainableVariables, ...model.stateVariables].map((v) => v.dataSync() as Float32Array);
  sgd.dispose();
  model.dispose();

  const trainer = await DataParallelTrainer.start({ workers: 2, backend: 'wasm', model: { kind: 'mobilenet', config: CONFIG, seed: 5 }, optimizer: OPTIMIZER, maxBatch: BATCH });
  try {
    const parallelLosses: number[] = [];
    for (const [s, { images, labels }] of batches.entries()) parallelLosses.push(await trainer.step(images, labels, RATES[s]));
    const [replica0, replica1] = [await trainer.weights(0), await trainer.weights(1)];

    assert.equal(replica0.length, single.length);
    for (let i = 0; i < single.length; i++) {
      assert.deepEqual(replica0[i], replica1[i], `replicas diverged in variable ${i}`);
      // Relative to the variable's magnitude, with an absolute floor: the shift of a batch norm
      // followed only by other batch norms has an exactly zero gradient, so its value is
      // accumulated rounding noise (~1e-9) in both computations.
      const error = maxAbsDifference(replica0[i], single[i]);
      assert.ok(error <= 1e-4 * maxAbs(single[i]) + 1e-6, `variable ${i}: max abs error ${error}`);
    }
    for (let s = 0; s < STEPS; s++) assert.ok(Math.abs(parallelLosses[s] - singleLosses[s]) <= 1e-4 * Math.abs(singleLosses[s]), `step ${s} loss ${parallelLosses[s]} vs ${singleLosses[s]}`);
    // The steps did train.
    assert.ok(singleLosses[STEPS - 1] !== singleLosses[0]);
  } finally {
    await trainer.close();
  }
});

test('a batch that does not split evenly over the workers is rejected', async () => {
  const trainer = await DataParallelTrainer.start({ workers: 2, backend: 'wasm', model: { kind: 'mobilenet', config: CONFIG, seed: 1 }, optimizer: OPTIMIZER, maxBatch: BATCH });
  try {
    await assert.rejects(trainer.step(new Float32Array(3 * 9 * 9 * 3), new Int32Array(3)), /divisible by 2 workers/);
  } finally {
    await trainer.close();
  }
});

test('a worker that fails makes start() reject with its error, and no worker is left running', async () => {
  const broken: MobileNetConfig = { ...CONFIG, stemChannels: -1 };
  await assert.rejects(
    DataParallelTrainer.start({ workers: 2, backend: 'wasm', model: { kind: 'mobilenet', config: broken, seed: 1 }, optimizer: OPTIMIZER, maxBatch: BATCH }),
    /training worker failed/,
  );
});

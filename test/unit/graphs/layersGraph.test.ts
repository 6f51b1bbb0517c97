import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { archToGraph } from '../../../server/graphs/archToGraph';
import { SpecError } from '../../../server/core/errors';

const arch = {
  space: 'layers',
  input: [28, 28, 1],
  layers: [
    { type: 'conv2d', filters: 16, kernel: 3, stride: 1, activation: 'relu' },
    { type: 'maxpool', size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 64, activation: 'relu' },
    { type: 'dropout', rate: 0.2 },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

test('shapes, params and multiply-accumulates by hand', () => {
  const graph = archToGraph(arch);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // conv: 28×28×1 -> 26×26×16 (valid padding); 3·3·1·16 weights + 16 biases; 9 MACs per output value.
  assert.deepEqual(byId.get('l0')?.metrics, { params: 160, flops: 9 * 16 * 26 * 26 });
  assert.equal(byId.get('l1')?.attributes.find(([k]) => k === 'output')?.[1], '13×13×16');
  assert.equal(byId.get('l2')?.attributes.find(([k]) => k === 'output')?.[1], '2704');
  assert.deepEqual(byId.get('l3')?.metrics, { params: 2704 * 64 + 64, flops: 2704 * 64 });
  assert.deepEqual(byId.get('l5')?.metrics, { params: 64 * 10 + 10, flops: 640 });
  assert.equal(graph.totals.params, 160 + 173_120 + 650);
  assert.deepEqual(graph.edges.map((e) => e.label), ['28×28×1', '26×26×16', '13×13×16', '2704', '64', '64', '10']);
});

test('param counts agree with TensorFlow.js for the same model', async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, strides: 1, activation: 'relu' }),
      tf.layers.batchNormalization(),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 8, kernelSize: 5, strides: 2, padding: 'same' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 32 }),
      tf.layers.dense({ units: 10 }),
    ],
  });
  const graph = archToGraph({
    space: 'layers',
    input: [28, 28, 1],
    layers: [
      { type: 'conv2d', filters: 16, kernel: 3, activation: 'relu' },
      { type: 'batchnorm' },
      { type: 'maxpool', size: 2 },
      { type: 'conv2d', filters: 8, kernel: 5, stride: 2, padding: 'same' },
      { type: 'flatten' },
      { type: 'dense', units: 32 },
      { type: 'dense', units: 10 },
    ],
  });
  assert.equal(graph.totals.params, model.countParams());
  assert.deepEqual(graph.nodes.at(-1)?.sublabel, (model.outputs[0].shape.slice(1) as number[]).join('×'));
  model.dispose();
});

test('bad layers name the offending path', () => {
  const bad = (layers: unknown[], pathText: string) =>
    assert.throws(() => archToGraph({ space: 'layers', input: [8, 8, 1], layers }), (e) => e instanceof SpecError && e.path.join('.') === pathText);
  bad([{ type: 'lstm' }], 'layers.0.type');
  bad([{ type: 'dense', units: 4 }], 'layers.0');
  bad([{ type: 'conv2d', filters: 0, kernel: 3 }], 'layers.0.filters');
  bad([{ type: 'conv2d', filters: 2, kernel: 9 }], 'layers.0');
  bad([{ type: 'dense', units: 4, activation: 'wiggle' }], 'layers.0.activation');
});

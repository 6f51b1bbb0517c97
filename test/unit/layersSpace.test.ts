import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../server/core/rng';
import { LayersSpace } from '../../server/spaces/layers/layersSpace';
import type { LayerStackArch } from '../../server/spaces/layers/layerSpec';
import { layersGraph } from '../../server/graphs/layersGraph';
import { SpecError } from '../../server/core/errors';

test('toArch/fromArch round-trip preserves the architecture (key) for random samples', () => {
  const space = new LayersSpace();
  const rng = new Rng(11);
  for (let i = 0; i < 200; i++) {
    const g = space.sample(rng);
    const back = space.fromArch(JSON.parse(JSON.stringify(space.toArch(g))));
    assert.equal(space.key(back), space.key(g));
  }
});

test('cardinality equals the number of distinct keys (enumerated)', () => {
  const space = new LayersSpace({ convBlocks: { max: 2, filters: [8, 16], kernels: [3] }, denseLayers: { max: 1, units: [32, 64] }, dropout: [0, 0.5] });
  const sizes = space.decisions.map((d) => d.choices.length);
  const keys = new Set<string>();
  const g = sizes.map(() => 0);
  const total = sizes.reduce((a, b) => a * b, 1);
  for (let n = 0; n < total; n++) {
    let r = n;
    for (let i = 0; i < sizes.length; i++) {
      g[i] = r % sizes[i];
      r = Math.floor(r / sizes[i]);
    }
    keys.add(space.key(g));
  }
  assert.equal(space.cardinality, keys.size);
});

test('costs of a small CNN from the layers space (same padding) match a hand computation', () => {
  const arch: LayerStackArch = {
    space: 'layers',
    input: [28, 28, 1],
    layers: [
      { type: 'conv2d', filters: 8, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
      { type: 'maxpool', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  };
  // conv: 3*3*1*8 weights + 8 biases = 80 params; 28*28 outputs * 9 * 8 = 56448 MACs.
  // pool -> 14x14x8 = 1568 features; dense: 1568*10 + 10 = 15690 params, 15680 MACs.
  const graph = layersGraph(arch);
  assert.deepEqual(graph.nodes.map((n) => n.id), ['input', 'l0', 'l1', 'l2', 'l3', 'output']);
  assert.equal(graph.totals.params, 80 + 15690);
  assert.equal(graph.totals.flops, 56448 + 15680);
});

test('impossible options are spec errors at the offending option', () => {
  assert.throws(() => new LayersSpace({ input: [8, 8, 1], convBlocks: { max: 4 } }), (e: unknown) => e instanceof SpecError && e.path.join('.') === 'convBlocks.max');
});

test('fromArch reports an unknown width with the layer position', () => {
  const space = new LayersSpace();
  const arch = { space: 'layers', layers: [{ type: 'conv2d', filters: 7, kernel: 3 }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] };
  assert.throws(() => space.fromArch(arch), (e: unknown) => e instanceof SpecError && /layer 0: filters 7/.test(e.message));
});

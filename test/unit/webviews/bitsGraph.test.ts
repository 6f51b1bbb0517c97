import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArchGraph } from '../../../contract/architecture';
import { bitsByNode, bitsClass, withBits } from '../../../webviews/quantization/bitsGraph';

const graph: ArchGraph = {
  space: 'tfjs',
  title: 'tiny',
  direction: 'down',
  nodes: [
    { id: 'input', label: 'Input', kind: 'input', metrics: {}, attributes: [] },
    { id: 'conv', label: 'Conv2D', sublabel: '3×3 · 4', kind: 'conv', metrics: {}, attributes: [['filters', '4']] },
    { id: 'dense', label: 'Dense', kind: 'dense', metrics: {}, attributes: [] },
  ],
  edges: [],
  groups: [],
  totals: {},
};
const layers = [
  { name: 'conv', kind: 'conv' as const, weights: 36, macs: 1000 },
  { name: 'dense', kind: 'dense' as const, weights: 100, macs: 100 },
];

test('bits per layer: the policy goes to the node of the layer with the same name, as text on its second line and in its tooltip', () => {
  const bits = bitsByNode(layers, [{ weight: 3, activation: 6 }, { weight: 8, activation: 32 }]);
  assert.deepEqual([...bits.keys()], ['conv', 'dense']);
  const shown = withBits(graph, bits);
  assert.deepEqual(shown.nodes.map((n) => n.sublabel), [undefined, 'W3A6 · 3×3 · 4', 'W8']);
  assert.deepEqual(shown.nodes[1].attributes, [['bits', 'W3A6'], ['filters', '4']]);
  assert.equal(shown.nodes[0], graph.nodes[0], 'layers without bits are left as they are');
});

test('bits colours: one class per weight bit width, 8 bits and above sharing the last', () => {
  assert.deepEqual([1, 2, 4, 8, 16].map(bitsClass), ['nas-bits-1', 'nas-bits-2', 'nas-bits-4', 'nas-bits-8', 'nas-bits-8']);
});

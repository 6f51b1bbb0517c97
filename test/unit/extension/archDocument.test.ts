import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archDocumentGraph } from '../../../extension/archDocument';

const exported = {
  space: 'layers',
  input: [28, 28, 1],
  layers: [{ type: 'flatten' }, { type: 'dense', units: 64, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }],
  description: 'fc64',
  trial: 2,
  metrics: { val_accuracy: 0.52 },
};

test('an exported architecture: its graph, titled with the file, description and trial', () => {
  const result = archDocumentGraph(JSON.stringify(exported, null, 2), 'best.arch.json');
  assert.equal(result.title, 'best.arch.json · fc64 · trial 2');
  assert.deepEqual(result.graph.nodes.map((n) => n.id), ['input', 'l0', 'l1', 'l2', 'output']);
  // 784*64+64 + 64*10+10 weights, as TensorFlow.js counts them.
  assert.equal(result.graph.totals.params, 784 * 64 + 64 + 64 * 10 + 10);
  assert.equal(result.supernet, undefined);
});

test('NAS-Bench-201 cells come with their supernet view', () => {
  const result = archDocumentGraph('{"space": "nb201", "arch": "|none~0|+|skip_connect~0|none~1|+|none~0|none~1|nor_conv_3x3~2|"}', 'cell.arch.json');
  assert.equal(result.title, 'cell.arch.json');
  assert.ok(result.supernet && result.supernet.nodes.length > result.graph.nodes.length);
});

test('broken text names the line; a bad architecture names the field', () => {
  assert.throws(() => archDocumentGraph('{\n  "space": "layers",\n  "layers": [\n}', 'x.arch.json'), /^Error: x\.arch\.json, line 4: ValueExpected$/);
  assert.throws(() => archDocumentGraph('{"space": "resnet"}', 'x.arch.json'), /x\.arch\.json: no graph for search space "resnet"/);
  assert.throws(() => archDocumentGraph('{"space": "layers", "input": [28, 28, 1], "layers": [{"type": "flatten"}, {"type": "dense"}]}', 'x.arch.json'), /x\.arch\.json: .*layers\.1\.units|x\.arch\.json: .*units/);
});

// Issue 14: an AdaNet ensemble draws as its members side by side feeding one weighted sum.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archToGraph } from '../../server/graphs/archToGraph';

const member = (layers: unknown[]) => ({ space: 'layers', input: [28, 28, 1], layers: [{ type: 'flatten' }, ...layers, { type: 'dense', units: 10, activation: 'softmax' }] });
const ensemble = {
  space: 'ensemble',
  members: [
    { trial: 0, weights: [0.8], arch: member([]) },
    { trial: 3, weights: [0.6], arch: member([{ type: 'dense', units: 16, activation: 'relu' }]) },
  ],
  bias: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
};

test('two members from one input, their logits weighted into one sum, then softmax', () => {
  const graph = archToGraph(ensemble);
  assert.deepEqual(graph.groups?.map((g) => g.label), ['Member 1 · trial 0 · w 0.800', 'Member 2 · trial 3 · w 0.600']);
  assert.equal(graph.nodes.filter((n) => n.kind === 'input').length, 1, 'one shared input');
  const intoMixture = graph.edges.filter((e) => e.target === 'mixture');
  assert.deepEqual(intoMixture.map((e) => [graph.nodes.find((n) => n.id === e.source)?.group, e.label]), [['member0', '× 0.800'], ['member1', '× 0.600']]);
  for (const e of intoMixture) assert.equal(graph.nodes.find((n) => n.id === e.source)?.label, 'Dense (logits)');
  const fromInput = graph.edges.filter((e) => e.source === 'input').map((e) => graph.nodes.find((n) => n.id === e.target)?.group);
  assert.deepEqual(fromInput, ['member0', 'member1']);
  const mixture = graph.nodes.find((n) => n.id === 'mixture')!;
  assert.equal(mixture.sublabel, 'Σ w_j · logits_j', 'a zero bias is not drawn');
  assert.equal(mixture.metrics.params, 2 + 10);
  assert.deepEqual(graph.edges.filter((e) => e.source === 'mixture' || e.source === 'softmax').map((e) => e.id), ['mixture->softmax', 'softmax->output']);
  // Member 2 holds its hidden layer: 784·16 + 16 and 16·10 + 10 weights.
  const params = graph.nodes.filter((n) => n.group === 'member1').reduce((s, n) => s + (n.metrics.params ?? 0), 0);
  assert.equal(params, 784 * 16 + 16 + 16 * 10 + 10);
});

test('per-class weights and a bias are shown; a member without weights or with a bad layer names its path', () => {
  const vector = { ...ensemble, members: [{ ...ensemble.members[0], weights: [0.5, 1.5] }], bias: [0.1, 0] };
  const graph = archToGraph(vector);
  assert.equal(graph.groups?.[0].label, 'Member 1 · trial 0 · w per class, mean 1.000');
  assert.equal(graph.nodes.find((n) => n.id === 'mixture')?.sublabel, 'Σ w_j · logits_j + b');
  assert.throws(() => archToGraph({ ...ensemble, members: [] }), /at least one member/);
  assert.throws(() => archToGraph({ ...ensemble, members: [{ ...ensemble.members[0], weights: [] }] }), (e: Error & { path?: unknown[] }) => /mixture weight/.test(e.message) && JSON.stringify(e.path) === '["members",0,"weights"]');
  const bad = { ...ensemble, members: [{ ...ensemble.members[0], arch: member([{ type: 'dense', units: -3, activation: 'relu' }]) }] };
  assert.throws(() => archToGraph(bad), (e: Error & { path?: unknown[] }) => JSON.stringify(e.path?.slice(0, 3)) === '["members",0,"arch"]');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { archToGraph } from '../../../server/graphs/archToGraph';
import { layerFlops, layerParams } from '../../../server/spaces/ofa/mbv3Cost';
import { blockLayer } from '../../../server/spaces/ofa/mbv3Network';
import { SpecError } from '../../../server/core/errors';

const dataDir = process.env.NAS_SHARED_DATA ?? path.resolve(import.meta.dirname, '../../../../shared/data');
const vectorsFile = path.join(dataDir, 'ofa/vectors.json');

function ofa(ks: number, e: number, d: number[], r = 224) {
  return { space: 'ofa-mbv3', ks: new Array(20).fill(ks), e: new Array(20).fill(e), d, r };
}

test('a stride-2 block without SE costs what a hand computation gives', () => {
  // 112×112×24 in, expand 3 -> 72 channels, 3×3 depthwise /2 -> 56×56, project to 32.
  const expand = 24 * 72 * 112 * 112;
  const depthwise = 3 * 3 * 72 * 56 * 56;
  const project = 72 * 32 * 56 * 56;
  const params = 24 * 72 + 2 * 72 + 3 * 3 * 72 + 2 * 72 + 72 * 32 + 2 * 32;
  const block = blockLayer(224, 0, 3, 3); // stage 1's first block at r=224
  assert.equal(layerFlops(block), expand + depthwise + project);
  assert.equal(layerParams(block), params);
  assert.equal(block.mid, 72);
  const node = archToGraph(ofa(3, 3, [2, 2, 2, 2, 2])).nodes.find((n) => n.id === 'b0');
  assert.deepEqual(node?.metrics, { params, flops: expand + depthwise + project });
});

test('a block with squeeze-and-excite adds two biased 1×1 convolutions on pooled features', () => {
  // 56×56×32 in, expand 4 -> 128, 5×5 depthwise /2 -> 28×28, SE 128 -> 32 -> 128, project to 48.
  const flops = 32 * 128 * 56 * 56 + 25 * 128 * 28 * 28 + (128 * 32 + 32 * 128) + 128 * 48 * 28 * 28;
  const params = 32 * 128 + 256 + 25 * 128 + 256 + (128 * 32 + 32) + (32 * 128 + 128) + 128 * 48 + 96;
  const block = blockLayer(224, 4, 5, 4); // stage 2's first block at r=224
  assert.equal(layerFlops(block), flops);
  assert.equal(layerParams(block), params);
});

test('skipped blocks stay visible, inactive, and bypassed by a solid edge', () => {
  const graph = archToGraph(ofa(5, 4, [2, 3, 4, 2, 4]));
  assert.equal(graph.nodes.length, 1 + 2 + 20 + 4 + 1);
  assert.equal(graph.groups.length, 5);
  const skipped = graph.nodes.filter((n) => n.inactive).map((n) => n.id);
  assert.deepEqual(skipped, ['b2', 'b3', 'b7', 'b14', 'b15']);
  const edge = (s: string, t: string) => graph.edges.find((e) => e.source === s && e.target === t);
  assert.equal(edge('b1', 'b4')?.inactive, undefined, 'data bypasses the skipped blocks of stage 1');
  assert.equal(edge('b1', 'b2')?.inactive, true);
  assert.equal(edge('b3', 'b4')?.inactive, true);
  assert.equal(edge('b13', 'b16')?.inactive, undefined);
  assert.ok(graph.nodes.filter((n) => n.group === 'stage3').length === 4);
  assert.ok(graph.totals.flops && graph.totals.params);
});

test('supernet view marks the chosen kernel and expand ratio of every active block', () => {
  const graph = archToGraph({ ...ofa(7, 6, [4, 4, 4, 4, 4]), ks: [3, 5, 7, ...new Array(17).fill(7)] }, { supernet: true });
  const b1 = graph.nodes.find((n) => n.id === 'b1');
  assert.deepEqual(
    b1?.choices?.map((c) => c.options.filter((o) => o.active).map((o) => o.label)),
    [['5×5'], ['×6']],
  );
});

test('caller-supplied latency per node fills the latency total', () => {
  const arch = ofa(3, 3, [2, 2, 2, 2, 2]);
  const plain = archToGraph(arch);
  assert.equal(plain.totals.latencyMs, undefined, 'no latency is invented');
  const details = Object.fromEntries(plain.nodes.filter((n) => !n.inactive && n.kind !== 'input' && n.kind !== 'output').map((n) => [n.id, { latencyMs: 0.5 }]));
  const graph = archToGraph(arch, { details });
  assert.equal(graph.totals.latencyMs, 0.5 * Object.keys(details).length);
});

test('FLOPs match the Once-for-All counter on its 24 reference architectures', (t) => {
  if (!existsSync(vectorsFile)) {
    t.skip(`reference data not found at ${vectorsFile} (set NAS_SHARED_DATA)`);
    return;
  }
  const vectors = JSON.parse(readFileSync(vectorsFile, 'utf8')) as {
    vectors: { name: string; arch: { ks: number[]; e: number[]; d: number[]; r: number }; flops_ofa_real_net_M: number }[];
  };
  assert.equal(vectors.vectors.length, 24);
  for (const v of vectors.vectors) {
    const graph = archToGraph({ space: 'ofa-mbv3', ...v.arch });
    assert.ok(Math.abs((graph.totals.flops ?? 0) / 1e6 - v.flops_ofa_real_net_M) < 1e-6, `${v.name}: ${graph.totals.flops} vs ${v.flops_ofa_real_net_M}M`);
  }
});

test('malformed OFA architectures name the offending field', () => {
  assert.throws(() => archToGraph({ ...ofa(3, 3, [2, 2, 2, 2, 2]), ks: [4, ...new Array(19).fill(3)] }), (e) => e instanceof SpecError && e.path.join('.') === 'ks.0');
  assert.throws(() => archToGraph({ ...ofa(3, 3, [2, 2, 2, 2]) }), (e) => e instanceof SpecError && e.path.join('.') === 'd');
  assert.throws(() => archToGraph({ ...ofa(3, 3, [2, 2, 2, 2, 9]) }), (e) => e instanceof SpecError && e.path.join('.') === 'd.4');
  assert.throws(() => archToGraph({ space: 'darts' }), (e) => e instanceof SpecError && /no graph for search space "darts"/.test(e.message));
});

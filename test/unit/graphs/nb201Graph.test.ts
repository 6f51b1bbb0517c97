import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archToGraph } from '../../../server/graphs/archToGraph';
import { parseNb201 } from '../../../server/graphs/nb201Graph';
import { SpecError } from '../../../server/core/errors';

const cell = '|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|';

test('parses every edge j -> i with its operation', () => {
  assert.deepEqual(
    parseNb201(cell).map((e) => `${e.from}${e.to}:${e.op}`),
    ['01:nor_conv_3x3', '02:none', '12:skip_connect', '03:avg_pool_3x3', '13:nor_conv_1x1', '23:nor_conv_3x3'],
  );
});

test('cell graph: 4 nodes, 6 labelled edges, none dashed', () => {
  const graph = archToGraph({ space: 'nb201', arch: cell });
  assert.equal(graph.nodes.length, 4);
  assert.equal(graph.edges.length, 6);
  assert.deepEqual(graph.edges.filter((e) => e.inactive).map((e) => e.id), ['n0->n2']);
  assert.equal(graph.edges.find((e) => e.id === 'n2->n3')?.label, 'conv 3×3');
});

test('supernet graph: five candidates per edge, the chosen six active', () => {
  const graph = archToGraph({ space: 'nb201', arch: cell }, { supernet: true });
  const ops = graph.nodes.filter((n) => n.kind === 'op');
  assert.equal(ops.length, 30);
  assert.deepEqual(
    ops.filter((n) => !n.inactive).map((n) => n.id),
    ['e01-nor_conv_3x3', 'e02-none', 'e12-skip_connect', 'e03-avg_pool_3x3', 'e13-nor_conv_1x1', 'e23-nor_conv_3x3'],
  );
  // The chosen `none` carries no data, so both of its edges are dashed.
  assert.equal(graph.edges.filter((e) => !e.inactive).length, 2 * 5);
});

test('malformed cells are rejected with a reason', () => {
  for (const [bad, reason] of [
    ['|nor_conv_3x3~0|+|none~0|skip_connect~1|', /3 groups/],
    ['|conv~0|+|none~0|skip_connect~1|+|none~0|none~1|none~2|', /unknown operation "conv"/],
    ['|none~1|+|none~0|skip_connect~1|+|none~0|none~1|none~2|', /must read from node 0/],
  ] as const) {
    assert.throws(() => archToGraph({ space: 'nb201', arch: bad }), (e) => e instanceof SpecError && reason.test(e.message));
  }
});

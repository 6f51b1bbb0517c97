import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archToGraph } from '../../../server/graphs/archToGraph';
import type { ArchGraph } from '../../../contract/architecture';
import { miniGraphPalettes, miniGraphSvg } from '../../../extension/miniGraphSvg';

const count = (svg: string, pattern: RegExp) => (svg.match(pattern) ?? []).length;

test('OFA: one box per active node, skipped blocks left out, bypasses drawn as plain edges', () => {
  const graph = archToGraph({ space: 'ofa-mbv3', ks: new Array(20).fill(5), e: new Array(20).fill(4), d: [2, 3, 4, 2, 3], r: 224 });
  const active = graph.nodes.filter((n) => !n.inactive);
  const picture = miniGraphSvg(graph, miniGraphPalettes.dark);
  assert.equal(picture.nodes, active.length);
  assert.equal(count(picture.svg, /<g data-node="/g), active.length);
  assert.ok(!picture.svg.includes('data-node="b2"'), 'skipped block b2 is not drawn');
  // A chain: one edge fewer than nodes (plus the arrow head's path in <defs>).
  assert.equal(count(picture.svg, /<path /g), active.length - 1 + 1);
  assert.ok(picture.width <= 480 && picture.height > 0);
  assert.match(picture.svg, new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" width="${picture.width}" height="${picture.height}"`));
});

test('NAS-Bench-201: `none` edges vanish, rank-skipping edges arc above the row with their operation', () => {
  const graph = archToGraph({ space: 'nb201', arch: '|nor_conv_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|' });
  const picture = miniGraphSvg(graph, miniGraphPalettes.light);
  assert.equal(picture.nodes, 4);
  assert.equal(count(picture.svg, /<path d="M[^"]*Q/g), 1, 'node 0 -> node 3 skips node 1/2 rank: one arc');
  assert.equal(count(picture.svg, /<path /g), 5 + 1, 'five operations that are not none, plus the arrow head');
  assert.match(picture.svg, />avg pool 3×3</);
});

test('labels are XML-escaped and shortened to fit their box', () => {
  const graph: ArchGraph = {
    space: 'layers',
    title: 'a <b> & "c"',
    direction: 'down',
    nodes: [
      { id: 'in', label: '<script>alert(1)</script>', kind: 'input', metrics: {}, attributes: [] },
      { id: 'x"y', label: 'A & B', sublabel: "it's", kind: 'dense', metrics: {}, attributes: [] },
    ],
    edges: [{ id: 'e', source: 'in', target: 'x"y', label: '<1>' }],
    groups: [],
    totals: {},
  };
  const { svg } = miniGraphSvg(graph, miniGraphPalettes.highContrast);
  assert.ok(!svg.includes('<script'), svg);
  assert.match(svg, /&#60;script&#62;/);
  assert.match(svg, />A &#38; B</);
  assert.match(svg, />it&#39;s</);
  assert.match(svg, /data-node="x&#34;y"/);
  assert.match(svg, /<title>a &#60;b&#62; &#38; &#34;c&#34;: 2 nodes<\/title>/);
  // Text content holds no raw markup characters.
  for (const [, content] of svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)) assert.doesNotMatch(content, /[<>"]/);
  assert.match(svg, /…</, 'the long label is shortened');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpecError } from '../../server/core/errors';
import { Rng } from '../../server/core/rng';
import { NB201_OPS, formatArchString, parseArchString } from '../../server/spaces/nb201/archString';
import { PATH_ENCODING_SIZE, pathEncoding } from '../../server/spaces/nb201/pathEncoding';
import { Nb201Space, nb201SpaceDefinition } from '../../server/spaces/nb201/nb201Space';

const BEST_CIFAR10 = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|';
const [NONE, SKIP, CONV1, CONV3, POOL] = [0, 1, 2, 3, 4];

test('the official arch string parses edge by edge in the order node1, node2, node3', () => {
  // edges: 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2
  assert.deepEqual(parseArchString(BEST_CIFAR10), [CONV3, CONV3, CONV3, SKIP, CONV1, CONV3]);
  assert.equal(formatArchString([CONV3, CONV3, CONV3, SKIP, CONV1, CONV3]), BEST_CIFAR10);
  assert.deepEqual(NB201_OPS, ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3']);
});

test('every one of the 15625 cells prints and parses back to itself', () => {
  const space = new Nb201Space();
  assert.equal(space.cardinality, 15625);
  const seen = new Set<string>();
  for (let code = 0; code < 15625; code++) {
    const genome = Array.from({ length: 6 }, (_, i) => Math.floor(code / 5 ** i) % 5);
    const text = formatArchString(genome);
    assert.deepEqual(parseArchString(text), genome);
    seen.add(space.key(genome));
  }
  assert.equal(seen.size, 15625);
});

test('an unknown operation is reported with its edge and character position', () => {
  const text = '|nor_conv_3x3~0|+|nor_conv_3x3~0|conv_5x5~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|';
  assert.throws(
    () => parseArchString(text),
    (error: unknown) =>
      error instanceof SpecError &&
      error.message.includes('unknown operation "conv_5x5" on edge 2<-1') &&
      // 1-based offset of "conv_5x5~1" in the string
      error.message.includes(`at character ${text.indexOf('conv_5x5') + 1}`),
  );
});

test('malformed arch strings name what is wrong', () => {
  assert.throws(() => parseArchString('|nor_conv_3x3~0|+|none~0|none~1|'), /expected 3 nodes/);
  assert.throws(() => parseArchString('|none~0|+|none~0|+|none~0|none~1|none~2|'), /node 2 must have 2 inputs, found 1/);
  assert.throws(() => parseArchString('|none~0|+|none~0|none~2|+|none~0|none~1|none~2|'), /input 1 must be written as "op~1", found "none~2"/);
  assert.throws(() => parseArchString('none~0+|none~0|none~1|+|none~0|none~1|none~2|'), /node 1 must be written as \|op~input\|/);
});

test('fromArch takes the ArchJson form or the bare string; errors carry the JSON path', () => {
  const space = new Nb201Space();
  const genome = space.fromArch(BEST_CIFAR10);
  assert.deepEqual(space.fromArch(space.toArch(genome)), genome);
  assert.deepEqual(space.toArch(genome), { space: 'nb201', arch: BEST_CIFAR10 });
  assert.equal(space.key(genome), BEST_CIFAR10);
  assert.equal(space.describe(genome), '3x3 + 3x3 3x3 + skip 1x1 3x3');
  assert.throws(
    () => space.fromArch({ space: 'nb201', arch: BEST_CIFAR10.replace('nor_conv_1x1', 'max_pool') }),
    (e: unknown) => e instanceof SpecError && e.path.join('.') === 'arch' && /unknown operation "max_pool" on edge 3<-1/.test(e.message),
  );
  assert.throws(() => space.fromArch({ space: 'ofa-mbv3', arch: BEST_CIFAR10 }), (e: unknown) => e instanceof SpecError && e.path[0] === 'space');
  assert.throws(() => space.fromArch(42), SpecError);
});

test('one-hot encoding: 6 blocks of 5, one bit per edge', () => {
  const space = new Nb201Space('one-hot');
  const x = space.encode([NONE, SKIP, CONV1, CONV3, POOL, CONV3]);
  assert.equal(x.length, 30);
  const ones = [...x.keys()].filter((i) => x[i] === 1);
  assert.deepEqual(ones, [0, 5 + 1, 10 + 2, 15 + 3, 20 + 4, 25 + 3]);
});

test('path encoding: one feature per (route, operations), hand-checked', () => {
  // Routes in the encoding's order and offsets: 0->1->2->3 (64 features), 0->1->3 (16),
  // 0->2->3 (16), 0->3 (4); an operation o on a path contributes digit o-1 in base 4.
  assert.equal(PATH_ENCODING_SIZE, 100);
  const setBits = (g: number[]) => {
    const x = pathEncoding(g);
    return [...x.keys()].filter((i) => x[i] === 1);
  };
  assert.deepEqual(setBits([NONE, NONE, NONE, NONE, NONE, NONE]), []);
  assert.deepEqual(setBits([NONE, NONE, NONE, SKIP, NONE, NONE]), [96]);
  const c = CONV3 - 1;
  assert.deepEqual(setBits([CONV3, CONV3, CONV3, CONV3, CONV3, CONV3]), [c * 16 + c * 4 + c, 64 + c * 4 + c, 80 + c * 4 + c, 96 + c]);
  // 0->1 pool, 1->2 skip, 2->3 1x1; 1->3 none cuts route 0->1->3; 0->2 none cuts 0->2->3.
  assert.deepEqual(setBits([POOL, NONE, SKIP, CONV1, NONE, CONV1]), [(POOL - 1) * 16 + (SKIP - 1) * 4 + (CONV1 - 1), 96 + (CONV1 - 1)]);
  const both = new Nb201Space('one-hot+path').encode([CONV3, CONV3, CONV3, CONV3, CONV3, CONV3]);
  assert.equal(both.length, 130);
  assert.equal(both.reduce((a, b) => a + b, 0), 6 + 4);
});

test('mutation changes exactly one edge; crossover takes every edge from a parent', () => {
  const space = new Nb201Space();
  const rng = new Rng(3);
  for (let i = 0; i < 200; i++) {
    const a = space.sample(rng);
    const b = space.sample(rng);
    const m = space.mutate(a, rng);
    assert.equal(m.filter((g, k) => g !== a[k]).length, 1);
    const child = space.crossover(a, b, rng);
    child.forEach((g, k) => assert.ok(g === a[k] || g === b[k]));
  }
});

test('the space definition builds the space with the chosen encoding', () => {
  assert.equal(nb201SpaceDefinition.type, 'nb201');
  const space = nb201SpaceDefinition.create({ encoding: 'one-hot' });
  assert.equal(space.encode(space.sample(new Rng(1))).length, 30);
  assert.equal(nb201SpaceDefinition.create({}).encode([0, 0, 0, 1, 0, 0]).length, 130); // one-hot+path by default
});

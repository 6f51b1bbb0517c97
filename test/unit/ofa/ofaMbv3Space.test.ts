import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../server/core/rng';
import { SpecError } from '../../../server/core/errors';
import { D_OFFSET, E_OFFSET, KS_OFFSET, OfaMbv3Space, R_INDEX, ofaMbv3Space } from '../../../server/spaces/ofa/ofaMbv3Space';
import { blockLayer, makeDivisible } from '../../../server/spaces/ofa/mbv3Network';
import { layerFlops, layerParams } from '../../../server/spaces/ofa/mbv3Cost';

const space = new OfaMbv3Space();
const notebook = { ks: [5, 3, 3, 3, 5, 3, 3, 3, 7, 7, 3, 3, 5, 5, 7, 3, 3, 3, 5, 3], e: [3, 3, 3, 3, 4, 4, 3, 3, 6, 3, 4, 3, 4, 4, 4, 3, 6, 6, 6, 3], d: [2, 2, 3, 4, 3], r: 192 };

test('46 decisions in the documented layout; cardinality counts canonical architectures', () => {
  assert.equal(space.decisions.length, 46);
  assert.equal(space.decisions[KS_OFFSET + 3].name, 'ks3');
  assert.equal(space.decisions[E_OFFSET].name, 'e0');
  assert.equal(space.decisions[D_OFFSET + 4].name, 'd4');
  assert.equal(space.decisions[R_INDEX].name, 'r');
  // Per stage: 9^2 + 9^3 + 9^4 block settings; five stages; five resolutions.
  assert.equal(space.cardinality, 5 * (81 + 729 + 6561) ** 5);
});

test('toArch/fromArch round-trip; OFA spellings accepted; key ignores skipped blocks', () => {
  const genome = space.fromArch(notebook);
  assert.deepEqual(space.toArch(genome), { space: 'ofa-mbv3', ...notebook });
  assert.deepEqual(space.fromArch({ ...notebook, space: 'ofa-mbv3' }), genome);
  const { r, ...rest } = notebook;
  assert.deepEqual(space.fromArch({ ...rest, r: [r] }), genome);
  assert.deepEqual(space.fromArch({ ...rest, image_size: r }), genome);
  // Block 2 is skipped (stage 0 has depth 2): its genes change nothing that matters.
  const skippedChanged = space.fromArch({ ...notebook, ks: notebook.ks.map((k, i) => (i === 2 ? 7 : k)), e: notebook.e.map((e, i) => (i === 3 ? 6 : e)) });
  assert.notDeepEqual(skippedChanged, genome);
  assert.equal(space.key(skippedChanged), space.key(genome));
  assert.deepEqual(space.encode(skippedChanged), space.encode(genome));
  assert.equal(space.flops(skippedChanged), space.flops(genome));
  const activeChanged = space.fromArch({ ...notebook, ks: notebook.ks.map((k, i) => (i === 0 ? 7 : k)) });
  assert.notEqual(space.key(activeChanged), space.key(genome));
  assert.equal(space.describe(genome), 'r192 d22343 k53|53|773|5573|335 e33|44|634|4443|666');
});

test('fromArch rejects bad input with the path of the offending field', () => {
  const cases: [unknown, (string | number)[], RegExp][] = [
    [null, [], /must be an object/],
    [{ ...notebook, space: 'nb201' }, ['space'], /nb201/],
    [{ ...notebook, ks: [3, 5] }, ['ks'], /list of 20/],
    [{ ...notebook, e: notebook.e.map((e, i) => (i === 7 ? 5 : e)) }, ['e', 7], /e\[7\] must be one of 3, 4, 6; got 5/],
    [{ ...notebook, d: [2, 2, 3, 4, 1] }, ['d', 4], /d\[4\]/],
    [{ ...notebook, r: 200 }, ['r'], /r must be one of 160, 176, 192, 208, 224; got 200/],
  ];
  for (const [arch, path, message] of cases) {
    assert.throws(
      () => space.fromArch(arch),
      (error: unknown) => error instanceof SpecError && message.test(error.message) && JSON.stringify(error.path) === JSON.stringify(path),
      JSON.stringify(arch),
    );
  }
});

test('resolution options: LUT step-4 list accepted, out-of-encoding and duplicate values rejected with paths', () => {
  assert.deepEqual(ofaMbv3Space.create({ resolutions: [224, 164, 160] }).decisions[R_INDEX].choices, [160, 164, 224]);
  assert.throws(() => ofaMbv3Space.create({ resolutions: [160, 96] }), (e: unknown) => e instanceof SpecError && e.path.join('/') === 'resolutions/1');
  assert.throws(() => ofaMbv3Space.create({ resolutions: [160, 160] }), /listed twice/);
  assert.throws(() => ofaMbv3Space.create({ resolutions: [] }), /non-empty/);
});

test('mutate without probability changes exactly one decision that matters', () => {
  const rng = new Rng(3);
  for (let t = 0; t < 200; t++) {
    const genome = space.sample(rng);
    const child = space.mutate(genome, rng);
    const changed = child.map((g, i) => (g !== genome[i] ? i : -1)).filter((i) => i >= 0);
    assert.equal(changed.length, 1);
    assert.notEqual(space.key(child), space.key(genome));
  }
});

test("OFA mutation: probability 0 keeps the genome, 1 resamples kernel and expand of every block together", () => {
  const rng = new Rng(5);
  const genome = space.sample(rng);
  assert.deepEqual(space.mutate(genome, rng, 0), genome);
  // With probability 1 every gene is redrawn uniformly: over many draws each block's (ks, e)
  // pair covers all 9 combinations, as OFA's random_resample does.
  const seen = new Set<string>();
  for (let t = 0; t < 300; t++) {
    const child = space.mutate(genome, rng, 1);
    seen.add(`${child[KS_OFFSET]},${child[E_OFFSET]}`);
  }
  assert.equal(seen.size, 9);
});

test('crossover takes every gene from one of the parents', () => {
  const rng = new Rng(9);
  const a = space.sample(rng);
  const b = space.sample(rng);
  const child = space.crossover(a, b, rng);
  child.forEach((g, i) => assert.ok(g === a[i] || g === b[i]));
});

test('layer cost formulas match a hand count for one squeeze-excite block', () => {
  // Stage 1, first block at r=224: 56x56x32 -> 28x28x48, expand 4 (mid 128), kernel 5, stride 2, SE.
  const layer = blockLayer(224, 4, 5, 4);
  assert.deepEqual(
    { inSize: layer.inSize, outSize: layer.outSize, mid: layer.mid, stride: layer.stride, se: layer.se, idSkip: layer.idSkip },
    { inSize: 56, outSize: 28, mid: 128, stride: 2, se: true, idSkip: false },
  );
  const se = makeDivisible(128 / 4); // 32
  assert.equal(se, 32);
  assert.equal(layerFlops(layer), 32 * 128 * 56 * 56 + 128 * 25 * 28 * 28 + 2 * 128 * se + 128 * 48 * 28 * 28);
  assert.equal(layerParams(layer), 32 * 128 + 2 * 128 + (128 * 25 + 2 * 128) + (128 * se + se + se * 128 + 128) + (128 * 48 + 2 * 48));
});

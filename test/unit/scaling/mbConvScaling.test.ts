// Compound scaling of MBConv networks (a derived ProxylessNAS network, an ofa-small sub-network)
// as tensorflow/tpu efficientnet_builder scales its block arguments: round_filters on the stem
// and every stage's width, round_repeats on every stage's blocks, the input side rounded to the
// network's total stride. Expected networks below are computed by hand from those rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpecError } from '../../../server/core/errors';
import type { ProxylessArch } from '../../../server/proxyless/proxylessArch';
import { compoundCoefficients } from '../../../server/scaling/compoundScaling';
import { matchFlops } from '../../../server/scaling/flopsMatching';
import { ofaSubnetNetwork } from '../../../server/scaling/ofaSubnetNetwork';
import { archFlops, defaultResolutionMultiple, scaleArch } from '../../../server/scaling/scalableArch';
import { checkScalableMbConv, describeMbConv } from '../../../server/scaling/scaledMbConvNetwork';
import { resolveBase } from '../../../server/scaling/scalingBase';
import { resolveOfaSmall } from '../../../server/supernet/ofaSmallOptions';
import { validateSupernetSpecText } from '../../../server/supernet/validateSupernet';
import { DataError } from '../../../server/core/errors';
import { RunService } from '../../../server/runs/runService';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A hand-made derived network: 32 px, stem 16, stages of 2, 2 (+ a skipped block) and 1 blocks. */
const BASE: ProxylessArch = {
  space: 'proxyless',
  input: [32, 32, 1],
  classes: 10,
  stem: 16,
  stemStride: 1,
  stages: [
    { width: 24, stride: 2, ops: ['3x3_MBConv3', '3x3_MBConv6'] },
    { width: 40, stride: 2, ops: ['5x5_MBConv6', 'Zero', '3x3_MBConv3'] },
    { width: 80, stride: 2, ops: ['3x3_MBConv6'] },
  ],
};

/** The paper's B0 coefficients. */
const ALPHA_BETA_GAMMA = { depth: 1.2, width: 1.1, resolution: 1.15 };
const ROUNDING = { divisor: 8, resolutionMultiple: 8 };

test('the default resolution multiple of an MBConv network is its stem stride times its stage strides', () => {
  assert.equal(defaultResolutionMultiple(BASE), 8);
  assert.equal(defaultResolutionMultiple({ ...BASE, stemStride: 2 }), 16);
});

test('φ = 1 with (1.2, 1.1, 1.15): widths round_filters(·, 1.1), repeats ceil(1.2·n) after dropping skipped blocks, 32 px × 1.15 rounded to 8', () => {
  // stem 16·1.1 = 17.6 → 16 (not below 90 %); 24·1.1 = 26.4 → 24; 40·1.1 = 44 → 48; 80·1.1 = 88 → 88.
  // repeats: ceil(2·1.2) = 3, ceil(2·1.2) = 3 (Zero dropped), ceil(1·1.2) = 2; extra repeats copy the stage's last block.
  // input 32·1.15 = 36.8 → 5 multiples of 8 = 40.
  const scaled = scaleArch(BASE, compoundCoefficients(ALPHA_BETA_GAMMA, 1), ROUNDING);
  assert.deepEqual(scaled, {
    space: 'proxyless',
    input: [40, 40, 1],
    classes: 10,
    stem: 16,
    stemStride: 1,
    stages: [
      { width: 24, stride: 2, ops: ['3x3_MBConv3', '3x3_MBConv6', '3x3_MBConv6'] },
      { width: 48, stride: 2, ops: ['5x5_MBConv6', '3x3_MBConv3', '3x3_MBConv3'] },
      { width: 88, stride: 2, ops: ['3x3_MBConv6', '3x3_MBConv6'] },
    ],
  });
  // A valid architecture the training stack builds.
  assert.deepEqual(checkScalableMbConv(scaled), scaled);
});

test('φ = 2 with (1.2, 1.1, 1.15): d = 1.44, w = 1.21, r = 1.3225; the stem gains a divisor by the 90 % rule', () => {
  // stem 16·1.21 = 19.36 → 16 < 0.9·19.36 = 17.42 → 24; 24·1.21 = 29.04 → 32; 40·1.21 = 48.4 → 48; 80·1.21 = 96.8 → 96.
  // repeats: ceil(2·1.44) = 3, 3, ceil(1.44) = 2. input 32·1.3225 = 42.3 → 40.
  const scaled = scaleArch(BASE, compoundCoefficients(ALPHA_BETA_GAMMA, 2), ROUNDING);
  assert.deepEqual(scaled, {
    space: 'proxyless',
    input: [40, 40, 1],
    classes: 10,
    stem: 24,
    stemStride: 1,
    stages: [
      { width: 32, stride: 2, ops: ['3x3_MBConv3', '3x3_MBConv6', '3x3_MBConv6'] },
      { width: 48, stride: 2, ops: ['5x5_MBConv6', '3x3_MBConv3', '3x3_MBConv3'] },
      { width: 96, stride: 2, ops: ['3x3_MBConv6', '3x3_MBConv6'] },
    ],
  });
});

test('unscaled, a network only loses its skipped blocks, which cost nothing', () => {
  const same = scaleArch(BASE, { depth: 1, width: 1, resolution: 1 }, ROUNDING) as ProxylessArch;
  assert.deepEqual(same.stages[1].ops, ['5x5_MBConv6', '3x3_MBConv3']);
  assert.equal(archFlops(same), archFlops(BASE));
  assert.equal(describeMbConv(same), '32px stem16 24ch,40ch,80ch | k3e3 k3e6 | k5e6 k3e3 | k3e6');
});

test('single-dimension baselines of an MBConv network are matched to a target FLOPs count', () => {
  const target = archFlops(scaleArch(BASE, compoundCoefficients(ALPHA_BETA_GAMMA, 2), ROUNDING));
  for (const dimension of ['depth', 'width', 'resolution'] as const) {
    const m = matchFlops(BASE, dimension, target, ROUNDING);
    assert.equal(m.flops, archFlops(m.arch));
    assert.ok(Math.abs(Math.log(m.ratio)) < Math.log(1.35), `${dimension}: ratio ${m.ratio}`);
  }
});

test('an ofa-small sub-network becomes the standalone MBConv network of its active blocks at its resolution', () => {
  const config = resolveOfaSmall({ input: [28, 28, 1], classes: 10, stem: 16, stemStride: 1, stages: [{ width: 24, stride: 2 }, { width: 32, stride: 2 }], kernels: [3, 5], expandRatios: [1, 3], depths: [1, 2], resolutions: [24, 28] });
  const net = ofaSubnetNetwork(config, { ks: [5, 3, 3, 5], e: [3, 1, 1, 3], d: [1, 2], r: 24 });
  assert.deepEqual(net, {
    space: 'proxyless',
    input: [24, 24, 1],
    classes: 10,
    stem: 16,
    stemStride: 1,
    stages: [
      { width: 24, stride: 2, ops: ['5x5_MBConv3'] },
      { width: 32, stride: 2, ops: ['3x3_MBConv1', '5x5_MBConv3'] },
    ],
  });
});

test('a base names what is wrong: OFA MobileNetV3 sub-networks, a sub-network without its supernet run, a network of skipped blocks', () => {
  const specError = (raw: Parameters<typeof resolveBase>[0], message: RegExp, path: (string | number)[]) =>
    assert.throws(() => resolveBase(raw, '.'), (e: unknown) => e instanceof SpecError && message.test(e.message) && JSON.stringify(e.path) === JSON.stringify(path));
  specError({ architecture: { space: 'ofa-mbv3', ks: [3], e: [3], d: [2], r: 160 } }, /squeeze-excite and h-swish/, ['architecture', 'space']);
  specError({ architecture: BASE as unknown as Record<string, unknown>, subnet: 'largest' }, /"subnet" picks a sub-network of a supernet "run"/, ['subnet']);
  specError({ architecture: { ...BASE, stages: [{ width: 16, stride: 1, ops: ['Zero'] }] } as unknown as Record<string, unknown> }, /no MBConv block/, ['architecture', 'stages']);
  specError({ architecture: { ...BASE, stages: [{ width: 24, stride: 2, ops: ['3x3_Conv'] }] } as unknown as Record<string, unknown> }, /not an operation/, ['architecture', 'stages', 0, 'ops', 0]);
  assert.deepEqual(resolveBase({ architecture: BASE as unknown as Record<string, unknown> }, '.'), { arch: BASE, from: 'the spec' });
});

/** A supernet training run folder (spec only: growing a sub-network trains it from scratch, so no checkpoint is read). */
function supernetRunFolder(): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'nas-scaling-base-'));
  const text = readFileSync(join(__dirname, '../../../examples/supernet-mnist.supernet.json'), 'utf8');
  const { spec } = validateSupernetSpecText(text, { baseDir: root });
  const folder = new RunService(root).store.create({ kind: 'supernet', name: 'supernet-mnist', createdAt: '2026-12-06T00:00:00.000Z', source: '', baseDir: root }, spec);
  return { root, dir: folder.dir };
}

test('a supernet run\'s sub-network, named in the spec or by the subnet.json export-subnet writes, is the base as a standalone MBConv network', () => {
  const { root, dir } = supernetRunFolder();
  // The example supernet: stem 16 / 2, stages 16 / 1, 24 / 2, 40 / 2, kernels 3..7, expand 3..6, depths 1..3, resolutions 24, 28.
  const smallest = resolveBase({ run: dir, subnet: 'smallest' }, root);
  assert.deepEqual(smallest.arch, {
    space: 'proxyless',
    input: [24, 24, 1],
    classes: 10,
    stem: 16,
    stemStride: 2,
    stages: [
      { width: 16, stride: 1, ops: ['3x3_MBConv3'] },
      { width: 24, stride: 2, ops: ['3x3_MBConv3'] },
      { width: 40, stride: 2, ops: ['3x3_MBConv3'] },
    ],
  });
  assert.match(smallest.from, /^sub-network of supernet run /);
  const subnet = { ks: [5, 3, 3, 7, 3, 3, 3, 3, 3], e: [6, 3, 3, 4, 4, 3, 3, 3, 3], d: [1, 2, 1], r: 28 };
  const expected: ProxylessArch = {
    space: 'proxyless',
    input: [28, 28, 1],
    classes: 10,
    stem: 16,
    stemStride: 2,
    stages: [
      { width: 16, stride: 1, ops: ['5x5_MBConv6'] },
      { width: 24, stride: 2, ops: ['7x7_MBConv4', '3x3_MBConv4'] },
      { width: 40, stride: 2, ops: ['3x3_MBConv3'] },
    ],
  };
  assert.deepEqual(resolveBase({ run: dir, subnet }, root).arch, expected);
  // export-subnet's subnet.json: the architecture, what NAS Studio measured and the supernet run it came from.
  writeFileSync(join(root, 'subnet.json'), JSON.stringify({ space: 'ofa-small', ...subnet, description: 'r28', input: { shape: [28, 28, 1] }, output: 'logits', metrics: { val_accuracy: 0.9 }, supernet: { run: dir, epochs: 11 } }));
  assert.deepEqual(resolveBase({ file: 'subnet.json' }, root).arch, expected);
  // Scaled as any MBConv network: total stride 2·2·2 = 8.
  assert.equal(defaultResolutionMultiple(expected), 8);

  const specError = (raw: Parameters<typeof resolveBase>[0], message: RegExp, path: (string | number)[]) =>
    assert.throws(() => resolveBase(raw, root), (e: unknown) => e instanceof SpecError && message.test(e.message) && JSON.stringify(e.path) === JSON.stringify(path));
  specError({ run: dir }, /is a supernet: "subnet" names the sub-network to grow/, ['run']);
  specError({ run: dir, subnet: { ...subnet, r: 20 } }, /r must be one of 24, 28/, ['subnet', 'r']);
  specError({ run: dir, trial: 3 }, /"trial" picks a trial of a search run; .* is a supernet run/, ['trial']);
  writeFileSync(join(root, 'orphan.json'), JSON.stringify({ space: 'ofa-small', ...subnet }));
  assert.throws(() => resolveBase({ file: 'orphan.json' }, root), (e: unknown) => e instanceof DataError && /without the supernet run it came from/.test(e.message));
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { Rng } from '../../../server/core/rng';
import { isSlotActive, slotCount, type OfaSmallConfig } from '../../../server/supernet/ofaSmallConfig';
import { enabledChoices, fairGroupSize, fairnasGroup, stepSubnets } from '../../../server/supernet/sampling';
import type { PhaseSpec } from '../../../server/supernet/supernetSpec';
import { validateSupernetSpecText } from '../../../server/supernet/validateSupernet';

/** The example supernet: kernels 3, 5, 7; expand ratios 3, 4, 6; depths 1, 2, 3 over 3 stages; resolutions 24, 28. */
const example = join(__dirname, '../../../examples/supernet-mnist.supernet.json');
const CONFIG: OfaSmallConfig = validateSupernetSpecText(readFileSync(example, 'utf8'), { baseDir: dirname(example) }).spec!.supernet;

/** How often each choice appears at each position across a group of sub-networks. */
function counts(values: number[][]): Map<number, number>[] {
  return values[0].map((_, position) => {
    const m = new Map<number, number>();
    for (const v of values) m.set(v[position], (m.get(v[position]) ?? 0) + 1);
    return m;
  });
}

test('FairNAS: in every step group each kernel, expand ratio and depth of every block and stage is used exactly once', () => {
  const rng = new Rng(1);
  assert.equal(fairGroupSize(CONFIG), 3);
  const seen = new Set<string>();
  for (let step = 0; step < 50; step++) {
    const group = fairnasGroup(CONFIG, 28, rng);
    assert.equal(group.length, 3);
    for (const [field, choices] of [['ks', CONFIG.kernels], ['e', CONFIG.expandRatios], ['d', CONFIG.depths]] as const) {
      for (const perPosition of counts(group.map((s) => [...s[field]]))) {
        assert.deepEqual([...perPosition.keys()].sort((a, b) => a - b), [...choices]);
        assert.ok([...perPosition.values()].every((n) => n === 1));
      }
    }
    assert.ok(group.every((s) => s.r === 28));
    seen.add(JSON.stringify(group));
  }
  assert.equal(seen.size, 50, 'groups differ from step to step');
});

test('FairNAS with unequal choice counts: each choice is used group size / choices times', () => {
  const config = { ...CONFIG, kernels: [3, 5, 7, 9, 11, 13], expandRatios: [3, 6], depths: [1, 2, 3] };
  const group = fairnasGroup(config, 28, new Rng(2));
  assert.equal(group.length, 6);
  for (const [field, per] of [['ks', 1], ['e', 3], ['d', 2]] as const) {
    for (const perPosition of counts(group.map((s) => [...s[field]]))) assert.ok([...perPosition.values()].every((n) => n === per), `${field}`);
  }
});

test('progressive shrinking: each phase enables one more dimension, keeping the ones before; resolutions are elastic throughout', () => {
  const phase = (p: PhaseSpec['phase'], choices?: number[]): PhaseSpec => ({ phase: p, epochs: 1, learningRate: 0.1, subnetsPerStep: 2, ...(choices ? { choices } : {}) });
  const phases = [phase('full'), phase('kernel'), phase('depth', [2, 3]), phase('depth'), phase('expand', [4, 6]), phase('expand')];
  const sets = phases.map((_, i) => enabledChoices(CONFIG, phases, i));
  assert.deepEqual(sets[0], { kernels: [7], expandRatios: [6], depths: [3], resolutions: [24, 28] });
  assert.deepEqual(sets[1], { kernels: [3, 5, 7], expandRatios: [6], depths: [3], resolutions: [24, 28] });
  assert.deepEqual(sets[2].depths, [2, 3]);
  assert.deepEqual(sets[3].depths, [1, 2, 3]);
  assert.deepEqual(sets[4], { kernels: [3, 5, 7], expandRatios: [4, 6], depths: [1, 2, 3], resolutions: [24, 28] });
  assert.deepEqual(sets[5].expandRatios, [3, 4, 6]);
  const rng = new Rng(3);
  for (let i = 0; i < 20; i++) {
    const subnets = stepSubnets(CONFIG, phases[2], sets[2], rng, false);
    assert.equal(subnets.length, 2);
    assert.equal(subnets[0].r, subnets[1].r, 'one resolution per step');
    for (const s of subnets) {
      assert.equal(s.ks.length, slotCount(CONFIG));
      assert.ok(s.e.every((e) => e === 6) && s.d.every((d) => d === 2 || d === 3));
      assert.ok(s.ks.every((k, slot) => !isSlotActive(CONFIG, s, slot) || CONFIG.kernels.includes(k)));
    }
  }
});

test('the sandwich rule: every elastic step trains the largest and the smallest enabled sub-network first, then random ones', () => {
  const phases: PhaseSpec[] = [
    { phase: 'full', epochs: 1, learningRate: 0.1, subnetsPerStep: 1 },
    { phase: 'kernel', epochs: 1, learningRate: 0.1, subnetsPerStep: 3 },
  ];
  const rng = new Rng(4);
  const kernel = stepSubnets(CONFIG, phases[1], enabledChoices(CONFIG, phases, 1), rng, true);
  assert.equal(kernel.length, 3);
  assert.ok(kernel[0].ks.every((k) => k === 7) && kernel[0].e.every((e) => e === 6) && kernel[0].d.every((d) => d === 3));
  assert.ok(kernel[1].ks.every((k) => k === 3) && kernel[1].e.every((e) => e === 6) && kernel[1].d.every((d) => d === 3));
  assert.ok(kernel.every((s) => s.r === kernel[0].r));
  // The full phase trains the largest network only, sandwich or not.
  const full = stepSubnets(CONFIG, phases[0], enabledChoices(CONFIG, phases, 0), rng, true);
  assert.equal(full.length, 1);
  assert.ok(full[0].ks.every((k) => k === 7));
});

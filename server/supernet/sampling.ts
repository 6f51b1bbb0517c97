import type { Rng } from '../core/rng';
import { extremeSubnet, slotCount, type OfaSmallConfig, type SubnetArch } from './ofaSmallConfig';
import type { PhaseSpec } from './supernetSpec';

/** The choices sub-networks are sampled from in a phase. */
export interface ChoiceSets {
  readonly kernels: readonly number[];
  readonly expandRatios: readonly number[];
  readonly depths: readonly number[];
  readonly resolutions: readonly number[];
}

const largestOnly = (values: readonly number[]) => [values[values.length - 1]];

/**
 * Choices enabled in phase `index`: progressive shrinking starts from the largest network and each
 * kernel / depth / expand phase enables its dimension's choices (all, or the phase's `choices`),
 * which stay enabled in later phases; resolutions are elastic throughout (as in OFA). FairNAS
 * trains every choice from the start.
 */
export function enabledChoices(config: OfaSmallConfig, phases: readonly PhaseSpec[], index: number): ChoiceSets {
  let sets: ChoiceSets = {
    kernels: largestOnly(config.kernels),
    expandRatios: largestOnly(config.expandRatios),
    depths: largestOnly(config.depths),
    resolutions: config.resolutions,
  };
  for (const phase of phases.slice(0, index + 1)) {
    switch (phase.phase) {
      case 'kernel':
        sets = { ...sets, kernels: phase.choices ?? config.kernels };
        break;
      case 'depth':
        sets = { ...sets, depths: phase.choices ?? config.depths };
        break;
      case 'expand':
        sets = { ...sets, expandRatios: phase.choices ?? config.expandRatios };
        break;
      case 'fairnas':
        sets = { kernels: config.kernels, expandRatios: config.expandRatios, depths: config.depths, resolutions: config.resolutions };
        break;
      case 'full':
        break;
    }
  }
  return sets;
}

/** One sub-network with every per-block and per-stage choice drawn uniformly from `sets`, at resolution `r`. */
export function sampleSubnet(config: OfaSmallConfig, sets: ChoiceSets, r: number, rng: Rng): SubnetArch {
  const slots = slotCount(config);
  return {
    ks: Array.from({ length: slots }, () => rng.choice(sets.kernels)),
    e: Array.from({ length: slots }, () => rng.choice(sets.expandRatios)),
    d: config.stages.map(() => rng.choice(sets.depths)),
    r,
  };
}

/** FairNAS trains this many sub-networks per step: the largest number of choices of any decision. */
export function fairGroupSize(config: OfaSmallConfig): number {
  return Math.max(config.kernels.length, config.expandRatios.length, config.depths.length);
}

/** `choices` repeated to `size` entries (size is a multiple of their count), in a random order. */
function fairSequence(choices: readonly number[], size: number, rng: Rng): number[] {
  return rng.shuffle(Array.from({ length: size }, (_, i) => choices[i % choices.length]));
}

/**
 * FairNAS strict fairness: a group of m sub-networks trained in one step such that, for every
 * block, each kernel size and each expand ratio is used by exactly m / (its number of choices)
 * of them, and likewise each depth for every stage (exactly once each when the counts equal m).
 * Each block and stage draws its own random order, so the sub-networks differ from step to step.
 */
export function fairnasGroup(config: OfaSmallConfig, r: number, rng: Rng): SubnetArch[] {
  const m = fairGroupSize(config);
  const slots = slotCount(config);
  const ks = Array.from({ length: slots }, () => fairSequence(config.kernels, m, rng));
  const e = Array.from({ length: slots }, () => fairSequence(config.expandRatios, m, rng));
  const d = config.stages.map(() => fairSequence(config.depths, m, rng));
  return Array.from({ length: m }, (_, j) => ({ ks: ks.map((s) => s[j]), e: e.map((s) => s[j]), d: d.map((s) => s[j]), r }));
}

/**
 * The sub-networks of one training step of a phase, all at one resolution (they share the batch).
 * With the sandwich rule an elastic phase's step trains the largest and the smallest enabled
 * sub-network first, then random ones.
 */
export function stepSubnets(config: OfaSmallConfig, phase: PhaseSpec, sets: ChoiceSets, rng: Rng, sandwich = false): SubnetArch[] {
  const r = rng.choice(sets.resolutions);
  if (phase.phase === 'fairnas') return fairnasGroup(config, r, rng);
  const atR = { ...sets, resolutions: [r] };
  const extremes = sandwich && phase.phase !== 'full' ? [extremeSubnet(config, 'largest', atR), extremeSubnet(config, 'smallest', atR)] : [];
  return [...extremes, ...Array.from({ length: phase.subnetsPerStep - extremes.length }, () => sampleSubnet(config, sets, r, rng))];
}

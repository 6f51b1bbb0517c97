/**
 * Checking and correcting a ProxylessNAS space's latency table against whole networks: random
 * networks of the space, built and timed exactly as the derived network is (batch norms folded,
 * `measureLatency` at batch 1), against the table's sums. The learned correction (the nn-Meter
 * style fit `nas-studio lut --validate` makes for OFA tables) stays additive over blocks, so the
 * expected latency of the architecture loss remains linear in the candidates' probabilities.
 */
import type { Fidelity } from '../../contract/latencyValidation';
import { Rng } from '../core/rng';
import { measureLatency } from '../evaluators/measureLatency';
import { fitCorrection, type LatencyCorrection, type TableTerms } from '../ofa/latencyCorrection';
import { crossValidated, fidelity } from '../ofa/latencyValidation';
import { buildDerivedModel, foldBatchNorms } from './derivedModel';
import type { LatencyModel } from './latencyModel';
import type { ProxylessArch } from './proxylessArch';
import type { MixedBlock } from './proxylessSpace';

/** `count` networks of the space, every block's candidate uniform at random; the same for a seed. */
export function randomChoices(blocks: readonly MixedBlock[], count: number, seed: number): number[][] {
  const rng = new Rng(seed).fork('proxyless-latency-validation');
  return Array.from({ length: count }, () => blocks.map((block) => rng.int(block.candidates.length)));
}

/** A network's table terms by an uncorrected model: fixed layers, the chosen candidates' entries, and how many blocks are not `Zero`. */
export function networkTerms(raw: LatencyModel, blocks: readonly MixedBlock[], choices: readonly number[]): TableTerms {
  let sum = 0;
  let count = 0;
  blocks.forEach((block, b) => {
    if (block.candidates[choices[b]].kind === 'zero') return;
    sum += raw.blockMs[b][choices[b]];
    count++;
  });
  return { fixed: raw.fixedMs, blocks: sum, count };
}

/**
 * Batch-1 latency (ms) of each network as deployed, timed as the derived network is timed after
 * training: He-initialized weights (timing does not depend on their values), batch norms folded.
 */
export function measureNetworks(archs: readonly ProxylessArch[], repeats: number, seed = 0): number[] {
  return archs.map((arch) => {
    const training = buildDerivedModel(arch, seed);
    const deployed = foldBatchNorms(arch, training);
    try {
      return measureLatency(deployed, [arch.input[0], arch.input[1], arch.input[2]], repeats);
    } finally {
      training.dispose();
      deployed.dispose();
    }
  });
}

export interface CorrectionFit {
  readonly correction: LatencyCorrection;
  /** The table's plain sums against the measured networks. */
  readonly raw: Fidelity;
  /** Each network predicted by a correction fitted without it (5-fold cross-validation). */
  readonly corrected: Fidelity;
}

/** Fits the correction to measured networks (`measured[i]` for `choices[i]`) and reports both fidelities. */
export function fitLatencyCorrection(raw: LatencyModel, blocks: readonly MixedBlock[], choices: readonly (readonly number[])[], measured: readonly number[]): CorrectionFit {
  const samples = choices.map((c, i) => ({ terms: networkTerms(raw, blocks, c), measured: measured[i] }));
  return {
    correction: fitCorrection(samples),
    raw: fidelity(samples.map((s) => s.terms.fixed + s.terms.blocks), measured),
    corrected: fidelity(crossValidated(samples), measured),
  };
}

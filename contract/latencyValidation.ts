/**
 * validation.json in a latency table folder, as `nas-studio lut --validate` writes it and the
 * latency validation view reads it: each random network's table prediction, corrected prediction
 * and measured latency, and the figures over all of them.
 */
import { arrayOf, int, num, object, optional, str, type Check } from './validate';

/** How well a predictor matches the measurements. */
export interface Fidelity {
  /** Share of networks whose prediction is within ±10 % of the measured latency. */
  readonly within10: number;
  /** Mean absolute percentage error, as a fraction. */
  readonly mape: number;
}

/** An OFA MobileNetV3 sub-network: kernel size and expand ratio per block, depth per stage, resolution. */
export interface ValidatedArch {
  readonly ks: readonly number[];
  readonly e: readonly number[];
  readonly d: readonly number[];
  readonly r: number;
}

export interface ValidatedNetworkRecord {
  readonly arch: ValidatedArch;
  /** The table's plain sum (ms). */
  readonly predicted: number;
  /** The learned correction's prediction, by a fit that did not see this network (ms). */
  readonly corrected: number;
  readonly measured: number;
  /** The network's own layers timed alone in the same rounds, summed (ms); absent in older files. */
  readonly layerSum?: number;
}

export interface LatencyCorrectionFit {
  readonly intercept: number;
  readonly fixedScale: number;
  readonly blockScale: number;
  readonly blockOverhead: number;
  readonly networks: number;
}

export interface ValidationFile {
  readonly table: string;
  readonly backend: string;
  readonly raw: Fidelity;
  readonly corrected: Fidelity;
  readonly correction: LatencyCorrectionFit;
  /** Same-moment layer sums against the networks; absent in older files and for device measurements. */
  readonly layerSums?: Fidelity;
  readonly networks: readonly ValidatedNetworkRecord[];
}

export const fidelityCheck: Check<Fidelity> = object({ within10: num, mape: num });

export const validationFileCheck: Check<ValidationFile> = object({
  table: str,
  backend: str,
  raw: fidelityCheck,
  corrected: fidelityCheck,
  correction: object({ intercept: num, fixedScale: num, blockScale: num, blockOverhead: num, networks: int }),
  layerSums: optional(fidelityCheck),
  networks: arrayOf(
    object({
      arch: object({ ks: arrayOf(int), e: arrayOf(int), d: arrayOf(int), r: int }),
      predicted: num,
      corrected: num,
      measured: num,
      layerSum: optional(num),
    }),
  ),
});

/** A network's encoding the way OFA writes it: ks, e, d and the resolution. */
export function archEncoding(arch: ValidatedArch): string {
  return `ks ${arch.ks.join(',')} · e ${arch.e.join(',')} · d ${arch.d.join(',')} · r ${arch.r}`;
}

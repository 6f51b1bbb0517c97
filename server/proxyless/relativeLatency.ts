/**
 * The derived network's latency at the speed the machine had when the latency table was measured.
 * The table is measured when a run starts, the derived network when it ends; on a shared machine
 * the same network measured 2.44 ms in one run and 1.74 ms 25 minutes later, while its table
 * predicted 1.62 ms. Timed in the same rounds as reference networks of the space, whose latency by
 * the (corrected) table is known, the derived network's latency divided by how much slower than
 * the table the references ran is what the table's prediction, and the run's target, are about.
 * A ratio within one measurement: a change of the machine's speed reaches all the networks alike.
 */
import type { RelativeLatency } from '../../contract/runs';
import { hashString } from '../core/rng';
import { quantile } from '../ofa/robustLatency';
import { randomChoices } from './latencyValidation';
import { predictedLatency, type LatencyModel } from './latencyModel';
import type { MixedBlock } from './proxylessSpace';

/** Reference networks timed with the derived network. */
export const REFERENCE_NETWORKS = 8;
/** Random networks of the space the references are chosen from (those nearest the derived network's latency). */
const REFERENCE_POOL = 64;

/**
 * `count` random networks of the space whose table latency is nearest the derived network's (by
 * ratio), other than the derived network itself; the same for a seed. Near in latency, so alike in
 * how much work they are and in how a change of the machine's load slows them.
 */
export function referenceChoices(latency: LatencyModel, blocks: readonly MixedBlock[], derived: readonly number[], seed: number, count = REFERENCE_NETWORKS): number[][] {
  const derivedMs = predictedLatency(latency, derived);
  const distance = (choices: readonly number[]) => Math.abs(Math.log(predictedLatency(latency, choices) / derivedMs));
  return randomChoices(blocks, REFERENCE_POOL, hashString(`latency-references/${seed}`))
    .filter((choices) => choices.some((c, b) => c !== derived[b]))
    .map((choices) => ({ choices, distance: distance(choices) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, count)
    .map((r) => r.choices);
}

/**
 * From one interleaved measurement: the derived network's latency (ms), the references' latencies
 * (ms) and their table predictions (ms). The slowdown is the median of the references' measured
 * over predicted latency, so one reference the table gets wrong does not decide it.
 */
export function relativeLatency(derivedMs: number, referenceMs: readonly number[], referencePredictedMs: readonly number[]): RelativeLatency {
  if (referenceMs.length === 0 || referenceMs.length !== referencePredictedMs.length) throw new RangeError('relative latency needs as many reference predictions as measurements, at least one');
  const slowdown = quantile(
    referenceMs.map((ms, i) => ms / referencePredictedMs[i]),
    0.5,
  );
  return { references: referenceMs.length, slowdown, measuredMs: derivedMs, atTableSpeedMs: derivedMs / slowdown };
}

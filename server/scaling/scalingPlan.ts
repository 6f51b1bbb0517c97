import type { Metrics } from '../../contract/metrics';
import { compoundCoefficients, UNSCALED, type ScalingCoefficients } from './compoundScaling';
import { matchFlops, type ScalingRule } from './flopsMatching';
import { archFlops, archKey, scaleArch, type ScalableArch } from './scalableArch';
import { gridOf, type ScalingSpec } from './scalingSpec';

/** What a candidate is in the study: the base network, a grid point at φ = 1, or a member of a rule's family. */
export type CandidateRole = 'base' | 'grid' | 'family';

/** One network a scaling run trains (or reuses when an earlier candidate is the same network). */
export interface PlannedCandidate {
  /** Its trial number. */
  readonly trial: number;
  readonly role: CandidateRole;
  readonly rule: ScalingRule;
  readonly phi: number;
  readonly coefficients: ScalingCoefficients;
  readonly arch: ScalableArch;
  /** The network itself, as text: equal keys are the same network. */
  readonly key: string;
  readonly flops: number;
  /** The FLOPs a single-dimension member was matched to (its compound member's). */
  readonly targetFlops?: number;
}

function candidate(spec: ScalingSpec, trial: number, role: CandidateRole, rule: ScalingRule, phi: number, coefficients: ScalingCoefficients): PlannedCandidate {
  const arch = scaleArch(spec.base.arch, coefficients, spec.rounding);
  return { trial, role, rule, phi, coefficients, arch, key: archKey(arch), flops: archFlops(arch) };
}

/** The first phase, fixed by the spec: the base network (trial 0), then every grid point at φ = 1. */
export function searchPhase(spec: ScalingSpec): PlannedCandidate[] {
  return [candidate(spec, 0, 'base', 'compound', 0, UNSCALED), ...gridOf(spec).map((c, i) => candidate(spec, i + 1, 'grid', 'compound', 1, c))];
}

/** What the grid search needs of a finished candidate. */
export interface Scored {
  readonly trial: number;
  readonly metrics: Metrics;
}

const accuracyOf = (s: Scored) => s.metrics.val_accuracy ?? Number.NEGATIVE_INFINITY;

/**
 * The grid point with the best validation accuracy (held-out: the test split never chooses),
 * the one with fewer FLOPs, then the earlier, on ties; undefined until every grid point is in.
 */
export function gridWinner(spec: ScalingSpec, finished: ReadonlyMap<number, Scored & { readonly flops: number }>): PlannedCandidate | undefined {
  const grid = searchPhase(spec).filter((c) => c.role === 'grid');
  if (!grid.every((c) => finished.has(c.trial))) return undefined;
  return grid.reduce((best, c) => {
    const a = finished.get(c.trial)!;
    const b = finished.get(best.trial)!;
    return accuracyOf(a) > accuracyOf(b) || (accuracyOf(a) === accuracyOf(b) && c.flops < best.flops) ? c : best;
  });
}

/**
 * The second phase, once the grid has chosen (α, β, γ): the compound family φ = 2..maxPhi (φ = 1
 * is the grid's winner), then for each φ each baseline rule scaled alone to the compound
 * member's counted FLOPs.
 */
export function familyPhase(spec: ScalingSpec, winner: PlannedCandidate): PlannedCandidate[] {
  let trial = 1 + gridOf(spec).length;
  const compound = [winner];
  for (let phi = 2; phi <= spec.maxPhi; phi++) compound.push(candidate(spec, trial++, 'family', 'compound', phi, compoundCoefficients(winner.coefficients, phi)));
  const baselines: PlannedCandidate[] = [];
  for (const member of compound) {
    for (const dimension of spec.baselines) {
      const matched = matchFlops(spec.base.arch, dimension, member.flops, spec.rounding);
      baselines.push({ trial: trial++, role: 'family', rule: dimension, phi: member.phi, coefficients: matched.coefficients, arch: matched.arch, key: archKey(matched.arch), flops: matched.flops, targetFlops: member.flops });
    }
  }
  return [...compound.slice(1), ...baselines];
}

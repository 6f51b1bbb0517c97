import type { PhaseSpec, TrainingSpec } from './supernetSpec';

/** One epoch of a training run and where it sits in its phase. */
export interface PlannedEpoch {
  /** 0-based over the whole run. */
  readonly epoch: number;
  readonly phaseIndex: number;
  readonly phase: PhaseSpec;
  readonly epochInPhase: number;
  /** The phase starts with this epoch: optimizer reset, teacher snapshot, channel sorting happen first. */
  readonly startsPhase: boolean;
}

export function planEpochs(training: TrainingSpec): PlannedEpoch[] {
  return training.phases.flatMap((phase, phaseIndex) =>
    Array.from({ length: phase.epochs }, (_, epochInPhase) => ({ phaseIndex, phase, epochInPhase, startsPhase: epochInPhase === 0 })),
  ).map((e, epoch) => ({ ...e, epoch }));
}

/** Cosine decay from the phase's learning rate to 0 over its steps (OFA's schedule, per phase). */
export function learningRateAt(planned: PlannedEpoch, step: number, stepsPerEpoch: number): number {
  const t = planned.epochInPhase * stepsPerEpoch + step;
  const total = planned.phase.epochs * stepsPerEpoch;
  return planned.phase.learningRate * 0.5 * (1 + Math.cos((Math.PI * t) / total));
}

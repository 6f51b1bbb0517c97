/**
 * Supernet training as curve points for the progress view: one point per finished epoch
 * (training loss, validation accuracy of the largest and smallest sub-networks) and, while an
 * epoch runs, its running training loss at a fractional epoch.
 */
import type { TrainingEpoch, TrainingProgress } from '../../contract/runs';
import type { TrainingPoint } from '../../contract/webviewMessages';

export function epochPoints(epochs: readonly TrainingEpoch[]): TrainingPoint[] {
  return epochs.map((e) => ({
    phase: e.phase,
    epoch: e.epoch,
    loss: e.loss,
    accuracy: e.validation.largest.accuracy,
    smallestAccuracy: e.validation.smallest.accuracy,
  }));
}

/** The running loss of the epoch in progress, placed at its fraction of the epoch. */
export function livePoint(p: TrainingProgress): TrainingPoint {
  return { phase: p.phase, epoch: p.epoch - 1 + (p.steps > 0 ? p.step / p.steps : 0), loss: p.loss };
}

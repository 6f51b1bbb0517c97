import { formatPercent, trainingProgressLine } from '../../contract/format';
import type { EpochScores, TrainingProgress } from '../../contract/runs';
import { CancelledError, NasError } from '../core/errors';
import { Rng } from '../core/rng';
import { drawTransforms } from '../data/batchAssembly';
import { batchesPerEpoch, epochBatches } from '../data/epochBatches';
import type { ActiveRun, FinishReason, RunEvents } from '../runs/runKind';
import { readCheckpoint, writeCheckpoint } from './checkpoint';
import { extremeSubnet } from './ofaSmallConfig';
import { enabledChoices, stepSubnets } from './sampling';
import { learningRateAt, planEpochs, type PlannedEpoch } from './schedule';
import { loadSupernetData, normalizationFor, type SupernetData } from './supernetData';
import { trainingEpoch, type EpochRecord, type SupernetState } from './supernetState';
import type { SupernetSpec } from './supernetSpec';
import { SupernetTrainer, type Evaluation } from './supernetTrainer';

const PROGRESS_INTERVAL_MS = 1000;

/**
 * Trains a supernet run to the end of its schedule, resuming from its last checkpoint: an epoch
 * is either finished (checkpointed, then journaled) or redone from its start, so no finished
 * epoch is ever repeated. Stopping (signal) abandons the epoch in progress.
 */
export async function runSupernetTraining(run: ActiveRun<SupernetSpec, SupernetState>): Promise<FinishReason> {
  const { spec, folder, header, events } = run;
  const data = loadSupernetData(spec, header.baseDir);
  const checkpoint = readCheckpoint(folder);
  const normalization = checkpoint?.normalization ?? normalizationFor(spec, data);
  const t = spec.training;
  const trainer = await SupernetTrainer.start({
    workers: t.workers,
    backend: t.backend === 'auto' ? run.backend : t.backend,
    config: spec.supernet,
    seed: spec.seed,
    optimizer: { learningRate: t.phases[0].learningRate, momentum: t.momentum, weightDecay: t.weightDecay },
    train: data.train,
    test: data.test,
    normalization,
  });
  try {
    events.log(`training on ${trainer.workers} worker thread(s), ${trainer.backendDetail}; ${data.split.train.length} training, ${data.split.validation.length} validation examples`);
    const epochsDone = checkpoint?.epochsDone ?? 0;
    if (checkpoint) {
      await trainer.setState(checkpoint.state);
      // The checkpoint is written before the journal record: a crash between the two loses only the record.
      if (!run.state.epochs.some((e) => e.epoch === checkpoint.epochsDone)) run.append(checkpoint.record);
    }
    const plan = planEpochs(t);
    const loop = new EpochLoop(spec, data, trainer, plan, checkpoint?.record.elapsedMs ?? 0, run.signal, events);
    for (const planned of plan.slice(epochsDone)) {
      const record = await loop.run(planned);
      writeCheckpoint(folder, await trainer.state(), record, normalization);
      run.append(record);
      events.log(`epoch ${record.epoch}/${record.epochs} (${record.phase}) validation accuracy largest ${formatPercent(record.validation.largest.accuracy)}, smallest ${formatPercent(record.validation.smallest.accuracy)}`);
      events.finished({ unit: 'epochs', epoch: trainingEpoch(record) });
    }
    return 'budget';
  } finally {
    await trainer.close();
  }
}

/** Runs epochs: phase transitions, steps, validation, the epoch record. */
class EpochLoop {
  private readonly startedAt = performance.now();
  private readonly steps: number;
  /** Work done in this process (sub-network passes), for the ETA. */
  private workDone = 0;

  constructor(
    private readonly spec: SupernetSpec,
    private readonly data: SupernetData,
    private readonly trainer: SupernetTrainer,
    private readonly plan: readonly PlannedEpoch[],
    private readonly elapsedBefore: number,
    private readonly signal: AbortSignal,
    private readonly events: RunEvents,
  ) {
    this.steps = batchesPerEpoch(data.split.train.length, spec.training.batchSize);
    if (this.steps === 0) throw new NasError('invalid-data', `${data.split.train.length} training examples do not fill one batch of ${spec.training.batchSize}`);
  }

  /** Forward/backward passes per step: the sub-networks, plus about a third of one for a frozen teacher's forward pass. */
  private workPerStep(planned: PlannedEpoch): number {
    return planned.phase.subnetsPerStep + (this.distills(planned) && this.spec.training.teacher === 'frozen' ? 1 / 3 : 0);
  }

  private distills(planned: PlannedEpoch): boolean {
    return this.spec.training.distillation > 0 && planned.phase.phase !== 'full' && this.spec.training.mode === 'progressive-shrinking';
  }

  /**
   * What starts a phase (OFA runs each phase as a new training job): a fresh optimizer, a frozen
   * teacher copied from the largest network when its distillation begins, and channel sorting
   * before expand ratios become elastic.
   */
  private async startPhase(planned: PlannedEpoch): Promise<void> {
    const { spec, trainer } = this;
    await trainer.resetOptimizer();
    const phases = spec.training.phases;
    const firstDistilled = phases.findIndex((p) => p.phase !== 'full');
    if (this.distills(planned) && spec.training.teacher === 'frozen' && planned.phaseIndex === firstDistilled) {
      await trainer.snapshotTeacher();
      this.events.log('distillation teacher: the largest network as trained so far');
    }
    if (planned.phase.phase === 'expand') {
      const kept = enabledChoices(spec.supernet, phases, planned.phaseIndex - 1).expandRatios;
      await trainer.sortChannels(kept);
      this.events.log(`channels sorted by importance (kept groups of expand ratios ${kept.join(', ')})`);
    }
  }

  async run(planned: PlannedEpoch): Promise<EpochRecord> {
    const { spec, trainer, data } = this;
    const t = spec.training;
    if (planned.startsPhase) await this.startPhase(planned);
    const sets = enabledChoices(spec.supernet, t.phases, planned.phaseIndex);
    const distillation = this.distills(planned) ? t.distillation : 0;
    const epochStart = performance.now();
    let lastProgress = 0;
    let loss = 0;
    let accuracy = 0;
    let step = 0;
    let learningRate = 0;
    for (const indices of epochBatches(data.split.train, t.batchSize, spec.seed, planned.epoch)) {
      if (this.signal.aborted) throw new CancelledError();
      const rng = new Rng(spec.seed).fork(`step/${planned.epoch}/${step}`);
      const subnets = stepSubnets(spec.supernet, planned.phase, sets, rng, t.sandwich);
      const transforms = t.augment.crop > 0 || t.augment.flip ? drawTransforms(indices.length, t.augment, rng) : undefined;
      learningRate = learningRateAt(planned, step, this.steps);
      const result = await trainer.step(indices, transforms, subnets, learningRate, distillation, t.teacher === 'inplace');
      loss += result.loss;
      accuracy += result.accuracy;
      step++;
      this.workDone += this.workPerStep(planned);
      if (performance.now() - lastProgress >= PROGRESS_INTERVAL_MS || step === this.steps) {
        lastProgress = performance.now();
        this.progress(planned, step, loss / step, accuracy / step, (step * t.batchSize) / ((lastProgress - epochStart) / 1000));
      }
    }
    const seconds = (performance.now() - epochStart) / 1000;
    if (this.signal.aborted) throw new CancelledError();
    const extremes = [extremeSubnet(spec.supernet, 'largest'), extremeSubnet(spec.supernet, 'smallest')];
    const validation = scores(await trainer.evaluate(extremes, data.calibration, data.split.validation, 'train'));
    const last = planned.epoch === this.plan.length - 1;
    const test = last && data.testExamples.length > 0 ? scores(await trainer.evaluate(extremes, data.calibration, data.testExamples, 'test')) : undefined;
    return {
      type: 'epoch_finished',
      at: new Date().toISOString(),
      epoch: planned.epoch + 1,
      epochs: this.plan.length,
      phase: planned.phase.phase,
      phaseIndex: planned.phaseIndex,
      loss: loss / step,
      accuracy: accuracy / step,
      validation,
      ...(test ? { test } : {}),
      imagesPerSecond: (step * t.batchSize) / seconds,
      backend: trainer.backendDetail,
      seconds,
      elapsedMs: Math.round(this.elapsedBefore + performance.now() - this.startedAt),
      learningRate,
    };
  }

  private progress(planned: PlannedEpoch, step: number, loss: number, accuracy: number, imagesPerSecond: number): void {
    const remaining = this.plan.slice(planned.epoch).reduce((w, p) => w + this.steps * this.workPerStep(p), 0) - step * this.workPerStep(planned);
    const secondsPerWork = (performance.now() - this.startedAt) / 1000 / Math.max(this.workDone, 1e-9);
    const totalSteps = this.plan.length * this.steps;
    const training: TrainingProgress = { epoch: planned.epoch + 1, epochs: this.plan.length, phase: planned.phase.phase, step, steps: this.steps, loss, accuracy, imagesPerSecond, etaSeconds: remaining * secondsPerWork };
    this.events.progress({
      fraction: (planned.epoch * this.steps + step) / totalSteps,
      done: planned.epoch,
      total: this.plan.length,
      unit: 'epochs',
      message: trainingProgressLine(training),
      etaSeconds: training.etaSeconds,
      training,
    });
  }

}

function scores([largest, smallest]: Evaluation[]): EpochScores {
  return { largest, smallest };
}

import { formatMs, formatPercent } from '../../contract/format';
import type { TrainingProgress } from '../../contract/runs';
import { CancelledError } from '../core/errors';
import { Rng } from '../core/rng';
import { batchesPerEpoch, epochBatches } from '../data/epochBatches';
import type { RunEvents } from '../runs/runKind';
import { ArchAdam, ARCH_ADAM } from './archAdam';
import { alphaGradient, argmax, binarize, initialAlphas, involved, rescaleInvolved, samplePath, softmax } from './archParameters';
import type { SearchPosition } from './proxylessCheckpoint';
import { validationBatch, type ProxylessData } from './proxylessData';
import type { EpochRecord } from './proxylessState';
import type { MixedBlock } from './proxylessSpace';
import { searchEpochs, type ProxylessSpec } from './proxylessSpec';
import type { ProxylessTrainer } from './proxylessTrainer';
import { expectedLatency, type LatencyModel } from './latencyModel';
import { latencyLoss } from './latencyLoss';

const PROGRESS_INTERVAL_MS = 1000;

/** Cosine decay from `start` over `total` steps (the reference's warm-up and `adjust_learning_rate`). */
function cosine(start: number, step: number, total: number): number {
  return 0.5 * start * (1 + Math.cos((Math.PI * step) / total));
}

/**
 * The reference's search loop (search/nas_manager.py): warm-up epochs of weight steps only, then
 * epochs of weight steps, each on a network sampled from softmax(α), with an architecture step
 * after every `archUpdateEvery` of them - from the second search epoch on - on a validation batch.
 * The architecture parameters, Adam and the random stream live here; the workers run the paths.
 */
export class ArchitectureSearch {
  private readonly alphas: number[][];
  private readonly adam: ArchAdam;
  private readonly rng: Rng;
  private archSteps: number;
  private readonly elapsedBefore: number;
  private readonly steps: number;
  private readonly startedAt = performance.now();
  /** Steps done before this process started. */
  private readonly firstStep: number;

  constructor(
    private readonly spec: ProxylessSpec,
    blocks: readonly MixedBlock[],
    private readonly data: ProxylessData,
    private readonly trainer: ProxylessTrainer,
    private readonly latency: LatencyModel,
    /** Where a resumed search continues: after `epochsDone` epochs, from this position. */
    resumed: { readonly epochsDone: number; readonly position: SearchPosition; readonly elapsedMs: number } | undefined,
    private readonly signal: AbortSignal,
    private readonly events: RunEvents,
  ) {
    const candidates = blocks.map((b) => b.candidates.length);
    const seeded = new Rng(spec.seed);
    const from = resumed?.position;
    const adam = { ...ARCH_ADAM, learningRate: spec.search.archLearningRate };
    this.alphas = from ? from.alphas.map((a) => [...a]) : initialAlphas(candidates, spec.search.archInitStd, seeded.fork('alphas'));
    this.adam = from ? ArchAdam.restore(adam, from.adam) : ArchAdam.fresh(adam, candidates);
    this.rng = seeded.fork('paths');
    if (from) this.rng.setState(from.rng);
    this.archSteps = from?.archSteps ?? 0;
    this.steps = batchesPerEpoch(data.split.train.length, spec.search.batchSize);
    this.firstStep = (resumed?.epochsDone ?? 0) * this.steps;
    this.elapsedBefore = resumed?.elapsedMs ?? 0;
  }

  /** What resuming after the last epoch needs besides the weights. */
  position(): SearchPosition {
    return { alphas: this.alphas.map((a) => [...a]), adam: this.adam.state(), rng: this.rng.getState(), archSteps: this.archSteps };
  }

  private probabilities(): number[][] {
    return this.alphas.map(softmax);
  }

  /** Runs 0-based epoch `epoch` and returns its record (the caller checkpoints, then journals it). */
  async epoch(epoch: number): Promise<EpochRecord> {
    const s = this.spec.search;
    const warmup = epoch < s.warmupEpochs;
    const searchEpoch = epoch - s.warmupEpochs;
    const epochStart = performance.now();
    let lastProgress = 0;
    let loss = 0;
    let accuracy = 0;
    let archLoss = 0;
    let archSteps = 0;
    let step = 0;
    let learningRate = 0;
    for (const indices of epochBatches(this.data.split.train, s.batchSize, this.spec.seed, epoch)) {
      if (this.signal.aborted) throw new CancelledError();
      learningRate = warmup ? cosine(s.warmupLearningRate, epoch * this.steps + step, s.warmupEpochs * this.steps) : cosine(s.learningRate, searchEpoch * this.steps + step, s.epochs * this.steps);
      // MixedEdge.MODE None: one candidate per block, drawn from softmax(α) (uniform while α is untrained).
      const choices = this.alphas.map((a) => samplePath(a, this.rng));
      const score = await this.trainer.weightStep(indices, choices, learningRate, s.labelSmoothing);
      loss += score.loss;
      accuracy += score.accuracy;
      step++;
      // The reference skips architecture steps in the first search epoch.
      if (!warmup && searchEpoch > 0 && step % s.archUpdateEvery === 0) {
        archLoss += await this.architectureStep();
        archSteps++;
      }
      if (performance.now() - lastProgress >= PROGRESS_INTERVAL_MS || step === this.steps) {
        lastProgress = performance.now();
        this.progress(epoch, warmup, step, loss / step, accuracy / step, (step * s.batchSize) / ((lastProgress - epochStart) / 1000));
      }
    }
    const seconds = (performance.now() - epochStart) / 1000;
    if (this.signal.aborted) throw new CancelledError();
    const probabilities = this.probabilities();
    // The reference's validate(): the most likely candidate of every block, on the validation split.
    const validation = await this.trainer.evaluate(probabilities.map(argmax), this.data.split.validation);
    return {
      type: 'epoch_finished',
      at: new Date().toISOString(),
      epoch: epoch + 1,
      epochs: searchEpochs(this.spec),
      phase: warmup ? 'warmup' : 'search',
      loss: loss / step,
      accuracy: accuracy / step,
      validation: { accuracy: validation.accuracy, loss: validation.loss },
      expectedLatencyMs: expectedLatency(this.latency, probabilities),
      probabilities,
      archSteps,
      ...(archSteps > 0 ? { archLoss: archLoss / archSteps } : {}),
      imagesPerSecond: (step * s.batchSize) / seconds,
      seconds,
      learningRate,
      backend: this.trainer.backendDetail,
      elapsedMs: Math.round(this.elapsedBefore + performance.now() - this.startedAt),
    };
  }

  /**
   * The reference's `gradient_step`: binarize every block, measure the cross-entropy and the gate
   * gradients on a validation batch, add the latency term (through the expected latency over the
   * probabilities the binarization used), turn both into α gradients, take an Adam step on every
   * block whose active candidate is not Zero and, in `two` mode, rescale the updated pair.
   */
  private async architectureStep(): Promise<number> {
    const s = this.spec.search;
    const samples = this.alphas.map((a) => binarize(a, s.binarization, this.rng));
    const batch = validationBatch(this.data.split.validation, s.batchSize, this.spec.seed, this.archSteps++);
    const measured = await this.trainer.gates(batch, samples);
    const expected = expectedLatency(this.latency, samples.map((sample) => sample.probs));
    const terms = latencyLoss(this.spec.latency, measured.loss, expected);
    samples.forEach((sample, b) => {
      const gates = measured.gates[b];
      if (!gates) return;
      const v = this.latency.blockMs[b].map((ms, c) => terms.dCrossEntropy * gates[c] + terms.dLatency * ms);
      const before = [...this.alphas[b]];
      this.adam.step(b, this.alphas[b], alphaGradient(sample, v));
      if (s.binarization === 'two') rescaleInvolved(this.alphas[b], before, involved(sample));
    });
    return terms.loss;
  }

  private progress(epoch: number, warmup: boolean, step: number, loss: number, accuracy: number, imagesPerSecond: number): void {
    const epochs = searchEpochs(this.spec);
    const done = epoch * this.steps + step;
    // Resumed runs time only the steps this process ran.
    const secondsPerStep = (performance.now() - this.startedAt) / 1000 / Math.max(done - this.firstStep, 1);
    const etaSeconds = (epochs * this.steps - done) * secondsPerStep;
    const training: TrainingProgress = { epoch: epoch + 1, epochs, phase: warmup ? 'warmup' : 'search', step, steps: this.steps, loss, accuracy, imagesPerSecond, etaSeconds };
    const latency = formatMs(expectedLatency(this.latency, this.probabilities()));
    this.events.progress({
      fraction: done / (epochs * this.steps),
      done: epoch,
      total: epochs + 1,
      unit: 'epochs',
      message: `epoch ${epoch + 1}/${epochs} ${training.phase} step ${step}/${this.steps} loss ${loss.toFixed(3)} acc ${formatPercent(accuracy)} E[lat] ${latency}`,
      etaSeconds,
      training,
    });
  }

}

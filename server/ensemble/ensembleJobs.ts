import * as tf from '@tensorflow/tfjs';
import type { Metrics } from '../../contract/metrics';
import { gather } from '../data/batchAssembly';
import { prepareDataset } from '../evaluators/train/trainData';
import { networkInput, runTrainJob, splitIndices, type TrainHooks, type TrainJob } from '../evaluators/train/trainJob';
import { loadLayersModel } from '../supernet/tfjsModelFiles';
import { ensembleLogits, type Mixture } from './adanetObjective';
import { chooseCandidate, fitCandidateEnsemble, scoreEnsemble, type FrozenMember, type ScoredEnsemble } from './candidateEnsembles';
import { writeEnsembleModel, type EnsembleFiles } from './ensembleModelFiles';
import type { ObjectiveSpec } from './ensembleSpec';
import { readMemberLogits, splitLabels, writeMemberLogits } from './memberLogits';

/** What locates a run's data and splits (any member's architecture: every member takes the same input). */
export type DataRef = Pick<TrainJob, 'arch' | 'options' | 'baseDir' | 'splitSeed'>;

/** Trains one candidate subnetwork on its own loss, keeps the model and its logits in `modelDir`. */
export interface MemberJob {
  readonly kind: 'member';
  readonly train: TrainJob & { readonly modelDir: string };
}

/** Fits and scores the ensembles of one iteration: the previous one, and the previous members plus each candidate. */
export interface IterationJob {
  readonly kind: 'iteration';
  readonly data: DataRef;
  readonly classes: number;
  readonly objective: ObjectiveSpec;
  readonly forceGrow: boolean;
  readonly members: readonly { readonly dir: string; readonly complexity: number }[];
  readonly mixture?: Mixture;
  readonly candidates: readonly { readonly dir: string; readonly complexity: number }[];
}

export interface IterationResult {
  readonly previous?: ScoredEnsemble;
  readonly candidates: readonly ScoredEnsemble[];
  /** Index of the candidate that joins; absent when the previous ensemble wins. */
  readonly chosen?: number;
}

/** Writes the ensemble as one TF.js model and checks that the files reload to the same predictions. */
export interface ExportJob {
  readonly kind: 'export';
  readonly data: DataRef;
  readonly classes: number;
  readonly memberDirs: readonly string[];
  readonly mixture: Mixture;
  readonly outDir: string;
}

export interface ExportResult extends EnsembleFiles {
  /** Largest |difference| between the reloaded model's probabilities and the ensemble's (from its members' logits) on validation examples. */
  readonly reloadMaxDifference: number;
  readonly checkedExamples: number;
}

export type EnsembleJob = MemberJob | IterationJob | ExportJob;

export function backendOf(job: EnsembleJob): TrainJob['options']['backend'] {
  return job.kind === 'member' ? job.train.options.backend : job.data.options.backend;
}

export async function runEnsembleJob(job: EnsembleJob, hooks: TrainHooks): Promise<Metrics | IterationResult | ExportResult> {
  switch (job.kind) {
    case 'member': {
      const metrics = await runTrainJob(job.train, hooks);
      hooks.progress(0.98, 'writing logits');
      await writeMemberLogits(job.train);
      return metrics;
    }
    case 'iteration':
      return scoreIteration(job);
    case 'export':
      return exportEnsemble(job);
  }
}

function scoreIteration(job: IterationJob): IterationResult {
  const labels = splitLabels(job.data);
  const frozen = (m: { dir: string; complexity: number }): FrozenMember => ({ logits: readMemberLogits(m.dir, labels, job.classes), complexity: m.complexity });
  const members = job.members.map(frozen);
  const previous = job.mixture && members.length > 0 ? scoreEnsemble(members, job.mixture, labels, job.classes, job.objective) : undefined;
  const candidates = job.candidates.map((c) => fitCandidateEnsemble(members, job.mixture, frozen(c), labels, job.classes, job.objective));
  const chosen = chooseCandidate(candidates, previous, job.forceGrow);
  return { ...(previous ? { previous } : {}), candidates, ...(chosen !== undefined ? { chosen } : {}) };
}

/** Validation examples the reload check compares (a few hundred show any difference). */
const CHECKED = 256;

async function exportEnsemble(job: ExportJob): Promise<ExportResult> {
  const files = writeEnsembleModel(job.memberDirs, job.mixture, job.classes, job.outDir);
  const data = prepareDataset(job.data);
  const indices = splitIndices(job.data, data.train.count, 0).validation.slice(0, CHECKED);
  const labels = splitLabels(job.data);
  const logits = job.memberDirs.map((dir) => readMemberLogits(dir, labels, job.classes).validation.subarray(0, indices.length * job.classes));
  // What the engine computed from the members: softmax of Σ w_j h_j + b.
  const expected = ensembleLogits({ logits, labels: labels.validation.subarray(0, indices.length), classes: job.classes }, job.mixture);
  const model = await loadLayersModel(job.outDir);
  try {
    const { x, y } = gather(data.train, indices);
    const reloaded = tf.tidy(() => (model.predict(networkInput(job.data, x, y.length, data.train)) as tf.Tensor2D).dataSync());
    let worst = 0;
    for (let i = 0; i < indices.length; i++) {
      const row = expected.subarray(i * job.classes, (i + 1) * job.classes);
      const max = Math.max(...row);
      const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
      for (let c = 0; c < job.classes; c++) worst = Math.max(worst, Math.abs(reloaded[i * job.classes + c] - Math.exp(row[c] - max) / sum));
    }
    return { ...files, reloadMaxDifference: worst, checkedExamples: indices.length };
  } finally {
    model.dispose();
  }
}

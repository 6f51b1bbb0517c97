import type { Metrics } from '../../../contract/metrics';
import { loadDataset } from '../../data/datasetSpec';
import { checkLabels, type ImageDataset } from '../../data/imageDataset';
import type { OfaSupernet } from '../../supernet/ofaSupernet';
import type { SubnetArch } from '../../supernet/ofaSmallConfig';
import { subnetCost } from '../../supernet/subnetCost';
import { calibrateSubnet, compileScorer } from '../../supernet/subnetEvaluation';
import { extractSubnet } from '../../supernet/subnetExtract';
import { loadSupernetData, type SupernetData } from '../../supernet/supernetData';
import { loadSupernet } from '../../supernet/ofaSupernet';
import { openTrainedSupernet, type TrainedSupernet } from '../../supernet/trainedSupernet';
import { measureLatency } from '../measureLatency';
import type { PoolJobHooks } from '../../runtime/poolWorker';
import type { ResolvedSupernetOptions } from './supernetOptions';

/** One sub-network to evaluate on a trained supernet. */
export interface SubnetEvalJob {
  /** Absolute path of the run folder. */
  readonly run: string;
  readonly options: ResolvedSupernetOptions;
  /** Folder the options' dataset paths resolve against. */
  readonly baseDir: string;
  readonly arch: SubnetArch;
}

interface Loaded {
  readonly key: string;
  readonly trained: TrainedSupernet;
  readonly supernet: OfaSupernet;
  readonly data: SupernetData;
  /** Images and indices val_accuracy is measured on. */
  readonly validation: { dataset: ImageDataset; indices: Int32Array };
}

let loaded: Loaded | undefined;

/** The supernet and data of a job, loaded once per worker (and again when the run has a newer checkpoint). */
function load(job: SubnetEvalJob): Loaded {
  const trained = openTrainedSupernet(job.run);
  const key = JSON.stringify([job.run, trained.checkpoint.epochsDone, job.options.dataset, job.baseDir]);
  if (loaded?.key === key) return loaded;
  loaded?.supernet.dispose();
  const data = loadSupernetData(trained.spec, trained.baseDir);
  let validation = { dataset: data.train, indices: data.split.validation };
  if (job.options.dataset) {
    const other = loadDataset(job.options.dataset, job.baseDir);
    const dataset = other.test ?? other.train;
    checkLabels(dataset, trained.spec.supernet.classes);
    validation = { dataset, indices: Int32Array.from({ length: dataset.count }, (_, i) => i) };
  }
  const limit = job.options.validationSamples ?? validation.indices.length;
  loaded = { key, trained, supernet: loadSupernet(trained), data, validation: { ...validation, indices: validation.indices.subarray(0, limit) } };
  return loaded;
}

/**
 * Evaluates one sub-network of a trained supernet: batch norms recalibrated on training examples
 * (OFA's set_running_statistics), validation accuracy and loss, optional test accuracy, params and
 * FLOPs of the architecture, and the measured batch-1 latency of the extracted tf.LayersModel.
 */
export async function runSubnetEvalJob(job: SubnetEvalJob, hooks: PoolJobHooks): Promise<Metrics> {
  const { trained, supernet, data, validation } = load(job);
  const { normalization } = trained.checkpoint;
  hooks.progress(0.1, 'recalibrating batch norm');
  calibrateSubnet(supernet, job.arch, data.train, normalization, data.calibration.subarray(0, job.options.calibrationSamples));
  hooks.progress(0.4, 'validating');
  // The extracted model with its batch norms folded: what is deployed, and faster than the supernet's own pass.
  const model = extractSubnet(supernet, job.arch, normalization);
  const scorer = await compileScorer(model, trained.spec.supernet.classes);
  try {
    const val = await scorer.score(validation.dataset, validation.indices);
    const metrics: Metrics = { val_accuracy: val.correct / val.count, val_loss: val.loss / val.count, ...subnetCost(trained.spec.supernet, job.arch) };
    if (job.options.testSamples > 0 && data.test) {
      const test = await scorer.score(data.test, data.testExamples.subarray(0, job.options.testSamples));
      metrics.test_accuracy = test.correct / test.count;
    }
    hooks.progress(0.8, 'measuring latency');
    metrics.latency_ms = measureLatency(model, [...trained.spec.supernet.input], job.options.latencyRepeats);
    return metrics;
  } finally {
    await scorer.dispose();
    model.dispose();
  }
}

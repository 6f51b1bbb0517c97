import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { SubnetExport } from '../../contract/protocol';
import { initBackend, type BackendInfo } from '../runtime/backend';
import { type BackendChoice } from '../../contract/backends';
import { writeFileAtomic } from '../store/atomicFile';
import { describeSubnet, type SubnetArch } from './ofaSmallConfig';
import { OFA_SMALL_TYPE } from './ofaSmallOptions';
import { subnetCost } from './subnetCost';
import { batchTensors, calibrateSubnet, scoreSubnet } from './subnetEvaluation';
import { RAW_BYTES } from '../data/batchAssembly';
import { extractSubnet } from './subnetExtract';
import { loadSupernetData } from './supernetData';
import { loadLayersModel, saveLayersModel } from './tfjsModelFiles';
import { loadSupernet } from './ofaSupernet';
import { openTrainedSupernet, type TrainedSupernet } from './trainedSupernet';
import { measureLatency } from '../evaluators/measureLatency';

/** Validation images compared between the supernet and the reloaded export. */
const CHECKED_IMAGES = 64;
const LATENCY_REPEATS = 20;

/**
 * Extracts a sub-network of a trained supernet as a standalone TF.js Layers model: recalibrates
 * its batch norms on the run's calibration examples, measures its validation accuracy, writes
 * model.json + weights.bin and subnet.json (architecture, input format, metrics), then reloads
 * the files, checks they predict what the supernet predicts and times batch-1 predictions.
 */
export async function exportSubnetModel(trained: TrainedSupernet, arch: SubnetArch, dir: string, backend: BackendInfo): Promise<SubnetExport> {
  const { spec, checkpoint } = trained;
  const { normalization } = checkpoint;
  const data = loadSupernetData(spec, trained.baseDir);
  const supernet = loadSupernet(trained);
  try {
    calibrateSubnet(supernet, arch, data.train, normalization, data.calibration);
    const score = scoreSubnet(supernet, data.train, normalization, data.split.validation);
    const model = extractSubnet(supernet, arch, normalization);
    const { modelJson } = await saveLayersModel(model, dir);
    model.dispose();
    const reloaded = await loadLayersModel(dir);
    const checked = data.split.validation.subarray(0, CHECKED_IMAGES);
    const reloadMaxDifference = tf.tidy(() => {
      const expected = supernet.apply(batchTensors(data.train, checked, normalization).images, { training: false });
      const predicted = reloaded.predict(batchTensors(data.train, checked, RAW_BYTES).images) as tf.Tensor;
      return tf.max(tf.abs(tf.sub(predicted, expected))).dataSync()[0];
    });
    const [h, w, c] = spec.supernet.input;
    const latencyMs = measureLatency(reloaded, [h, w, c], LATENCY_REPEATS);
    reloaded.dispose();
    const { params, flops } = subnetCost(spec.supernet, arch);
    const result: SubnetExport = {
      dir,
      modelJson,
      arch,
      description: describeSubnet(spec.supernet, arch),
      params,
      flops,
      valAccuracy: score.correct / score.count,
      reloadMaxDifference,
      latencyMs,
      backend: backend.detail,
    };
    const info = {
      space: OFA_SMALL_TYPE,
      ...arch,
      description: result.description,
      input: { shape: [h, w, c], format: 'raw pixel values 0..255, HWC (the model normalizes and resizes itself)', normalization },
      output: `logits over ${spec.supernet.classes} classes`,
      metrics: { val_accuracy: result.valAccuracy, params, flops, latency_ms: latencyMs },
      supernet: { run: trained.folder.dir, epochs: checkpoint.epochsDone },
    };
    writeFileAtomic(join(dir, 'subnet.json'), JSON.stringify(info, null, 2) + '\n');
    return result;
  } finally {
    supernet.dispose();
  }
}

/** A sub-network export to run in a worker thread (`subnetExportWorker`). */
export interface SubnetExportJob {
  /** Absolute path of the run folder. */
  readonly run: string;
  readonly arch: SubnetArch;
  readonly out: string;
  readonly backend: BackendChoice;
}

export async function runSubnetExportJob(job: SubnetExportJob): Promise<SubnetExport> {
  return exportSubnetModel(openTrainedSupernet(job.run), job.arch, job.out, await initBackend(job.backend));
}

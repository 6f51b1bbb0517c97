import type * as tf from '@tensorflow/tfjs';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { SubnetChoice } from '../../contract/protocol';
import { DataError, MissingFileError, NasError, SpecError } from '../core/errors';
import { trialByNumber, type SearchView } from '../experiment/searchQueries';
import type { ExperimentSpec } from '../experiment/spec';
import { optionsOf } from '../experiment/spec';
import { formatPath } from '../experiment/specText';
import type { RunService } from '../runs/runService';
import { trialModelDir } from '../store/runFolder';
import { describeSubnet, type SubnetArch } from '../supernet/ofaSmallConfig';
import { loadSupernet } from '../supernet/ofaSupernet';
import { resolveSubnet } from '../supernet/subnetChoice';
import { calibrateSubnet } from '../supernet/subnetEvaluation';
import { extractSubnet } from '../supernet/subnetExtract';
import { loadSupernetData } from '../supernet/supernetData';
import { loadLayersModel } from '../supernet/tfjsModelFiles';
import { openTrainedSupernet } from '../supernet/trainedSupernet';
import type { ModelDescription } from './exportModel';
import { quantizationExportsOf, readQuantizedModel, type QuantizedModel } from './quantizedSource';
import { EXPORTED_MODEL } from '../quantize/quantizedExport';

/** A trained model to export, with what its files should say about it. */
export interface ExportSource {
  readonly model: tf.LayersModel;
  readonly about: ModelDescription;
  /** Default folder for its exports (inside the run's exports/ for run models), without the format. */
  readonly defaultOut: string;
  /** A quantization run's model: how its layers are quantized (it exports to ONNX with Q/DQ nodes). */
  readonly quantized?: QuantizedModel;
}

/** What to export: a run's trial or sub-network, or a TF.js model folder. */
export interface ExportRequest {
  /** A run id or folder, or a TF.js model folder / model.json. */
  readonly model: string;
  readonly trial?: number;
  readonly arch?: SubnetChoice;
}

const RAW_PIXELS = 'raw pixel values 0..255 (the model normalizes and resizes itself)';

/** A sub-network of a trained supernet with its batch norms recalibrated for it (as evaluation and export-subnet do). */
async function supernetSubnet(runDir: string, choice: SubnetChoice | SubnetArch, title: string): Promise<Omit<ExportSource, 'defaultOut'> & { arch: SubnetArch }> {
  const trained = openTrainedSupernet(runDir);
  let arch: SubnetArch;
  try {
    arch = resolveSubnet(choice, trained.spec.supernet);
  } catch (e) {
    if (e instanceof SpecError) throw new NasError('invalid-request', `arch ${formatPath(e.path)}: ${e.message}`);
    throw e;
  }
  const data = loadSupernetData(trained.spec, trained.baseDir);
  const supernet = loadSupernet(trained);
  try {
    calibrateSubnet(supernet, arch, data.train, trained.checkpoint.normalization, data.calibration);
    const model = extractSubnet(supernet, arch, trained.checkpoint.normalization);
    const about = {
      title: `${title}: ${describeSubnet(trained.spec.supernet, arch)} (supernet ${trained.folder.id}, ${trained.checkpoint.epochsDone} epochs)`,
      input: RAW_PIXELS,
      output: `logits over ${trained.spec.supernet.classes} classes`,
      inputRange: [0, 255] as const,
    };
    return { model, about, arch };
  } finally {
    supernet.dispose();
  }
}

/** A finished trial's model: its kept weights (`train` evaluator) or its sub-network of the supernet (`supernet` evaluator). */
async function trialSource(view: SearchView, trial: number): Promise<ExportSource> {
  const item = trialByNumber(view, trial);
  if (item.error) throw new NasError('invalid-request', `trial ${trial} failed (${item.error}): it has no model`);
  const spec = view.spec as ExperimentSpec;
  const defaultOut = join(view.folder.exports, `trial-${trial}`);
  const title = `trial ${trial} of ${view.folder.id}`;
  if (spec.evaluator.type === 'supernet') {
    const run = resolve(view.header.baseDir, String(optionsOf(spec.evaluator).run));
    const { model, about } = await supernetSubnet(run, item.arch, title);
    return { model, about, defaultOut };
  }
  if (spec.evaluator.type !== 'train') {
    throw new NasError('invalid-request', `trial ${trial} has no trained weights: the '${spec.evaluator.type}' evaluator estimates metrics without training a model (only 'train' and 'supernet' trials can be exported)`);
  }
  if (spec.execution?.queue) throw new NasError('invalid-request', `trial ${trial} was trained by a queue worker: its weights stayed on that machine`);
  // A trial whose architecture was already evaluated reused that trial's result (and model).
  const source = item.cached ? (view.state.evaluated.get(item.key) ?? trial) : trial;
  const dir = trialModelDir(view.folder.models, source);
  if (!existsSync(join(dir, 'model.json'))) {
    throw new MissingFileError(`trial ${source} has no kept model (runs of NAS Studio before 0.2 did not keep trial weights; a trial cut off mid-training keeps none)`, dir);
  }
  const model = await loadLayersModel(dir);
  return { model, about: { title: `${title}: ${item.description}`, input: 'images as the dataset stores them (pixel values 0..255)', output: 'class probabilities (softmax)', inputRange: [0, 255] }, defaultOut };
}

/** The quantized model a quantization run exported (exports/model and the policy beside it). */
async function quantizedSource(exportsDir: string, title: string): Promise<ExportSource> {
  const quantized = readQuantizedModel(exportsDir);
  const model = await loadLayersModel(join(exportsDir, EXPORTED_MODEL));
  const input = quantized.inputRange[1] === 255 ? 'raw pixel values 0..255' : 'pixel values / 255';
  return { model, about: { title: `${title} (${quantized.quantizer} quantization)`, input, output: "the model's outputs" }, defaultOut: join(exportsDir, 'quantized'), quantized };
}

/** A folder holding model.json, or the model.json itself. */
function modelFolderOf(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  if (statSync(path).isFile()) return basename(path) === 'model.json' ? dirname(path) : undefined;
  return existsSync(join(path, 'model.json')) && !existsSync(join(path, 'journal.jsonl')) ? path : undefined;
}

/**
 * Opens what `nas-studio export` and "Export Model…" export: a search run's trial (--trial), a
 * supernet run's sub-network (--arch), a quantization run's quantized model (or its exports/model
 * folder), or a TF.js Layers model folder. Errors say which of these
 * was missing or wrong.
 */
export async function openExportSource(runs: RunService, request: ExportRequest): Promise<ExportSource> {
  const folder = modelFolderOf(resolve(request.model));
  if (folder && request.trial === undefined && request.arch === undefined) {
    const exportsDir = quantizationExportsOf(folder);
    if (exportsDir) return quantizedSource(exportsDir, `quantized model ${folder}`);
    const model = await loadLayersModel(folder);
    return { model, about: { title: `TF.js model ${folder}`, input: 'the values the TF.js model takes', output: "the TF.js model's outputs" }, defaultOut: folder };
  }
  const location = runs.find(request.model);
  if (location.layout !== 'folder') throw new NasError('invalid-request', `${request.model} is a specialization: it holds architectures, not trained models`);
  const run = runs.read(location);
  if (!run.readable) throw new DataError(`the run cannot be read: ${run.summary.damage?.[0] ?? 'damaged'}`, location.folder.dir);
  const kind = run.kind.id;
  if (kind === 'search') {
    if (request.trial === undefined) throw new NasError('invalid-request', `${location.id} is a search: name the trial to export (--trial N)`);
    return trialSource(run.view as SearchView, request.trial);
  }
  if (kind === 'supernet') {
    if (request.arch === undefined) throw new NasError('invalid-request', `${location.id} is a supernet training: name the sub-network to export (--arch largest|smallest|JSON|FILE)`);
    const { model, about, arch } = await supernetSubnet(location.folder.dir, request.arch, 'sub-network');
    return { model, about, defaultOut: join(location.folder.exports, `subnet-r${arch.r}-${arch.d.join('')}`) };
  }
  if (kind === 'quantization') return quantizedSource(location.folder.exports, `quantized model of ${location.id}`);
  throw new NasError('invalid-request', `${location.id} is a ${kind} run: it has no trained model to export`);
}

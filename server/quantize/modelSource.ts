/**
 * Which trained model a quantization run starts from, resolved once when the run is created: a
 * TF.js Layers model folder (an exported supernet sub-network brings its supernet run's dataset,
 * split and input format in subnet.json), or a trial of a search, retrained from its architecture
 * with the training evaluator's own code and seeds (searches do not keep trained models). The
 * resolved source carries everything needed later: the run never reads the search again.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { ModelSource } from '../../contract/quantization';
import { errorMessage, SpecError } from '../core/errors';
import { hashString } from '../core/rng';
import { absoluteDataset, type DatasetSpec } from '../data/datasetSpec';
import { resolveTrainOptions, type ResolvedTrainOptions, type TrainOptions } from '../evaluators/train/trainOptions';
import { checkFinishedTrial, type FinishedTrial } from '../experiment/searchRecords';
import { searchRun } from '../experiment/searchRun';
import type { SearchState } from '../experiment/searchState';
import { optionsOf, type ExperimentSpec } from '../experiment/spec';
import { RunReader } from '../runs/runReader';
import { eraseKind } from '../runs/runKind';
import type { LayerStackArch } from '../spaces/layers/layerSpec';
import { readRecordsAt } from '../store/journal';
import { runFolder } from '../store/runFolder';
import { supernetRun } from '../supernet/supernetRun';
import type { SupernetSpec } from '../supernet/supernetSpec';

/** How the model takes images: bytes / 255 (NAS Studio's trained layer stacks) or raw bytes (exported sub-networks normalize themselves). */
export type InputScale = 'unit' | 'bytes';

/** Which training-split examples the model never trained on (held out) and which it may fine-tune on. */
export type HeldOutSplit =
  /** The search's split: one seeded permutation, training examples first, then validation. */
  | { readonly kind: 'trial'; readonly splitSeed: number; readonly trainSamples: number; readonly validationSamples: number }
  /** The supernet run's split (splitTrainValidation with its seed). */
  | { readonly kind: 'supernet'; readonly seed: number; readonly validation: number; readonly trainSamples?: number }
  /** A model of unknown training: a permutation by the run's seed, held-out examples first. */
  | { readonly kind: 'seeded' };

export type ResolvedModel =
  | { readonly type: 'folder'; readonly dir: string }
  | {
      readonly type: 'trial';
      /** The search run folder and trial (the first evaluation of its architecture). */
      readonly run: string;
      readonly trial: number;
      readonly arch: LayerStackArch;
      /** The evaluator's options, dataset paths absolute. */
      readonly training: ResolvedTrainOptions;
      readonly splitSeed: number;
      readonly seed: number;
    };

export interface ResolvedSource {
  readonly model: ResolvedModel;
  /** The dataset the source brings (a trial's, a sub-network's supernet's), paths absolute. */
  readonly dataset?: DatasetSpec;
  readonly input: InputScale;
  readonly split: HeldOutSplit;
}

const searches = new RunReader((id) => (id === searchRun.id ? eraseKind(searchRun) : undefined));
const supernets = new RunReader((id) => (id === supernetRun.id ? eraseKind(supernetRun) : undefined));

function readRun<Spec, State>(reader: RunReader, dir: string, what: string, path: (string | number)[]): { spec: Spec; state: State; baseDir: string; journal: string } {
  if (!existsSync(join(dir, 'spec.json'))) throw new SpecError(`${dir} is not a NAS Studio run folder`, path);
  const folder = runFolder(dir);
  const run = reader.read({ layout: 'folder', id: folder.id, folder });
  if (!run.readable) throw new SpecError(`${dir} is not ${what}: ${run.summary.damage?.[0] ?? 'unreadable'}`, path);
  return { spec: run.view.spec as Spec, state: run.view.state as State, baseDir: run.view.header.baseDir, journal: folder.journal };
}

/** A search's trial: its architecture and the training that produced its metrics. */
function resolveTrial(runDir: string, wanted: number | 'best'): ResolvedSource {
  const { spec, state, baseDir, journal } = readRun<ExperimentSpec, SearchState>(searches, runDir, 'a search run', ['model', 'run']);
  if (spec.evaluator.type !== 'train' || spec.space.type !== 'layers') {
    throw new SpecError(`trials of this search (space "${spec.space.type}", evaluator "${spec.evaluator.type}") cannot be retrained; export the model as a TF.js folder and quantize that`, ['model', 'run']);
  }
  const number = wanted === 'best' ? state.best?.trial : wanted;
  if (number === undefined) throw new SpecError('the search has no successful trial yet', ['model', 'trial']);
  const source = state.trials.get(number);
  if (!source) throw new SpecError(`the search has no finished trial ${number}`, ['model', 'trial']);
  let trial: FinishedTrial;
  try {
    trial = checkFinishedTrial(readRecordsAt(journal, [source])[0] as Record<string, unknown> & { type: string }, spec.budget.trials);
  } catch (e) {
    throw new SpecError(`trial ${number} cannot be read: ${errorMessage(e)}`, ['model', 'trial']);
  }
  if (trial.error !== undefined) throw new SpecError(`trial ${number} failed (${trial.error}); it has no model`, ['model', 'trial']);
  // A cached trial's metrics came from the first evaluation of its architecture: retrain that one.
  const first = state.evaluated.get(trial.key) ?? number;
  const options = resolveTrainOptions(optionsOf(spec.evaluator) as TrainOptions);
  const training: ResolvedTrainOptions = { ...options, dataset: absoluteDataset(options.dataset, baseDir) };
  const splitSeed = hashString(`split/${spec.seed}`);
  return {
    model: { type: 'trial', run: runDir, trial: first, arch: trial.arch as LayerStackArch, training, splitSeed, seed: hashString(`${spec.seed}/trial/${first}`) },
    dataset: training.dataset,
    input: 'unit',
    split: { kind: 'trial', splitSeed, trainSamples: options.trainSamples, validationSamples: options.validationSamples },
  };
}

/** What an exported sub-network's subnet.json says about where it came from. */
interface SubnetInfo {
  readonly supernet?: { readonly run?: unknown };
}

/** A model folder; with subnet.json, its supernet run's dataset, split and raw-byte input. */
function resolveFolder(dir: string): ResolvedSource {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SpecError(`no such model folder ${dir}`, ['model', 'dir']);
  if (!existsSync(join(dir, 'model.json'))) throw new SpecError(`${dir} holds no model.json (a TF.js Layers model folder)`, ['model', 'dir']);
  const subnetFile = join(dir, 'subnet.json');
  if (!existsSync(subnetFile)) return { model: { type: 'folder', dir }, input: 'unit', split: { kind: 'seeded' } };
  let info: SubnetInfo;
  try {
    info = JSON.parse(readFileSync(subnetFile, 'utf8')) as SubnetInfo;
  } catch (e) {
    throw new SpecError(`${subnetFile} is not valid JSON: ${errorMessage(e)}`, ['model', 'dir']);
  }
  const runDir = info.supernet?.run;
  if (typeof runDir !== 'string') throw new SpecError(`${subnetFile} names no supernet run`, ['model', 'dir']);
  const { spec, baseDir } = readRun<SupernetSpec, unknown>(supernets, runDir, 'a supernet training run', ['model', 'dir']);
  return {
    model: { type: 'folder', dir },
    dataset: absoluteDataset(spec.dataset, baseDir),
    input: 'bytes',
    split: { kind: 'supernet', seed: spec.seed, validation: spec.training.validation, ...(spec.training.trainSamples !== undefined ? { trainSamples: spec.training.trainSamples } : {}) },
  };
}

/** Resolves the request's model (relative paths against `baseDir`); SpecError at the `model` option otherwise. */
export function resolveModelSource(source: ModelSource, baseDir: string): ResolvedSource {
  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  return source.type === 'trial' ? resolveTrial(absolute(source.run), source.trial) : resolveFolder(absolute(source.dir));
}

import type { JsonPath } from '../core/errors';
import type { DatasetSpec } from '../data/datasetSpec';
import { type Anchor, defaultSpecName, lazyValidator, parseSpecText, type SpecDiagnostic, type ValidationContext, withParseWarnings } from '../experiment/specText';
import type { BackendChoice } from '../../contract/backends';
import type { OfaSmallConfig } from './ofaSmallConfig';
import { resolveOfaSmall, type OfaSmallOptions } from './ofaSmallOptions';
import { fairGroupSize } from './sampling';
import { buildSupernetSchema } from './supernetSchema';
import { defaultSubnetsPerStep, type PhaseSpec, type SupernetSpec, type TrainingSpec } from './supernetSpec';

export interface SupernetValidation {
  /** Present when there are no errors; defaults filled in. */
  readonly spec?: SupernetSpec;
  readonly diagnostics: readonly SpecDiagnostic[];
}

/** Spec files of supernet training runs. */
export const SUPERNET_SPEC_SUFFIX = /\.supernet\.json$/i;

const schemaValidator = lazyValidator(buildSupernetSchema);

type RawPhase = Omit<PhaseSpec, 'subnetsPerStep'> & { subnetsPerStep?: number };
type RawTraining = Partial<Omit<TrainingSpec, 'phases' | 'augment'>> & {
  mode: TrainingSpec['mode'];
  phases?: RawPhase[];
  epochs?: number;
  learningRate?: number;
  augment?: { crop?: number; flip?: boolean };
};
interface RawSpec {
  name?: string;
  description?: string;
  supernet: OfaSmallOptions & { type: string };
  dataset: DatasetSpec;
  training: RawTraining;
  seed?: number;
}

/**
 * Validates `*.supernet.json` text like experiment specs (same parser, schema machinery and
 * anchored diagnostics), then the semantics: choices, phases that enable choices the supernet
 * has, batch sizes that split over the workers, distillation that has a teacher to learn from.
 */
export function validateSupernetSpecText(text: string, context: ValidationContext): SupernetValidation {
  const parsed = parseSpecText(text, schemaValidator(), 'a supernet spec');
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const raw = parsed.value as unknown as RawSpec;
  const diagnostics: SpecDiagnostic[] = [];
  let config: OfaSmallConfig | undefined;
  try {
    const { type: _type, ...options } = raw.supernet;
    config = resolveOfaSmall(options);
  } catch (e) {
    diagnostics.push(parsed.anchor.fromError(e, ['supernet'], raw.supernet, context.baseDir));
  }
  const training = config ? resolveTraining(raw.training, config, parsed.anchor, diagnostics) : undefined;
  if (!config || !training || diagnostics.some((d) => d.severity === 'error')) return withParseWarnings(parsed, { diagnostics });
  return withParseWarnings(parsed, {
    diagnostics,
    spec: {
      name: defaultSpecName(raw.name, context.file, SUPERNET_SPEC_SUFFIX, 'supernet'),
      ...(raw.description !== undefined ? { description: raw.description } : {}),
      supernet: config,
      dataset: raw.dataset,
      training,
      seed: raw.seed ?? 0,
    },
  });
}

function resolveTraining(raw: RawTraining, config: OfaSmallConfig, anchor: Anchor, diagnostics: SpecDiagnostic[]): TrainingSpec | undefined {
  const error = (message: string, path: JsonPath) => diagnostics.push(anchor.error(message, ['training', ...path]));
  const workers = raw.workers ?? 2;
  const batchSize = raw.batchSize ?? 64;
  if (batchSize % workers !== 0) error(`batchSize ${batchSize} must be divisible by the ${workers} workers (each trains an equal share)`, ['batchSize']);
  const fairnas = raw.mode === 'fairnas';
  if (fairnas) checkFairGroups(config, anchor, diagnostics);
  const sandwich = !fairnas && (raw.sandwich ?? true);
  const phases: PhaseSpec[] = fairnas
    ? [{ phase: 'fairnas', epochs: raw.epochs!, learningRate: raw.learningRate!, subnetsPerStep: fairGroupSize(config) }]
    : raw.phases!.map((p) => ({ ...p, subnetsPerStep: p.subnetsPerStep ?? defaultSubnetsPerStep(p.phase as Exclude<PhaseSpec['phase'], 'fairnas'>, sandwich) }));
  phases.forEach((p, i) => {
    checkPhase(p, i, config, error);
    if (sandwich && p.phase !== 'full' && p.subnetsPerStep < 2) {
      error('the sandwich rule trains the largest and the smallest sub-network in every step: subnetsPerStep must be at least 2 (or set sandwich to false)', ['phases', i, 'subnetsPerStep']);
    }
  });
  const distillation = fairnas ? 0 : (raw.distillation ?? 1);
  const teacher = raw.teacher ?? (sandwich ? 'inplace' : 'frozen');
  if (distillation > 0 && teacher === 'frozen' && phases.length > 0 && phases[0].phase !== 'full') {
    error('the frozen teacher is the largest network trained in a first "full" phase: start with a "full" phase, use the "inplace" teacher or set distillation to 0', ['distillation']);
  }
  if (teacher === 'inplace' && !sandwich) error('the inplace teacher is the largest sub-network of each step, which only the sandwich rule trains: set sandwich to true or use the "frozen" teacher', ['teacher']);
  if (raw.validation !== undefined && raw.validation >= 1 && !Number.isInteger(raw.validation)) error('validation must be a whole number of examples, or a fraction below 1', ['validation']);
  return {
    mode: raw.mode,
    phases,
    batchSize,
    workers,
    momentum: raw.momentum ?? 0.9,
    weightDecay: raw.weightDecay ?? 3e-5,
    distillation,
    teacher,
    sandwich,
    validation: raw.validation ?? 0.1,
    ...(raw.trainSamples !== undefined ? { trainSamples: raw.trainSamples } : {}),
    testSamples: raw.testSamples ?? 10000,
    calibrationSamples: raw.calibrationSamples ?? 2000,
    augment: { crop: raw.augment?.crop ?? 0, flip: raw.augment?.flip ?? false },
    normalize: raw.normalize ?? true,
    backend: (raw.backend ?? 'auto') as BackendChoice,
  };
}

/** A phase's `choices` must be choices of its dimension, including the largest (what earlier phases trained). */
function checkPhase(phase: PhaseSpec, index: number, config: OfaSmallConfig, error: (message: string, path: JsonPath) => void): void {
  if (!phase.choices) return;
  const all = { full: undefined, fairnas: undefined, kernel: config.kernels, depth: config.depths, expand: config.expandRatios }[phase.phase];
  const name = { kernel: 'kernels', depth: 'depths', expand: 'expandRatios' }[phase.phase as 'kernel'];
  if (!all) {
    error(`a "${phase.phase}" phase trains the largest network only and takes no choices`, ['phases', index, 'choices']);
    return;
  }
  const unknown = phase.choices.findIndex((c) => !all.includes(c));
  if (unknown >= 0) {
    error(`${phase.choices[unknown]} is not one of the supernet's ${name} (${all.join(', ')})`, ['phases', index, 'choices', unknown]);
  } else if (!phase.choices.includes(all[all.length - 1])) {
    error(`choices must include the largest, ${all[all.length - 1]}: the sub-networks trained before keep training`, ['phases', index, 'choices']);
  }
}

/** Strict fairness needs every decision's choice count to divide the group size. */
function checkFairGroups(config: OfaSmallConfig, anchor: Anchor, diagnostics: SpecDiagnostic[]): void {
  const m = fairGroupSize(config);
  for (const key of ['kernels', 'expandRatios', 'depths'] as const) {
    if (m % config[key].length !== 0) {
      diagnostics.push(
        anchor.error(
          `FairNAS trains ${m} sub-networks per step so that each choice is used equally often: the ${config[key].length} ${key} do not divide ${m}`,
          ['supernet', key],
        ),
      );
    }
  }
}

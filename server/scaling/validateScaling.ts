import type { DatasetSpec } from '../data/datasetSpec';
import { resolveTrainOptions, type TrainOptions } from '../evaluators/train/trainOptions';
import { defaultSpecName, lazyValidator, parseSpecText, type SpecDiagnostic, type ValidationContext, withParseWarnings } from '../experiment/specText';
import { coefficientGrid } from './compoundScaling';
import type { SingleDimension } from './flopsMatching';
import { resolveBase, type RawBase } from './scalingBase';
import { defaultResolutionMultiple } from './scalableArch';
import { buildScalingSchema } from './scalingSchema';
import { MAX_GRID_POINTS, type ScalingSpec } from './scalingSpec';

/** Spec files of compound scaling runs. */
export const SCALING_SPEC_SUFFIX = /\.scaling\.json$/i;

const schemaValidator = lazyValidator(buildScalingSchema);

/** The FLOPs factor of one step of φ (the paper's α·β²·γ² ≈ 2). */
const FLOPS_PER_PHI = 2;

interface RawSpec {
  name?: string;
  description?: string;
  base: RawBase;
  dataset?: DatasetSpec;
  training?: Omit<TrainOptions, 'dataset'>;
  grid?: { step?: number; tolerance?: number };
  maxPhi?: number;
  baselines?: SingleDimension[];
  rounding?: { divisor?: number; resolutionMultiple?: number };
  seed?: number;
}

/**
 * Validates `*.scaling.json` text: the schema, then the base network (read in from its file or
 * run and checked as a trainable layer stack) and a grid search small enough to train.
 */
export function validateScalingSpecText(text: string, context: ValidationContext): { readonly spec?: ScalingSpec; readonly diagnostics: readonly SpecDiagnostic[] } {
  const parsed = parseSpecText(text, schemaValidator(), 'a scaling spec');
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const raw = parsed.value as unknown as RawSpec;
  const diagnostics: SpecDiagnostic[] = [];
  let base: ScalingSpec['base'] | undefined;
  try {
    base = resolveBase(raw.base, context.baseDir);
  } catch (e) {
    diagnostics.push(parsed.anchor.fromError(e, ['base'], raw.base, context.baseDir));
  }
  const grid = { step: raw.grid?.step ?? 0.1, tolerance: raw.grid?.tolerance ?? 0.1, target: FLOPS_PER_PHI };
  const points = coefficientGrid(grid).length;
  if (points === 0) diagnostics.push(parsed.anchor.error(`no grid point has α·β²·γ² within ${grid.tolerance} of 2 with step ${grid.step}: widen the tolerance or use a finer step`, ['grid']));
  if (points > MAX_GRID_POINTS) diagnostics.push(parsed.anchor.error(`step ${grid.step} and tolerance ${grid.tolerance} give ${points} grid points, each a full training; at most ${MAX_GRID_POINTS}: use a coarser step or a smaller tolerance`, ['grid']));
  const repeated = (raw.baselines ?? []).findIndex((b, i) => raw.baselines!.indexOf(b) !== i);
  if (repeated >= 0) diagnostics.push(parsed.anchor.error(`"${raw.baselines![repeated]}" is listed twice`, ['baselines', repeated]));
  if (!base || diagnostics.some((d) => d.severity === 'error')) return withParseWarnings(parsed, { diagnostics });
  const { dataset, ...training } = resolveTrainOptions({ ...raw.training, dataset: raw.dataset });
  return withParseWarnings(parsed, {
    diagnostics,
    spec: {
      name: defaultSpecName(raw.name, context.file, SCALING_SPEC_SUFFIX, 'scaling'),
      ...(raw.description !== undefined ? { description: raw.description } : {}),
      base,
      dataset,
      training,
      grid,
      maxPhi: raw.maxPhi ?? 2,
      baselines: raw.baselines ?? ['depth', 'width', 'resolution'],
      rounding: { divisor: raw.rounding?.divisor ?? 8, resolutionMultiple: raw.rounding?.resolutionMultiple ?? defaultResolutionMultiple(base.arch) },
      seed: raw.seed ?? 0,
    },
  });
}

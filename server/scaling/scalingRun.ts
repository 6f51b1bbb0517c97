import type { ScalingRunSummary } from '../../contract/runs';
import { arrayOf, int, num, object, str } from '../../contract/validate';
import { DataError } from '../core/errors';
import { inspectDataset } from '../data/inspectDataset';
import type { RunKind } from '../runs/runKind';
import { describeScalable } from './scalableArch';
import { searchPhase } from './scalingPlan';
import { candidateCount, type ScalingSpec } from './scalingSpec';
import { applyScalingRecord, candidateItem, gridChoice, scalingLines, type CandidateRecord, type ScalingState } from './scalingState';
import { validateScalingSpecText } from './validateScaling';

/** What a reader relies on in a resolved scaling spec (validated in full when the run was created). */
const resolvedSpecCheck = object({
  name: str,
  base: object({ arch: object({ space: str, input: arrayOf(int) }), from: str }),
  dataset: object({ type: str }),
  training: object({ epochs: int, batchSize: int, learningRate: num, trainSamples: int, validationSamples: int, testSamples: int, latencyRepeats: int, workers: int, backend: str }),
  grid: object({ step: num, tolerance: num, target: num }),
  maxPhi: int,
  baselines: arrayOf(str),
  rounding: object({ divisor: int, resolutionMultiple: int }),
  seed: int,
});

/**
 * EfficientNet compound scaling of a network found earlier (`*.scaling.json`): a grid search of
 * (α, β, γ) at φ = 1, then the family φ = 1..K, against depth-, width- and resolution-only
 * scaling at the same FLOPs; every candidate trained on the user's data (scalingRunner.ts).
 */
export const scalingRun: RunKind<ScalingSpec, ScalingState, ScalingRunSummary> = {
  id: 'scaling',
  title: 'compound scaling',
  specSuffix: '.scaling.json',
  views: ['plot'],
  unit: 'trials',
  validate: validateScalingSpecText,
  async preflight(spec, baseDir) {
    const input = spec.base.arch.input;
    const { train } = inspectDataset(spec.dataset, baseDir, {
      samples: { count: spec.training.trainSamples + spec.training.validationSamples, setting: 'training.trainSamples + training.validationSamples' },
      // An MBConv network takes the images resized to its resolution (as the supernet a sub-network comes from does): only the channels must match.
      ...(spec.base.arch.space === 'layers' ? { input: { shape: input, setting: "the base network's input" } } : {}),
    });
    if (train.shape[2] !== input[2]) throw new DataError(`images have ${train.shape[2]} channel(s) but the base network takes ${input[2]}`, train.source);
  },
  nameOf: (spec) => spec.name,
  readSpec: (value) => resolvedSpecCheck(value, 'spec') as unknown as ScalingSpec,
  initialState: () => ({ candidates: new Map() }),
  saveState: (state) => [...state.candidates.values()],
  loadState: (value) => {
    if (!Array.isArray(value)) throw new Error('not a scaling state');
    return { candidates: new Map((value as CandidateRecord[]).map((c) => [c.trial, c])) };
  },
  apply: (state, record, spec) => applyScalingRecord(state, record, spec),
  progress: (spec, state) => ({ done: state.candidates.size, total: candidateCount(spec) }),
  summarize(view, base): ScalingRunSummary {
    const { spec, state } = view;
    const chosen = gridChoice(spec, state);
    return {
      ...base,
      kind: 'scaling',
      trials: state.candidates.size,
      total: candidateCount(spec),
      base: { from: spec.base.from, description: describeScalable(spec.base.arch), flops: searchPhase(spec)[0].flops },
      grid: searchPhase(spec).filter((c) => c.role === 'grid').map((c) => c.trial),
      ...(chosen ? { coefficients: chosen.coefficients } : {}),
      lines: scalingLines(spec, state),
    };
  },
  trialItems: (view) => [...view.state.candidates.values()].sort((a, b) => a.trial - b.trial).map(candidateItem),
  execute: async (run) => (await import('./scalingRunner')).runScaling(run),
};

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EnsembleRunSummary } from '../../contract/runs';
import { arrayOf, bool, int, num, object, str } from '../../contract/validate';
import { inspectDataset } from '../data/inspectDataset';
import type { RunKind } from '../runs/runKind';
import type { EnsembleSpec } from './ensembleSpec';
import { applyEnsembleRecord, candidateItem, converged, iterationInfo, memberInfos, type CandidateTrainedRecord, type EnsembleState, type IterationRecord } from './ensembleState';
import { validateEnsembleSpecText } from './validateEnsemble';

/** What a reader relies on in a resolved ensemble spec (validated in full when the run was created). */
const resolvedSpecCheck = object({
  name: str,
  network: object({ input: arrayOf(int), classes: int }),
  dataset: object({ type: str }),
  training: object({ epochs: int, batchSize: int, learningRate: num, trainSamples: int, validationSamples: int, testSamples: int, latencyRepeats: int, workers: int, backend: str }),
  generator: object({ type: str }),
  objective: object({ lambda: num, beta: num, type: str, learn: bool, useBias: bool, warmStart: bool, steps: int, learningRate: num }),
  maxIterations: int,
  forceGrow: bool,
  seed: int,
});

/**
 * AdaNet (`*.ensemble.json`): an ensemble of subnetworks grown one per iteration under the
 * complexity-regularized objective, on the user's data (ensembleRunner.ts).
 */
export const ensembleRun: RunKind<EnsembleSpec, EnsembleState, EnsembleRunSummary> = {
  id: 'ensemble',
  title: 'AdaNet ensemble',
  specSuffix: '.ensemble.json',
  views: ['progress'],
  unit: 'iterations',
  validate: validateEnsembleSpecText,
  async preflight(spec, baseDir) {
    inspectDataset(spec.dataset, baseDir, {
      samples: { count: spec.training.trainSamples + spec.training.validationSamples, setting: 'training.trainSamples + training.validationSamples' },
      input: { shape: spec.network.input, setting: 'network.input' },
    });
  },
  nameOf: (spec) => spec.name,
  readSpec: (value) => resolvedSpecCheck(value, 'spec') as unknown as EnsembleSpec,
  initialState: () => ({ candidates: new Map(), iterations: [] }),
  saveState: (state) => ({ candidates: [...state.candidates.values()], iterations: state.iterations }),
  loadState: (value) => {
    const v = value as { candidates?: unknown; iterations?: unknown } | undefined;
    if (!Array.isArray(v?.candidates) || !Array.isArray(v.iterations)) throw new Error('not an ensemble state');
    return { candidates: new Map((v.candidates as CandidateTrainedRecord[]).map((c) => [c.trial, c])), iterations: v.iterations as IterationRecord[] };
  },
  apply: (state, record, spec) => applyEnsembleRecord(state, record, spec),
  progress: (spec, state) => ({ done: state.iterations.length, total: spec.maxIterations }),
  summarize(view, base): EnsembleRunSummary {
    const { spec, state, folder } = view;
    const graphFile = join(folder.exports, 'ensemble.arch.json');
    return {
      ...base,
      kind: 'ensemble',
      iterations: state.iterations.map((r) => iterationInfo(state, r)),
      maxIterations: spec.maxIterations,
      members: memberInfos(state),
      converged: converged(state),
      ...(state.iterations.length > 0 && existsSync(graphFile) ? { graphFile } : {}),
    };
  },
  trialItems: (view) => [...view.state.candidates.values()].sort((a, b) => a.trial - b.trial).map(candidateItem),
  execute: async (run) => (await import('./ensembleRunner')).runEnsemble(run),
};

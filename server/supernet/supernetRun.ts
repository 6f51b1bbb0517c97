import type { SupernetRunSummary } from '../../contract/runs';
import { arrayOf, int, num, object, str } from '../../contract/validate';
import { inspectDataset } from '../data/inspectDataset';
import type { RunKind } from '../runs/runKind';
import { applySupernetRecord, initialSupernetState, trainingSummary, type SupernetState } from './supernetState';
import { totalEpochs, type SupernetSpec } from './supernetSpec';
import { validateSupernetSpecText } from './validateSupernet';

/** What a reader relies on in a resolved supernet spec (validated in full when the run was created). */
const resolvedSpecCheck = object({
  name: str,
  supernet: object({ stages: arrayOf(object({})), kernels: arrayOf(int), expandRatios: arrayOf(num), depths: arrayOf(int), resolutions: arrayOf(int) }),
  dataset: object({ type: str }),
  training: object({ phases: arrayOf(object({ phase: str, epochs: int, learningRate: num })), batchSize: int, workers: int }),
  seed: int,
});

/**
 * An Once-for-All supernet trained on the user's data (`*.supernet.json`): one journaled epoch
 * at a time, a checkpoint after each (see supernetRunner.ts).
 */
export const supernetRun: RunKind<SupernetSpec, SupernetState, SupernetRunSummary> = {
  id: 'supernet',
  title: 'supernet training',
  specSuffix: '.supernet.json',
  views: ['training-curves'],
  unit: 'epochs',
  validate: validateSupernetSpecText,
  async preflight(spec, baseDir) {
    inspectDataset(spec.dataset, baseDir, { input: { shape: spec.supernet.input, setting: 'supernet.input' } });
  },
  nameOf: (spec) => spec.name,
  readSpec(value) {
    const spec = resolvedSpecCheck(value, 'spec') as unknown as SupernetSpec;
    if (spec.training.phases.length === 0) throw new Error('the spec has no training phases');
    return spec;
  },
  readLegacySpec(text) {
    const validation = validateSupernetSpecText(text, { baseDir: '.' });
    if (!validation.spec) throw new Error(`the spec does not validate: ${validation.diagnostics[0]?.message ?? 'unknown problem'}`);
    return validation.spec;
  },
  initialState: initialSupernetState,
  saveState: (state) => state,
  loadState: (value) => {
    const epochs = (value as SupernetState | undefined)?.epochs;
    if (!Array.isArray(epochs)) throw new Error('not a supernet state');
    return { epochs };
  },
  apply: (state, record, spec) => applySupernetRecord(state, record, spec),
  progress: (spec, state) => ({ done: state.epochs.length, total: totalEpochs(spec.training) }),
  summarize: (view, base) => ({ ...base, kind: 'supernet', training: trainingSummary(view.spec, view.state) }),
  // Loaded on first use: reading runs never pays for TensorFlow.js.
  execute: async (run) => (await import('./supernetRunner')).runSupernetTraining(run),
};

import type { ProxylessRunSummary } from '../../contract/runs';
import { arrayOf, bool, int, num, object, oneOf, str } from '../../contract/validate';
import { inspectDataset } from '../data/inspectDataset';
import type { RunKind } from '../runs/runKind';
import { loadLatencyModel } from './latencyModel';
import { applyProxylessRecord, initialProxylessState, proxylessSummary, type ProxylessState } from './proxylessState';
import { mixedBlocks } from './proxylessSpace';
import { searchEpochs, tableFolder, type ProxylessSpec } from './proxylessSpec';
import { validateProxylessSpecText } from './validateProxyless';

/** What a reader relies on in a resolved spec (validated in full when the run was created). */
const resolvedSpecCheck = object({
  name: str,
  supernet: object({ input: arrayOf(int), classes: int, stem: int, stemStride: int, stages: arrayOf(object({ width: int, stride: int, blocks: int })), kernels: arrayOf(int), expandRatios: arrayOf(int), zero: bool }),
  dataset: object({ type: str }),
  search: object({ warmupEpochs: int, epochs: int, batchSize: int, workers: int, binarization: oneOf('two', 'full_v2'), archUpdateEvery: int }),
  latency: object({ type: oneOf('mul#log', 'add#linear', 'add#abs'), target: num }),
  derived: object({ epochs: int }),
  seed: int,
});

/**
 * A ProxylessNAS search on the user's data and hardware (`*.proxyless.json`): a latency table of
 * its layers, journaled epochs of weight and architecture steps with a checkpoint after each
 * (see proxylessRunner.ts), then the derived network trained from scratch, exported and measured.
 */
export const proxylessRun: RunKind<ProxylessSpec, ProxylessState, ProxylessRunSummary> = {
  id: 'proxyless',
  title: 'ProxylessNAS search',
  specSuffix: '.proxyless.json',
  views: ['architecture-parameters'],
  unit: 'epochs',
  validate: validateProxylessSpecText,
  async preflight(spec, baseDir) {
    inspectDataset(spec.dataset, baseDir, { input: { shape: spec.supernet.input, setting: 'supernet.input' } });
    const table = tableFolder(spec, baseDir);
    // Every layer of the space must be in a table the spec names (a missing one is named with its file).
    if (table) await loadLatencyModel(table, spec.supernet, mixedBlocks(spec.supernet));
  },
  nameOf: (spec) => spec.name,
  readSpec: (value) => resolvedSpecCheck(value, 'spec') as unknown as ProxylessSpec,
  initialState: initialProxylessState,
  saveState: (state) => state,
  loadState: (value) => {
    const saved = value as ProxylessState | undefined;
    if (!Array.isArray(saved?.epochs)) throw new Error('not a ProxylessNAS state');
    return { epochs: saved.epochs, ...(saved.latencyTable ? { latencyTable: saved.latencyTable } : {}), ...(saved.derived ? { derived: saved.derived } : {}) };
  },
  apply: (state, record, spec) => applyProxylessRecord(state, record, spec),
  // The last unit is the derived network: trained from scratch, exported and measured.
  progress: (spec, state) => ({ done: state.epochs.length + (state.derived ? 1 : 0), total: searchEpochs(spec) + 1 }),
  summarize: (view, base) => proxylessSummary(view.spec, view.state, base),
  // Loaded on first use: reading runs never pays for TensorFlow.js.
  execute: async (run) => (await import('./proxylessRunner')).runProxylessSearch(run),
};

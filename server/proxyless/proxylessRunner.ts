import { hostname } from 'node:os';
import { join } from 'node:path';
import { formatMs, formatPercent } from '../../contract/format';
import type { TableCorrectionInfo } from '../../contract/runs';
import { tableFidelityLine } from '../../contract/runText';
import { NasError } from '../core/errors';
import { channelStats } from '../data/channelStats';
import { measurementNote } from '../ofa/lutMeasurement';
import type { ActiveRun, FinishReason } from '../runs/runKind';
import { deriveNetwork } from './deriveNetwork';
import { loadLatencyModel, type LatencyModel } from './latencyModel';
import { writeSupernetTable } from './latencyTable';
import { fitAndValidate, PROXYLESS_CORRECTION_FILE, writeProxylessCorrection } from './latencyCorrection';
import { measuredNetworks, randomChoices } from './latencyValidation';
import { archOfChoices } from './proxylessArch';
import { ArchitectureSearch } from './architectureSearch';
import { readCheckpoint, writeCheckpoint } from './proxylessCheckpoint';
import { loadProxylessData } from './proxylessData';
import { derivedNetwork, proxylessEpoch, type LatencyTableRecord, type ProxylessState } from './proxylessState';
import { mixedBlocks, type MixedBlock } from './proxylessSpace';
import { MIN_CORRECTION_NETWORKS, searchEpochs, tableFolder, type ProxylessSpec } from './proxylessSpec';
import { ProxylessTrainer } from './proxylessTrainer';

type Run = ActiveRun<ProxylessSpec, ProxylessState>;

/**
 * Runs a ProxylessNAS search to the end, resuming where it stopped: the latency table (measured
 * on the first worker unless the spec names one; journaled so it is measured once), the search
 * epochs - each either finished (checkpointed: weights, momentum, α, Adam, RNG position; then
 * journaled) or redone from its start, so no finished epoch is ever repeated - and the derived
 * network, trained from scratch, exported and measured.
 */
export async function runProxylessSearch(run: Run): Promise<FinishReason> {
  const { spec, header } = run;
  const blocks = mixedBlocks(spec.supernet);
  const backend = spec.search.backend === 'auto' ? run.backend : spec.search.backend;
  let latency: LatencyModel | undefined;
  if (run.state.epochs.length < searchEpochs(spec)) latency = await search(run, blocks);
  const state = run.view().state;
  if (!state.derived) {
    latency ??= await loadLatencyModel(state.latencyTable!.dir, spec.supernet, blocks);
    // Only a table corrected on this host predicts the references' latency here.
    const tableMeasuredHere = latency.correction?.host === hostname();
    const derived = await deriveNetwork(state.epochs.at(-1)!, { spec, blocks, latency, folder: run.folder, baseDir: header.baseDir, backend, signal: run.signal, events: run.events, tableMeasuredHere });
    run.append(derived);
    run.events.finished({ unit: 'derived', derived: derivedNetwork(derived) });
  }
  return 'budget';
}

/** The search epochs still to run, on worker threads; returns the latency model it used. */
async function search(run: Run, blocks: readonly MixedBlock[]): Promise<LatencyModel> {
  const { spec, folder, header, events } = run;
  const s = spec.search;
  const data = loadProxylessData(spec, header.baseDir);
  const checkpoint = readCheckpoint(folder);
  const normalization = checkpoint?.normalization ?? channelStats(data.train, data.split.train);
  const trainer = await ProxylessTrainer.start({
    workers: s.workers,
    backend: s.backend === 'auto' ? run.backend : s.backend,
    config: spec.supernet,
    seed: spec.seed,
    optimizer: { learningRate: s.warmupLearningRate, momentum: s.momentum, weightDecay: s.weightDecay },
    train: data.train,
    normalization,
  });
  try {
    events.log(`searching on ${trainer.workers} worker thread(s), ${trainer.backendDetail}; ${data.split.train.length} training, ${data.split.validation.length} validation examples; ${blocks.length} mixed blocks, binarization ${s.binarization}`);
    const latency = await latencyTable(run, blocks, trainer);
    checkLossRange(spec, latency);
    if (checkpoint) {
      await trainer.setState(checkpoint.weights);
      // The checkpoint is written before the journal record: a crash between the two loses only the record.
      if (!run.state.epochs.some((e) => e.epoch === checkpoint.epochsDone)) run.append(checkpoint.record);
    }
    const resumed = checkpoint && { epochsDone: checkpoint.epochsDone, position: checkpoint.search, elapsedMs: checkpoint.record.elapsedMs };
    const loop = new ArchitectureSearch(spec, blocks, data, trainer, latency, resumed, run.signal, events);
    for (let epoch = checkpoint?.epochsDone ?? 0; epoch < searchEpochs(spec); epoch++) {
      const record = await loop.epoch(epoch);
      writeCheckpoint(folder, await trainer.state(), loop.position(), record, normalization);
      run.append(record);
      events.log(
        `epoch ${record.epoch}/${record.epochs} (${record.phase}) validation ${formatPercent(record.validation.accuracy)}, E[lat] ${formatMs(record.expectedLatencyMs)}` +
          (record.archSteps > 0 ? `, ${record.archSteps} architecture steps` : ''),
      );
      events.finished({ unit: 'search-epochs', epoch: proxylessEpoch(record) });
    }
    return latency;
  } finally {
    await trainer.close();
  }
}

/**
 * The run's latency table: the spec's folder, the one this run measured before, or measured now
 * on the first worker and written to exports/latency-table (OFA's format, for `specialize`-style
 * reuse and for the user to keep), with its correction learned from whole networks measured
 * right after it. The folder's correction, if any, applies to every latency the run predicts.
 */
async function latencyTable(run: Run, blocks: readonly MixedBlock[], trainer: ProxylessTrainer): Promise<LatencyModel> {
  const { spec, header, events } = run;
  const named = tableFolder(spec, header.baseDir);
  const journaled = run.state.latencyTable;
  if (named || journaled) {
    const dir = named ?? journaled!.dir;
    const model = await loadLatencyModel(dir, spec.supernet, blocks);
    if (!journaled) {
      run.append({ ...tableRecord('file', dir), ...(model.correction ? { correction: { networks: model.correction.networks } } : {}) });
      if (!model.correction) events.log(`the latency table in ${dir} has no ${PROXYLESS_CORRECTION_FILE}: its plain sums predict latency (nas-studio lut --proxyless SPEC --lut ${dir} --validate 60 learns a correction on the machine it was measured on)`);
    }
    return model;
  }
  const { repeats, warmup } = spec.latency;
  events.log(`measuring the latency table of the supernet's layers on ${trainer.backendDetail}`);
  const entries = await trainer.measureTable(repeats, warmup);
  const dir = join(run.folder.exports, 'latency-table');
  await writeSupernetTable(dir, spec.supernet, entries, measurementNote({ detail: trainer.backendDetail }, { repeats, warmup }));
  const correction = await correctTable(run, blocks, trainer, dir);
  const model = await loadLatencyModel(dir, spec.supernet, blocks);
  run.append({ ...tableRecord('measured', dir), backend: trainer.backendDetail, ...(correction ? { correction } : {}) });
  return model;
}

/**
 * Measures `latency.correctionNetworks` random networks of the space end to end on the worker that
 * measured the table, and writes the correction learned from them into the table folder.
 */
async function correctTable(run: Run, blocks: readonly MixedBlock[], trainer: ProxylessTrainer, dir: string): Promise<TableCorrectionInfo | undefined> {
  const { spec, events } = run;
  const count = spec.latency.correctionNetworks ?? 0;
  if (count < MIN_CORRECTION_NETWORKS) return undefined;
  events.log(`measuring ${count} random networks of the space end to end to check and correct the table`);
  const choices = randomChoices(blocks, count, spec.seed);
  const measured = await trainer.measureNetworks(choices.map((c) => archOfChoices(spec.supernet, blocks, c)), spec.derived.latencyRepeats);
  const fit = fitAndValidate(measuredNetworks(await loadLatencyModel(dir, spec.supernet, blocks, { raw: true }), blocks, choices, measured));
  writeProxylessCorrection(dir, fit, trainer.backendDetail);
  events.log(tableFidelityLine({ networks: count, raw: fit.raw, corrected: fit.corrected }));
  return { networks: count, raw: fit.raw, corrected: fit.corrected };
}

function tableRecord(source: LatencyTableRecord['source'], dir: string): LatencyTableRecord {
  return { type: 'latency_table', at: new Date().toISOString(), source, dir };
}

/** mul#log takes log E[lat]: every network of the space must be slower than 1 ms by the table. */
function checkLossRange(spec: ProxylessSpec, latency: LatencyModel): void {
  if (spec.latency.type !== 'mul#log') return;
  const fastest = latency.blockMs.reduce((sum, ms) => sum + Math.min(...ms), latency.fixedMs);
  if (fastest <= 1) {
    throw new NasError('invalid-spec', `mul#log needs latencies above 1 ms (it takes log E[lat]), but by the latency table this space's fastest network takes ${formatMs(fastest)}: use "loss": "add#linear"`);
  }
}

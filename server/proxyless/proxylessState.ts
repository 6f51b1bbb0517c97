import type { DerivedNetwork, ProxylessEpoch, ProxylessRunSummary, TableCorrectionInfo } from '../../contract/runs';
import { RecordError, type JournalRecord, type RunSummaryBase } from '../runs/runKind';
import { blockLabel, mixedBlocks, opName } from './proxylessSpace';
import { searchEpochs, type ProxylessSpec } from './proxylessSpec';

/** The latency table the run uses, once it has one (measured here, or read from the spec's folder). */
export interface LatencyTableRecord {
  readonly type: 'latency_table';
  readonly at: string;
  readonly source: 'measured' | 'file';
  /** The folder holding `<size>_lookup_table.yaml`. */
  readonly dir: string;
  /** The backend it was measured on (when measured here). */
  readonly backend?: string;
  /** The learned correction of its sums the run uses, if the folder has one (see latencyValidation.ts). */
  readonly correction?: TableCorrectionInfo;
}

/** One finished epoch, as journaled. */
export interface EpochRecord extends ProxylessEpoch {
  readonly type: 'epoch_finished';
  readonly at: string;
  /** Run time so far, over all resumptions. */
  readonly elapsedMs: number;
}

/** The derived network, trained, exported and measured: the run's last record. */
export interface DerivedRecord extends DerivedNetwork {
  readonly type: 'derived';
  readonly at: string;
  /** The candidate of every block, by index. */
  readonly choices: readonly number[];
}

export const PROXYLESS_RECORD_TYPES = ['latency_table', 'epoch_finished', 'derived'] as const;

/** A ProxylessNAS run's journal folded. */
export interface ProxylessState {
  latencyTable?: LatencyTableRecord;
  readonly epochs: EpochRecord[];
  derived?: DerivedRecord;
}

export function initialProxylessState(): ProxylessState {
  return { epochs: [] };
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Probabilities with one row per block of the spec and one entry per candidate. */
function probabilitiesFit(value: unknown, spec: ProxylessSpec): boolean {
  const blocks = mixedBlocks(spec.supernet);
  return Array.isArray(value) && value.length === blocks.length && value.every((row, b) => Array.isArray(row) && row.length === blocks[b].candidates.length && row.every(isNumber));
}

/** Folds a record: the table, epochs in order, then the derived network; a repeat is ignored. */
export function applyProxylessRecord(state: ProxylessState, record: JournalRecord, spec: ProxylessSpec): void {
  const total = searchEpochs(spec);
  switch (record.type) {
    case 'latency_table':
      if (typeof record.dir !== 'string' || (record.source !== 'measured' && record.source !== 'file')) throw new RecordError('a latency table record without its folder or source');
      state.latencyTable = record as unknown as LatencyTableRecord;
      return;
    case 'epoch_finished': {
      const epoch = record.epoch;
      if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 1) throw new RecordError('an epoch record without its epoch number');
      if (epoch > total) throw new RecordError(`epoch ${epoch} is beyond this run's ${total} epochs`);
      const validation = record.validation as { accuracy?: unknown } | undefined;
      if (!isNumber(record.loss) || !isNumber(record.expectedLatencyMs) || !isNumber(validation?.accuracy)) throw new RecordError(`epoch ${epoch} lacks its loss, expected latency or validation accuracy`);
      if (!probabilitiesFit(record.probabilities, spec)) throw new RecordError(`epoch ${epoch}'s probabilities do not fit the spec's blocks and candidates`);
      const last = state.epochs.at(-1)?.epoch ?? 0;
      if (epoch <= last) return;
      if (epoch !== last + 1) throw new RecordError(`epoch ${epoch} follows epoch ${last}`);
      state.epochs.push(record as unknown as EpochRecord);
      return;
    }
    case 'derived':
      if (state.derived) return;
      if (state.epochs.length < total) throw new RecordError(`a derived network after ${state.epochs.length} of ${total} epochs`);
      if (typeof record.arch !== 'object' || !isNumber(record.measuredLatencyMs) || !isNumber(record.valAccuracy)) throw new RecordError('a derived network without its architecture, measured latency or accuracy');
      state.derived = record as unknown as DerivedRecord;
      return;
    default:
      throw new RecordError(`unknown record type "${record.type}"`);
  }
}

/** An epoch as the protocol shows it (without the journal bookkeeping). */
export function proxylessEpoch({ type: _type, at: _at, elapsedMs: _elapsedMs, ...epoch }: EpochRecord): ProxylessEpoch {
  return epoch;
}

/** The derived network as the protocol shows it. */
export function derivedNetwork({ type: _type, at: _at, choices: _choices, ...derived }: DerivedRecord): DerivedNetwork {
  return derived;
}

export function proxylessSummary(spec: ProxylessSpec, state: ProxylessState, base: RunSummaryBase): ProxylessRunSummary {
  const last = state.epochs.at(-1);
  const table = state.latencyTable;
  return {
    ...base,
    kind: 'proxyless',
    binarization: spec.search.binarization,
    latencyLoss: spec.latency.type,
    targetMs: spec.latency.target,
    blocks: mixedBlocks(spec.supernet).map((b) => ({ label: blockLabel(b), candidates: b.candidates.map(opName) })),
    epoch: state.epochs.length,
    epochs: searchEpochs(spec),
    ...(last ? { probabilities: last.probabilities } : {}),
    curve: state.epochs.map((e) => ({ epoch: e.epoch, phase: e.phase, expectedLatencyMs: e.expectedLatencyMs, validationAccuracy: e.validation.accuracy, loss: e.loss })),
    ...(table ? { latencyTable: { source: table.source, dir: table.dir, ...(table.backend ? { backend: table.backend } : {}), ...(table.correction ? { correction: table.correction } : {}) } } : {}),
    ...(state.derived ? { derived: derivedNetwork(state.derived) } : {}),
  };
}

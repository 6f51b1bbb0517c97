import type { SpecializationRunSummary, SpecializedSubnetInfo, TrialItem } from '../../contract/runs';
import { arrayOf, int, num, object, optional, str, union } from '../../contract/validate';
import { describeEfficiency, type EfficiencySpec } from '../ofa/efficiencyModel';
import { DEFAULT_RESOLUTIONS } from '../spaces/ofa/mbv3Network';
import { RecordError, type ActiveRun, type FinishReason, type JournalRecord, type RunKind } from '../runs/runKind';
import { RUN_FORMAT, type RunHeader } from '../store/runFolder';
import { createFinder, type FinderSpec } from './finders';
import { markPareto, prepareSpecialization, searchLimit, type SpecializationResult, type SpecializedSubnet } from './specialize';
import { specializationRequest, validateSpecializationText, type SpecializationSpec } from './specializationSpec';

/** A specialization's journal folded: the sub-network found for each finished limit, by the limit's index. */
export interface SpecializationState {
  readonly subnets: Map<number, SpecializedSubnet>;
}

/** One limit's result, as journaled. */
export interface LimitFinishedRecord {
  readonly type: 'limit_finished';
  readonly at: string;
  /** Index of the limit in the spec's `limits`. */
  readonly index: number;
  readonly subnet: SpecializedSubnet;
}

const efficiencyCheck = union<EfficiencySpec>('kind', {
  lut: object({ kind: str, dir: str }) as never,
  'flops-table': object({ kind: str, path: str }) as never,
  flops: object({ kind: str }) as never,
});

/** What a reader relies on in a resolved specialization spec. */
const resolvedSpecCheck = object({
  name: str,
  predictor: str,
  efficiency: efficiencyCheck,
  limits: arrayOf(num),
  seed: int,
  resolutions: optional(arrayOf(int)),
  finder: object({ type: str }),
});

const subnetCheck = object({
  limit: num,
  arch: object({ ks: arrayOf(int), e: arrayOf(num), d: arrayOf(int), r: int }),
  description: str,
  predictedAccuracy: num,
  efficiency: num,
  mflops: num,
  mparams: num,
  seconds: num,
});

function applyLimitRecord(state: SpecializationState, record: JournalRecord, spec: SpecializationSpec): void {
  if (record.type !== 'limit_finished') throw new RecordError(`unknown record type "${record.type}"`);
  const index = record.index;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= spec.limits.length) {
    throw new RecordError(`limit index ${JSON.stringify(index)} is not one of this run's ${spec.limits.length} limits`);
  }
  let subnet: SpecializedSubnet;
  try {
    subnet = subnetCheck(record.subnet, 'subnet') as unknown as SpecializedSubnet;
  } catch (e) {
    throw new RecordError(`limit ${spec.limits[index]}: ${(e as Error).message}`);
  }
  if (subnet.limit !== spec.limits[index]) throw new RecordError(`the result for limit ${subnet.limit} is filed under limit ${spec.limits[index]}`);
  if (!state.subnets.has(index)) state.subnets.set(index, subnet);
}

/** Finished sub-networks in the spec's order, Pareto flags over them. */
function finishedSubnets(spec: SpecializationSpec, state: SpecializationState): SpecializedSubnet[] {
  return markPareto(spec.limits.flatMap((_, i) => state.subnets.get(i) ?? []));
}

/** The sweep as specialize() returns it (what exports and `--json` write). */
export function specializationResult(spec: SpecializationSpec, state: SpecializationState): SpecializationResult {
  return {
    predictor: spec.predictor,
    efficiency: { spec: spec.efficiency, ...describeEfficiency(spec.efficiency) },
    finder: createFinder(spec.finder).name,
    seed: spec.seed,
    resolutions: spec.resolutions ?? DEFAULT_RESOLUTIONS,
    subnets: finishedSubnets(spec, state),
  };
}

export function subnetInfo(s: SpecializedSubnet): SpecializedSubnetInfo {
  return {
    limit: s.limit,
    arch: { space: 'ofa-mbv3', ...s.arch },
    description: s.description,
    predictedAccuracy: s.predictedAccuracy,
    efficiency: s.efficiency,
    mflops: s.mflops,
    mparams: s.mparams,
    seconds: s.seconds,
    pareto: s.pareto,
  };
}

/**
 * A limit's sub-network as a trial (getTrial, the graph): trial n is the n-th limit of the
 * request; its metrics are the predicted accuracy, the constrained metric, MFLOPs and params.
 */
function subnetItem(spec: SpecializationSpec, index: number, s: SpecializedSubnet): TrialItem {
  const { metric, unit } = describeEfficiency(spec.efficiency);
  return {
    trial: index + 1,
    key: JSON.stringify(s.arch),
    genome: [],
    arch: { space: 'ofa-mbv3', ...s.arch },
    metrics: { predicted_accuracy: s.predictedAccuracy, [metric]: s.efficiency, mflops: s.mflops, mparams: s.mparams },
    feasible: true,
    cached: false,
    durationMs: s.seconds * 1000,
    description: `≤ ${s.limit} ${unit}: ${s.description}`,
  };
}

/**
 * Searches the limits from small to large, each starting also from the smaller limits' results
 * (all feasible for it), journaling each limit's sub-network. Resuming skips journaled limits
 * and starts from their journaled results: the same sweep as an uninterrupted one.
 */
async function runSweep(run: ActiveRun<SpecializationSpec, SpecializationState>): Promise<FinishReason> {
  const { spec, events } = run;
  const context = await prepareSpecialization(specializationRequest(spec));
  const done = new Map(run.state.subnets);
  const n = spec.limits.length;
  const order = spec.limits.map((_, i) => i).sort((a, b) => spec.limits[a] - spec.limits[b] || a - b);
  const { unit } = describeEfficiency(spec.efficiency);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (done.has(i)) continue;
    const starts = order.slice(0, k).flatMap((j) => done.get(j)?.arch ?? []);
    const control = {
      signal: run.signal,
      progress: (fraction: number, best: { limit: number; predictedAccuracy: number; efficiency: number }) =>
        events.progress({ fraction, done: done.size, total: n, unit: 'limits', message: `limit ${best.limit} ${unit}: ${(best.predictedAccuracy * 100).toFixed(2)} % at ${best.efficiency.toFixed(2)} ${unit}` }),
    };
    const subnet = await searchLimit(context, spec.limits[i], control, [k / n, 1 / n], starts);
    run.append<LimitFinishedRecord>({ type: 'limit_finished', at: new Date().toISOString(), index: i, subnet });
    done.set(i, subnet);
    events.finished({ unit: 'limits', subnet: subnetInfo(subnet) });
  }
  return 'budget';
}

/** A specialization file of NAS Studio 0.1 (specializations/<id>.json), read as the run it was. */
function readLegacyFile(value: unknown): { header: RunHeader; spec: SpecializationSpec; records: JournalRecord[] } {
  const file = object({ name: str, status: str, createdAt: str, request: object({ predictor: str, efficiency: efficiencyCheck, limits: arrayOf(num) }) })(value, '');
  const legacy = value as typeof file & { error?: string; subnets?: unknown[]; result?: { subnets?: unknown[]; finder?: string; seed?: number }; request: { seed?: number } };
  const spec: SpecializationSpec = {
    name: file.name,
    predictor: file.request.predictor,
    efficiency: file.request.efficiency,
    limits: file.request.limits,
    seed: legacy.request.seed ?? legacy.result?.seed ?? 0,
    finder: { type: legacy.result?.finder === 'ofa-evolution' ? 'ofa-evolution' : 'guided' } as FinderSpec,
  };
  const at = file.createdAt;
  const subnets = (legacy.result?.subnets ?? legacy.subnets ?? []) as { limit?: unknown; arch?: Record<string, unknown> }[];
  const records: JournalRecord[] = subnets.map((s) => {
    const { space: _space, ...arch } = s.arch ?? {};
    return { type: 'limit_finished', at, index: spec.limits.indexOf(s.limit as number), subnet: { ...s, arch } };
  });
  const end: JournalRecord = file.status === 'finished' ? { type: 'finished', at, reason: 'budget' } : file.status === 'failed' ? { type: 'failed', at, error: legacy.error ?? 'failed' } : { type: 'stopped', at };
  return { header: { format: RUN_FORMAT, kind: 'specialization', name: file.name, createdAt: at, source: '', baseDir: '' }, spec, records: [{ type: 'started', at, pid: 0, budget: spec.limits.length }, ...records, end] };
}

/** The best OFA sub-network for each latency or FLOPs limit: an accuracy predictor and an efficiency model, no training. */
export const specializationRun: RunKind<SpecializationSpec, SpecializationState, SpecializationRunSummary> = {
  id: 'specialization',
  title: 'specialization',
  views: [],
  unit: 'limits',
  validate: validateSpecializationText,
  async preflight(spec) {
    await prepareSpecialization(specializationRequest(spec));
  },
  nameOf: (spec) => spec.name,
  readSpec: (value) => resolvedSpecCheck(value, 'spec') as unknown as SpecializationSpec,
  readLegacyFile,
  initialState: () => ({ subnets: new Map() }),
  saveState: (state) => [...state.subnets],
  loadState: (value) => {
    if (!Array.isArray(value)) throw new Error('not a specialization state');
    return { subnets: new Map(value as [number, SpecializedSubnet][]) };
  },
  apply: (state, record, spec) => applyLimitRecord(state, record, spec),
  progress: (spec, state) => ({ done: state.subnets.size, total: spec.limits.length }),
  summarize(view, base): SpecializationRunSummary {
    const { spec, state } = view;
    return {
      ...base,
      kind: 'specialization',
      request: { name: spec.name, predictor: spec.predictor, efficiency: spec.efficiency, limits: spec.limits, seed: spec.seed },
      efficiency: describeEfficiency(spec.efficiency),
      subnets: finishedSubnets(spec, state).map(subnetInfo),
    };
  },
  trialItems: (view) => [...view.state.subnets].sort(([a], [b]) => a - b).map(([index, s]) => subnetItem(view.spec, index, s)),
  execute: runSweep,
};

import type { Metrics } from '../../contract/metrics';
import { coefficientsText } from '../../contract/runText';
import type { ScalingLine, ScalingPoint, ScalingRuleName, TrialItem } from '../../contract/runs';
import { RecordError, type JournalRecord } from '../runs/runKind';
import type { ScalingCoefficients } from './compoundScaling';
import { describeScalable, type ScalableArch } from './scalableArch';
import { gridWinner, type CandidateRole, type PlannedCandidate } from './scalingPlan';
import { candidateCount, type ScalingSpec } from './scalingSpec';

/** A candidate network trained (or reused, `cached`, when an earlier trial is the same network), as journaled. */
export interface CandidateRecord {
  readonly type: 'candidate_finished';
  readonly at: string;
  readonly trial: number;
  readonly role: CandidateRole;
  readonly rule: ScalingRuleName;
  readonly phi: number;
  readonly coefficients: ScalingCoefficients;
  readonly targetFlops?: number;
  readonly arch: ScalableArch;
  readonly key: string;
  readonly metrics: Metrics;
  readonly cached: boolean;
  readonly durationMs: number;
}

/** A scaling run's journal folded: its finished candidates by trial number. */
export interface ScalingState {
  readonly candidates: Map<number, CandidateRecord>;
}

const ROLES: readonly string[] = ['base', 'grid', 'family'];
const RULES: readonly string[] = ['compound', 'depth', 'width', 'resolution'];
const SCALABLE_SPACES: readonly string[] = ['layers', 'proxyless'];
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function applyScalingRecord(state: ScalingState, record: JournalRecord, spec: ScalingSpec): void {
  if (record.type !== 'candidate_finished') throw new RecordError(`unknown record type "${record.type}"`);
  const { trial } = record;
  const total = candidateCount(spec);
  if (typeof trial !== 'number' || !Number.isInteger(trial) || trial < 0 || trial >= total) throw new RecordError(`candidate ${JSON.stringify(trial)} is not one of this run's ${total} candidates`);
  const c = record.coefficients as Partial<ScalingCoefficients> | undefined;
  if (!ROLES.includes(record.role as string) || !RULES.includes(record.rule as string) || !isNumber(record.phi)) throw new RecordError(`candidate ${trial} lacks its role, rule or φ`);
  if (!c || !isNumber(c.depth) || !isNumber(c.width) || !isNumber(c.resolution)) throw new RecordError(`candidate ${trial} lacks its scaling coefficients`);
  const metrics = record.metrics as Record<string, unknown> | undefined;
  if (!metrics || typeof metrics !== 'object' || !Object.values(metrics).every((v) => typeof v === 'number' || v === null)) throw new RecordError(`candidate ${trial} has no metrics`);
  if (!SCALABLE_SPACES.includes((record.arch as { space?: unknown } | undefined)?.space as string) || typeof record.key !== 'string') throw new RecordError(`candidate ${trial} has no architecture`);
  if (typeof record.cached !== 'boolean' || !isNumber(record.durationMs)) throw new RecordError(`candidate ${trial} lacks its cached flag or duration`);
  if (!state.candidates.has(trial)) state.candidates.set(trial, record as unknown as CandidateRecord);
}

/** Trained candidates as the grid search reads them. */
function scored(state: ScalingState): Map<number, { trial: number; metrics: Metrics; flops: number }> {
  return new Map([...state.candidates].map(([trial, c]) => [trial, { trial, metrics: c.metrics, flops: c.metrics.flops }]));
}

/** The grid point that won (its coefficients are the run's α, β, γ), once every grid point is trained. */
export function gridChoice(spec: ScalingSpec, state: ScalingState): PlannedCandidate | undefined {
  return gridWinner(spec, scored(state));
}

function point(c: CandidateRecord): ScalingPoint {
  return {
    trial: c.trial,
    phi: c.phi,
    coefficients: c.coefficients,
    description: describeScalable(c.arch),
    flops: c.metrics.flops,
    params: c.metrics.params,
    valAccuracy: c.metrics.val_accuracy,
    ...(c.metrics.test_accuracy !== undefined ? { testAccuracy: c.metrics.test_accuracy } : {}),
    latencyMs: c.metrics.latency_ms,
  };
}

/** Each rule's line through its finished members by φ, from the base; the compound line passes through the grid's winner at φ = 1. */
export function scalingLines(spec: ScalingSpec, state: ScalingState): ScalingLine[] {
  const base = state.candidates.get(0);
  const winner = gridChoice(spec, state);
  const members = [...state.candidates.values()].filter((c) => c.role === 'family');
  return (['compound', ...spec.baselines] as ScalingRuleName[]).map((rule) => {
    const own = members.filter((c) => c.rule === rule);
    const first = rule === 'compound' && winner ? [state.candidates.get(winner.trial)!] : [];
    const points = [...(base ? [base] : []), ...first, ...own].sort((a, b) => a.phi - b.phi || a.trial - b.trial);
    return { rule, points: points.map(point) };
  });
}

/** A candidate as the editor lists trials. */
export function candidateItem(c: CandidateRecord): TrialItem {
  const what = c.role === 'base' ? 'base' : c.role === 'grid' ? 'grid' : `${c.rule} φ=${c.phi}`;
  return {
    trial: c.trial,
    key: c.key,
    genome: [],
    arch: c.arch,
    metrics: c.metrics,
    feasible: true,
    cached: c.cached,
    durationMs: c.durationMs,
    description: `${what} (${coefficientsText(c.coefficients)}): ${describeScalable(c.arch)}`,
  };
}

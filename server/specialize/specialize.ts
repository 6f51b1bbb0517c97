import { sweepRows } from '../../contract/specializationSweep';
import { Rng } from '../core/rng';
import { SpecError } from '../core/errors';
import { AccuracyPredictor } from '../ofa/accuracyPredictor';
import { type EfficiencyModel, type EfficiencySpec, loadEfficiencyModel } from '../ofa/efficiencyModel';
import type { OfaArch } from '../spaces/ofa/mbv3Network';
import { OfaMbv3Space } from '../spaces/ofa/ofaMbv3Space';
import { DEFAULT_FINDER, type FinderSpec, createFinder } from './finders';
import type { Candidate, Finder } from './searchProblem';

/** What to specialize: predictor file, efficiency model, one limit or several (a sweep). */
export interface SpecializationRequest {
  /** Accuracy predictor weights (OFA's acc_predictor.json format). */
  readonly predictor: string;
  readonly efficiency: EfficiencySpec;
  /** Upper bounds on the efficiency metric (ms or MFLOPs); one search per limit. */
  readonly limits: readonly number[];
  /** Input resolutions to search (default 160..224 step 16, the ones OFA's predictor knows). */
  readonly resolutions?: readonly number[];
  readonly seed?: number;
  readonly finder?: FinderSpec;
}

export interface SpecializedSubnet {
  readonly limit: number;
  /** What OFA's `set_active_subnet(ks=, e=, d=)` takes, plus the input resolution. */
  readonly arch: OfaArch;
  readonly description: string;
  /** Predicted top-1 accuracy as a fraction (what the predictor outputs). */
  readonly predictedAccuracy: number;
  /** The constrained metric under the request's efficiency model (ms or MFLOPs). */
  readonly efficiency: number;
  /** FLOPs (millions of multiply-accumulates) and parameters (millions) of the real sub-network. */
  readonly mflops: number;
  readonly mparams: number;
  readonly seconds: number;
  readonly evaluations: number;
  /** On the sweep's Pareto set (contract/specializationSweep.ts): no other result is as cheap and as accurate, a tie going to the smallest limit. */
  readonly pareto: boolean;
}

export interface SpecializationResult {
  readonly predictor: string;
  readonly efficiency: { readonly spec: EfficiencySpec; readonly label: string; readonly metric: string; readonly unit: string };
  readonly finder: string;
  readonly seed: number;
  readonly resolutions: readonly number[];
  /** One per limit, in the request's order. */
  readonly subnets: readonly SpecializedSubnet[];
}

export interface SpecializationControl {
  readonly signal?: AbortSignal;
  /** Overall fraction done and the best sub-network of the limit being searched. */
  progress?(fraction: number, best: { limit: number; arch: OfaArch; predictedAccuracy: number; efficiency: number }): void;
}

/** Loaded files and built search parts, reusable for many searches (benchmarks, sweeps). */
export interface SpecializationContext {
  readonly request: SpecializationRequest;
  readonly space: OfaMbv3Space;
  readonly predictor: AccuracyPredictor;
  readonly model: EfficiencyModel;
  readonly finder: Finder;
  readonly seed: number;
  /** The cheapest sub-network the efficiency model allows, and its cost. */
  readonly minimum: { readonly value: number; readonly arch: OfaArch };
}

/** Validates the request and loads its files; throws SpecError / DataError with clear messages. */
export async function prepareSpecialization(request: SpecializationRequest): Promise<SpecializationContext> {
  if (typeof request.predictor !== 'string' || request.predictor === '') throw new SpecError('a predictor weights file is required', ['predictor']);
  if (!Array.isArray(request.limits) || request.limits.length === 0) throw new SpecError('give at least one limit', ['limits']);
  request.limits.forEach((limit, i) => {
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) throw new SpecError(`limit must be a positive number, got ${JSON.stringify(limit)}`, ['limits', i]);
  });
  const seed = request.seed ?? 0;
  if (!Number.isInteger(seed)) throw new SpecError(`seed must be an integer, got ${JSON.stringify(seed)}`, ['seed']);
  const finder = createFinder(request.finder ?? DEFAULT_FINDER);
  const space = new OfaMbv3Space(request.resolutions ? { resolutions: request.resolutions } : {});
  const predictor = await AccuracyPredictor.load(request.predictor, space);
  const model = await loadEfficiencyModel(request.efficiency, space);
  const minimum = model.cost.minimum();
  const context = { request, space, predictor, model, finder, seed, minimum: { value: minimum.value, arch: space.toOfaArch(minimum.genome) } };
  request.limits.forEach((limit, i) => checkFeasible(context, limit, i));
  return context;
}

/**
 * Specializes for one limit of a prepared context. `starts` are known feasible sub-networks to
 * start from (those of smaller limits in a sweep). Same context, limit, seed and starts: same result.
 */
export async function searchLimit(
  context: SpecializationContext,
  limit: number,
  control: SpecializationControl = {},
  fractionOf: [number, number] = [0, 1],
  starts: readonly OfaArch[] = [],
): Promise<SpecializedSubnet> {
  checkFeasible(context, limit, 0);
  const { space, predictor, model, finder } = context;
  const [start, span] = fractionOf;
  const report = (fraction: number, best: Candidate) =>
    control.progress?.(start + span * fraction, { limit, arch: space.toOfaArch(best.genome), predictedAccuracy: best.accuracy, efficiency: best.cost });
  const began = performance.now();
  const problem = { space, predictor, cost: model.cost, limit, starts: starts.map((arch) => space.fromArch(arch)) };
  const outcome = await finder.search(problem, new Rng(`${context.seed}/${limit}`), { signal: control.signal, progress: report });
  const seconds = (performance.now() - began) / 1000;
  const { genome, accuracy, cost } = outcome.best;
  return {
    limit,
    arch: space.toOfaArch(genome),
    description: space.describe(genome),
    predictedAccuracy: accuracy,
    efficiency: cost,
    mflops: space.flops(genome),
    mparams: space.params(genome),
    seconds,
    evaluations: outcome.evaluations,
    pareto: true,
  };
}

/**
 * Specializes for every limit of the request: one limit is one search, several are a constraint
 * sweep whose `pareto` flags mark the Pareto set. A sweep searches the limits from small to
 * large, each starting also from the smaller limits' results (all feasible for it), so a larger
 * budget never ends with a worse prediction. Results come in the request's order.
 */
export async function specialize(request: SpecializationRequest, control: SpecializationControl = {}): Promise<SpecializationResult> {
  const context = await prepareSpecialization(request);
  const n = request.limits.length;
  const order = request.limits.map((_, i) => i).sort((a, b) => request.limits[a] - request.limits[b]);
  const subnets: SpecializedSubnet[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const smaller = order.slice(0, k).map((j) => subnets[j].arch);
    subnets[i] = await searchLimit(context, request.limits[i], control, [k / n, 1 / n], smaller);
  }
  return describeResult(context, markPareto(subnets));
}

export function describeResult(context: SpecializationContext, subnets: readonly SpecializedSubnet[]): SpecializationResult {
  const { model } = context;
  return {
    predictor: context.request.predictor,
    efficiency: { spec: model.spec, label: model.label, metric: model.metric, unit: model.unit },
    finder: context.finder.name,
    seed: context.seed,
    resolutions: context.space.resolutions,
    subnets,
  };
}

/** Flags the sweep's Pareto set: results nothing else matches or beats (a tie goes to the smallest limit). */
export function markPareto(subnets: readonly SpecializedSubnet[]): SpecializedSubnet[] {
  return sweepRows(subnets).map((row) => ({ ...row.subnet, pareto: row.pareto }));
}

function checkFeasible(context: Pick<SpecializationContext, 'minimum' | 'model' | 'space'>, limit: number, index: number): void {
  const { minimum, model } = context;
  if (limit >= minimum.value) return;
  const arch = minimum.arch;
  throw new SpecError(
    `no sub-network meets ${model.metric} <= ${limit} ${model.unit} under the ${model.label}: ` +
      `the smallest achievable is ${formatNumber(minimum.value)} ${model.unit} (r=${arch.r}, depth ${arch.d.join(',')})`,
    ['limits', index],
  );
}

function formatNumber(value: number): string {
  return value >= 100 ? value.toFixed(1) : value.toFixed(3);
}

/**
 * Reading a specialization sweep: which limits' results form its Pareto set (the star), which
 * ones a larger limit did not improve on ("same as ≤ 55 ms", the plateau of the curve), and the
 * readable file name a sub-network is exported under. Shared by the engine (the `pareto` flag of
 * every result), the explorer, the sweep curve and the CLI so they all agree.
 */
import type { EfficiencyChoice } from './runs';

/** What the sweep logic reads of a limit's result (the engine's and the contract's shapes both fit). */
export interface SweepResult {
  readonly limit: number;
  readonly efficiency: number;
  readonly predictedAccuracy: number;
  readonly arch: unknown;
}

export interface SweepRow<T extends SweepResult> {
  readonly subnet: T;
  /** On the sweep's Pareto set: nothing else is as accurate and as cheap (a tie goes to the smallest limit). */
  readonly pareto: boolean;
  /** The smallest limit whose result is at least as accurate and as cheap as this one: a larger limit found nothing better. */
  readonly sameAs?: number;
  /** `sameAs`'s result is this very architecture (not only as good). */
  readonly identical: boolean;
}

const atLeastAsGood = (b: SweepResult, a: SweepResult) => b.efficiency <= a.efficiency && b.predictedAccuracy >= a.predictedAccuracy;
const better = (b: SweepResult, a: SweepResult) => atLeastAsGood(b, a) && (b.efficiency < a.efficiency || b.predictedAccuracy > a.predictedAccuracy);

/** One row per result, in the given order. */
export function sweepRows<T extends SweepResult>(subnets: readonly T[]): SweepRow<T>[] {
  return subnets.map((a) => {
    const earlier = subnets.filter((b) => b.limit < a.limit && atLeastAsGood(b, a)).sort((x, y) => x.limit - y.limit)[0];
    const dominated = subnets.some((b) => b !== a && better(b, a));
    return {
      subnet: a,
      pareto: !earlier && !dominated,
      ...(earlier ? { sameAs: earlier.limit } : {}),
      identical: earlier !== undefined && JSON.stringify(earlier.arch) === JSON.stringify(a.arch),
    };
  });
}

/** "same as ≤ 55 ms" (the same network) or "no better than ≤ 55 ms" (another one, not better); undefined on a row of its own. */
export function sameAsText(row: SweepRow<SweepResult>, unit: string): string | undefined {
  if (row.sameAs === undefined) return undefined;
  return `${row.identical ? 'same as' : 'no better than'} ≤ ${row.sameAs} ${unit}`;
}

/** A file-name-safe word: lower case letters, digits and single dashes. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '') || 'table';
}

/** The last segment of a path, without a `.json` extension, whatever the separator. */
function baseName(path: string): string {
  return (path.split(/[\\/]/).filter(Boolean).at(-1) ?? '').replace(/\.json$/i, '');
}

/** What the efficiency model is called in file names: the lookup table's folder ("note10"), the FLOPs table's file, or "flops". */
export function efficiencyTag(efficiency: EfficiencyChoice): string {
  if (efficiency.kind === 'lut') return slug(baseName(efficiency.dir));
  if (efficiency.kind === 'flops-table') return slug(baseName(efficiency.path));
  return 'flops';
}

/**
 * "ofa-note10-60ms.arch.json": the suggested file of a limit's sub-network — the efficiency
 * model and the limit with its unit; "-2", "-3"… appended while `taken` says the name is used.
 */
export function subnetFileName(efficiency: EfficiencyChoice, limit: number, taken: (name: string) => boolean = () => false): string {
  const unit = efficiency.kind === 'lut' ? 'ms' : 'mflops';
  const stem = `ofa-${efficiencyTag(efficiency)}-${limit}${unit}`;
  let name = `${stem}.arch.json`;
  for (let k = 2; taken(name); k++) name = `${stem}-${k}.arch.json`;
  return name;
}

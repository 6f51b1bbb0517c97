import { writeFileAtomic } from '../store/atomicFile';
import { DataError, errorMessage } from '../core/errors';
import type { SpecializationResult, SpecializedSubnet } from './specialize';

/**
 * One exported sub-network: `ks`, `e`, `d` as OFA's `set_active_subnet(**subnet)` takes them
 * (it ignores the other keys), `r` the input resolution, then what NAS Studio predicted.
 */
export interface ExportedSubnet {
  /** NAS Studio's architecture tag (hover, graph editor); OFA's set_active_subnet ignores it. */
  readonly space: 'ofa-mbv3';
  readonly ks: readonly number[];
  readonly e: readonly number[];
  readonly d: readonly number[];
  readonly r: number;
  /** Fraction, as the predictor outputs it. */
  readonly predicted_accuracy: number;
  readonly [metric: string]: unknown;
}

export function toExported(result: SpecializationResult, subnet: SpecializedSubnet): ExportedSubnet {
  const { metric, label } = result.efficiency;
  return {
    space: 'ofa-mbv3',
    ks: subnet.arch.ks,
    e: subnet.arch.e,
    d: subnet.arch.d,
    r: subnet.arch.r,
    predicted_accuracy: subnet.predictedAccuracy,
    [metric]: subnet.efficiency,
    mflops: subnet.mflops,
    mparams: subnet.mparams,
    constraint: { metric, max: subnet.limit },
    efficiency_model: label,
    predictor: result.predictor,
    finder: result.finder,
    seed: result.seed,
  };
}

/**
 * Writes the result as JSON: one sub-network object when the result has one (or `limit` picks
 * one), else an array of every limit's sub-network with its `pareto` flag.
 */
export async function writeSpecializedSubnets(result: SpecializationResult, path: string, limit?: number): Promise<void> {
  let json: unknown;
  if (limit !== undefined) {
    const subnet = result.subnets.find((s) => s.limit === limit);
    if (!subnet) throw new RangeError(`the result has no sub-network for limit ${limit} (limits: ${result.subnets.map((s) => s.limit).join(', ')})`);
    json = toExported(result, subnet);
  } else if (result.subnets.length === 1) {
    json = toExported(result, result.subnets[0]);
  } else {
    json = result.subnets.map((s) => ({ ...toExported(result, s), pareto: s.pareto }));
  }
  try {
    // Atomic: a watcher (the editor, the user's script) never reads half a file.
    writeFileAtomic(path, formatJson(json) + '\n');
  } catch (error) {
    throw new DataError(`cannot write the export: ${errorMessage(error)}`, path);
  }
}

/** Indented JSON with number lists kept on one line (ks/e of 20 values stay readable). */
function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_, items: string) => `[${items.split(/,\s+/).join(', ')}]`);
}

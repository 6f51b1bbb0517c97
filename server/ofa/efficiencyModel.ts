import { blockLayer, leadingLayers, trailingLayers } from '../spaces/ofa/mbv3Network';
import { layerFlops } from '../spaces/ofa/mbv3Cost';
import type { OfaMbv3Space } from '../spaces/ofa/ofaMbv3Space';
import { AdditiveCost } from './additiveCost';
import { FlopsTable } from './flopsTable';
import { LatencyTable } from './latencyTable';

/** Where a sub-network's efficiency comes from. */
export type EfficiencySpec =
  | { readonly kind: 'lut'; readonly dir: string }
  | { readonly kind: 'flops-table'; readonly path: string }
  | { readonly kind: 'flops' };

export interface EfficiencyModel {
  readonly spec: EfficiencySpec;
  /** Metric name in results: table latency, tutorial-table FLOPs or analytic FLOPs. */
  readonly metric: 'latency_ms' | 'table_mflops' | 'mflops';
  readonly unit: 'ms' | 'MFLOPs';
  /** One line for tables and logs, e.g. "latency table /data/note10". */
  readonly label: string;
  /** The model compiled for the space the search runs in. */
  readonly cost: AdditiveCost;
}

/** What an efficiency model measures and how results name it, known without loading its files. */
export function describeEfficiency(spec: EfficiencySpec): Pick<EfficiencyModel, 'metric' | 'unit' | 'label'> {
  switch (spec.kind) {
    case 'lut':
      return { metric: 'latency_ms', unit: 'ms', label: `latency table ${spec.dir}` };
    case 'flops-table':
      return { metric: 'table_mflops', unit: 'MFLOPs', label: `FLOPs table ${spec.path}` };
    case 'flops':
      return { metric: 'mflops', unit: 'MFLOPs', label: 'analytic FLOPs' };
  }
}

/** Loads and compiles an efficiency model; missing files and entries are DataErrors naming them. */
export async function loadEfficiencyModel(spec: EfficiencySpec, space: OfaMbv3Space): Promise<EfficiencyModel> {
  const cost =
    spec.kind === 'lut'
      ? (await LatencyTable.load(spec.dir, space.resolutions)).toAdditive(space)
      : spec.kind === 'flops-table'
        ? (await FlopsTable.load(spec.path)).toAdditive(space)
        : analyticFlops(space);
  return { spec, ...describeEfficiency(spec), cost };
}

/** FLOPs counted from layer shapes (OFA's `count_net_flops` convention), in millions. */
export function analyticFlops(space: OfaMbv3Space): AdditiveCost {
  return AdditiveCost.build(
    space,
    (r) => [...leadingLayers(r), ...trailingLayers(r)].reduce((sum, layer) => sum + layerFlops(layer), 0) / 1e6,
    (r, i, k, e) => layerFlops(blockLayer(r, i, k, e)) / 1e6,
  );
}

import { isAbsolute, resolve } from 'node:path';
import type { ArchJson, NodeMetrics } from '../../contract/architecture';
import { ofaLayerNodeIds, parseOfaArch } from '../graphs/ofaGraph';
import { LatencyTable } from '../ofa/latencyTable';
import type { SearchView } from './searchQueries';

/**
 * Per-node figures a graph of an experiment's architecture can show beyond those computed from
 * layer shapes: for an OFA search evaluated with latency lookup tables, each layer's latency
 * from those tables (their sum is the architecture's `latency_ms`), and the same for a
 * specialization's sub-networks under a latency table. Nothing is estimated: other runs get no details.
 */
export class ArchDetails {
  /** Latency tables by folder, loaded once per engine. */
  private readonly tables = new Map<string, Promise<LatencyTable>>();

  of(view: SearchView, arch: ArchJson): Promise<Record<string, NodeMetrics>> {
    const evaluator = view.spec.evaluator;
    if (evaluator.type !== 'ofa-predictor' || typeof evaluator.lut !== 'string') return Promise.resolve({});
    return this.layerLatencies(isAbsolute(evaluator.lut) ? evaluator.lut : resolve(view.header.baseDir, evaluator.lut), arch);
  }

  /** Each layer's latency in the lookup tables of folder `dir` (a specialization's efficiency model, an OFA search's evaluator). */
  async layerLatencies(dir: string, arch: ArchJson): Promise<Record<string, NodeMetrics>> {
    if (arch.space !== 'ofa-mbv3') return {};
    let table = this.tables.get(dir);
    if (!table) {
      table = LatencyTable.load(dir);
      this.tables.set(dir, table);
      table.catch(() => this.tables.delete(dir)); // a fixed folder is read again next time
    }
    const ofaArch = parseOfaArch(arch);
    const ids = ofaLayerNodeIds(ofaArch.d);
    const terms = (await table).terms(ofaArch);
    return Object.fromEntries(terms.map(([, ms], i) => [ids[i], { latencyMs: ms }]));
  }
}

/**
 * The learned correction of a ProxylessNAS space's latency table, fitted on whole networks
 * measured end to end (see latencyValidation.ts). A network is not the sum of its layers timed
 * alone: each layer alone pays its own calls and read-back, and kernels run differently in a chain
 * (on this machine the plain sums of a 28x28 space ran 60-130 % high, and not in proportion: 3x3
 * blocks more so than 7x7 ones). Two stages, both additive over blocks so that E[lat] stays linear
 * in the candidates' probabilities:
 *   1. OFA's four-coefficient correction (`fitCorrection`: intercept, fixed-layer scale, block
 *      scale, per-block overhead);
 *   2. a per-layer adjustment (ms per occurrence of a layer key), fitted by ridge regression to
 *      what stage 1 leaves, each network weighted by 1 / measured² as in stage 1.
 * Written beside the table as `proxyless_correction.json`; `loadLatencyModel` applies it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Fidelity } from '../../contract/latencyValidation';
import { DataError, errorMessage } from '../core/errors';
import { correctedPrediction, fitCorrection, solve, type LatencyCorrection, type TableTerms } from '../ofa/latencyCorrection';
import { fidelity } from '../ofa/latencyValidation';
import { writeFileAtomic } from '../store/atomicFile';

export const PROXYLESS_CORRECTION_FILE = 'proxyless_correction.json';

/** Ridge strength of stage 2, relative to the squared mean latency: an adjustment is pulled towards 0 as by this many exactly predicted networks. */
const RIDGE = 0.1;

export interface ProxylessCorrection extends LatencyCorrection {
  /** Stage 2: milliseconds added per occurrence of a block's layer key. */
  readonly layers: Readonly<Record<string, number>>;
  /** The host its networks were measured on (`os.hostname()`; absent in files written before it was recorded). */
  readonly host?: string;
}

/** One measured network: its table terms, the layer keys of its blocks that are not `Zero`, and its latency (ms). */
export interface MeasuredNetwork {
  readonly terms: TableTerms;
  readonly keys: readonly string[];
  readonly measured: number;
}

export function correctedLatency(c: ProxylessCorrection, n: Pick<MeasuredNetwork, 'terms' | 'keys'>): number {
  return correctedPrediction(c, n.terms) + n.keys.reduce((sum, key) => sum + (c.layers[key] ?? 0), 0);
}

export function fitProxylessCorrection(networks: readonly MeasuredNetwork[]): ProxylessCorrection {
  const base = fitCorrection(networks);
  const keys = [...new Set(networks.flatMap((n) => n.keys))].sort();
  const column = new Map(keys.map((k, i) => [k, i]));
  const a = keys.map(() => keys.map(() => 0));
  const b = keys.map(() => 0);
  for (const n of networks) {
    const counts = keys.map(() => 0);
    for (const key of n.keys) counts[column.get(key)!]++;
    const residual = n.measured - correctedPrediction(base, n.terms);
    const w = 1 / (n.measured * n.measured);
    for (let i = 0; i < keys.length; i++) {
      if (counts[i] === 0) continue;
      b[i] += w * counts[i] * residual;
      for (let j = 0; j < keys.length; j++) a[i][j] += w * counts[i] * counts[j];
    }
  }
  const meanMs = networks.reduce((sum, n) => sum + n.measured, 0) / networks.length;
  for (let i = 0; i < keys.length; i++) a[i][i] += RIDGE / (meanMs * meanMs);
  const adjustments = solve(a, b);
  return { ...base, layers: Object.fromEntries(keys.map((k, i) => [k, adjustments[i]])) };
}

/** Each network predicted by a correction fitted on the folds without it. */
export function crossValidatedLatencies(networks: readonly MeasuredNetwork[], folds = 5): number[] {
  const k = Math.min(folds, networks.length);
  return networks.map((n, i) => correctedLatency(fitProxylessCorrection(networks.filter((_, j) => j % k !== i % k)), n));
}

export interface CorrectionFit {
  /** Fitted on every network: what later predictions use. */
  readonly correction: ProxylessCorrection;
  /** The table's plain sums against the measured networks. */
  readonly raw: Fidelity;
  /** Each network predicted by a correction fitted without it (5-fold cross-validation). */
  readonly corrected: Fidelity;
}

export function fitAndValidate(networks: readonly MeasuredNetwork[]): CorrectionFit {
  const measured = networks.map((n) => n.measured);
  return {
    correction: fitProxylessCorrection(networks),
    raw: fidelity(networks.map((n) => n.terms.fixed + n.terms.blocks), measured),
    corrected: fidelity(crossValidatedLatencies(networks), measured),
  };
}

/** Writes the correction into the table folder, with where it was measured and how well it predicts. */
export function writeProxylessCorrection(dir: string, fit: CorrectionFit, measuredOn: string): string {
  const file = join(dir, PROXYLESS_CORRECTION_FILE);
  const written = { ...fit.correction, raw: fit.raw, corrected: fit.corrected, backend: measuredOn, host: hostname(), measuredAt: new Date().toISOString() };
  writeFileAtomic(file, JSON.stringify(written, null, 2) + '\n');
  return file;
}

/** The folder's correction, if it has one; a malformed one is a DataError naming the file. */
export async function readProxylessCorrection(dir: string): Promise<ProxylessCorrection | undefined> {
  const file = join(dir, PROXYLESS_CORRECTION_FILE);
  if (!existsSync(file)) return undefined;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new DataError(`not a latency correction: ${errorMessage(e)}`, file);
  }
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  for (const f of ['intercept', 'fixedScale', 'blockScale', 'blockOverhead', 'networks'] as const) {
    if (!finite(value?.[f])) throw new DataError(`not a latency correction: '${f}' must be a finite number (written by nas-studio lut --proxyless SPEC --validate N)`, file);
  }
  const layers = value.layers as Record<string, unknown> | undefined;
  if (typeof layers !== 'object' || layers === null || !Object.values(layers).every(finite)) {
    throw new DataError("not a latency correction: 'layers' must map layer keys to milliseconds", file);
  }
  const v = value as unknown as ProxylessCorrection;
  const host = typeof value.host === 'string' ? { host: value.host } : {};
  return { intercept: v.intercept, fixedScale: v.fixedScale, blockScale: v.blockScale, blockOverhead: v.blockOverhead, networks: v.networks, layers: v.layers, ...host };
}

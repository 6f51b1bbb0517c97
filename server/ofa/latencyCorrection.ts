import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomicFile';
import { BLOCK_COUNT, type OfaArch, blockLayer, isBlockActive, leadingLayers, lutKey, trailingLayers } from '../spaces/ofa/mbv3Network';

/** What a table says about one network, split the way the correction weighs it. */
export interface TableTerms {
  /** Sum of the elastic blocks' entries. */
  readonly blocks: number;
  /** Active elastic blocks. */
  readonly count: number;
  /** Sum of the fixed layers' entries (stem, first block, head). */
  readonly fixed: number;
}

/**
 * A learned correction of table sums (nn-Meter's point: a network is not the sum of its layers
 * timed alone — fused kernels, per-call overhead, caches): measured ≈ intercept +
 * fixedScale · fixed + blockScale · blocks + blockOverhead · count. It stays a sum over layers
 * (each block costs blockScale · entry + blockOverhead), so searches use it like the table.
 */
export interface LatencyCorrection {
  readonly intercept: number;
  readonly fixedScale: number;
  readonly blockScale: number;
  readonly blockOverhead: number;
  /** Networks it was fitted on. */
  readonly networks: number;
}

export const CORRECTION_FILE = 'latency_correction.json';

/** Writes `latency_correction.json` into a table folder, whose predictions then use it (`LatencyTable.load`). */
export function writeCorrectionFile(dir: string, correction: LatencyCorrection, measuredOn: string): string {
  const file = join(dir, CORRECTION_FILE);
  writeFileAtomic(file, JSON.stringify({ ...correction, backend: measuredOn, measuredAt: new Date().toISOString() }, null, 2) + '\n');
  return file;
}

/** A network's table terms, from a lookup of one layer key at the network's resolution. */
export function tableTerms(arch: OfaArch, entry: (resolution: number, key: string) => number): TableTerms {
  let blocks = 0;
  let count = 0;
  for (let i = 0; i < BLOCK_COUNT; i++) {
    if (!isBlockActive(arch.d, i)) continue;
    blocks += entry(arch.r, lutKey(blockLayer(arch.r, i, arch.ks[i], arch.e[i])));
    count++;
  }
  const fixed = [...leadingLayers(arch.r), ...trailingLayers(arch.r)].reduce((sum, layer) => sum + entry(arch.r, lutKey(layer)), 0);
  return { blocks, count, fixed };
}

export function rawPrediction(t: TableTerms): number {
  return t.blocks + t.fixed;
}

export function correctedPrediction(c: LatencyCorrection, t: TableTerms): number {
  return c.intercept + c.fixedScale * t.fixed + c.blockScale * t.blocks + c.blockOverhead * t.count;
}

/** Solves the square system A x = b (Gaussian elimination with partial pivoting); A is n x n row-major. */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = 0; r < n; r++) {
      if (r === col || m[col][col] === 0) continue;
      const f = m[r][col] / m[col][col];
      for (let k = col; k <= n; k++) m[r][k] -= f * m[col][k];
    }
  }
  return m.map((row, i) => (row[i] === 0 ? 0 : row[n] / row[i]));
}

/**
 * Fits the correction to measured networks by least squares on relative errors (each network
 * weighted by 1 / measured², so a 5 ms network counts as much as a 50 ms one), with a small
 * ridge term pulling towards the plain sum (scales 1, offsets 0) when the data cannot tell.
 */
export function fitCorrection(samples: readonly { readonly terms: TableTerms; readonly measured: number }[]): LatencyCorrection {
  const prior = [0, 1, 1, 0];
  const ridge = 1e-6;
  const features = (t: TableTerms) => [1, t.fixed, t.blocks, t.count];
  const a = prior.map(() => prior.map(() => 0));
  const b = prior.map(() => 0);
  for (const { terms, measured } of samples) {
    const x = features(terms);
    const w = 1 / (measured * measured);
    for (let i = 0; i < x.length; i++) {
      b[i] += w * x[i] * measured;
      for (let j = 0; j < x.length; j++) a[i][j] += w * x[i] * x[j];
    }
  }
  // Scale-free: each coefficient pulled in proportion to its own feature's weight in the data.
  for (let i = 0; i < prior.length; i++) {
    const strength = ridge * a[i][i];
    a[i][i] += strength;
    b[i] += strength * prior[i];
  }
  const [intercept, fixedScale, blockScale, blockOverhead] = solve(a, b);
  return { intercept, fixedScale, blockScale, blockOverhead, networks: samples.length };
}

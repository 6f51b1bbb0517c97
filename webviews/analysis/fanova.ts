/**
 * Decision importance by fANOVA (Hutter, Hoos and Leyton-Brown 2014), computed as Optuna's
 * FanovaImportanceEvaluator does: fit a random forest (here ml-random-forest's CART trees) to the
 * metric over the trials' decisions, then for each tree the variance of the marginal prediction
 * over one decision, as a fraction of the tree's total variance; importances are the mean over
 * trees, normalized to sum to 1.
 *
 * Each decision is one feature: the index of its option, each option an interval of width 1
 * ([i - 0.5, i + 0.5]), so every option weighs the same in the marginals, as fANOVA weighs the
 * values of a categorical parameter.
 */
import { RandomForestRegression } from 'ml-random-forest';

/** Optuna's forest: 64 trees, depth 64, splits down to single samples, bootstrap samples. */
export interface ForestOptions {
  readonly trees: number;
  readonly maxDepth: number;
  readonly seed: number;
}

export const defaultForest: ForestOptions = { trees: 64, maxDepth: 64, seed: 0 };

/** The CART node shape ml-cart builds: a split on `splitColumn` (left: value < splitValue) or a leaf. */
interface CartNode {
  readonly splitColumn?: number;
  readonly splitValue?: number;
  readonly left?: CartNode;
  readonly right?: CartNode;
  readonly distribution?: number;
}

type Box = Float64Array; // [lo0, hi0, lo1, hi1, ...]

/** A fitted regression tree flattened into arrays, with what fANOVA precomputes on it. */
export class FanovaTree {
  private readonly feature: number[] = [];
  private readonly threshold: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly leafValue: number[] = [];
  /** Per node: weighted mean prediction of its subspace, and its subspace's size. */
  private readonly value: number[] = [];
  private readonly weight: number[] = [];
  /** Per node: the features its subtree splits on. */
  private readonly active: Set<number>[] = [];
  private readonly midpoints: number[][];
  private readonly sizes: number[][];
  readonly variance: number;

  /** `columns[c]` is the feature the tree's column c stands for (the forest may permute them). */
  constructor(
    root: CartNode,
    columns: readonly number[],
    private readonly bounds: readonly (readonly [number, number])[],
  ) {
    const visit = (node: CartNode): number => {
      const index = this.feature.length;
      const split = node.left !== undefined && node.right !== undefined && node.splitColumn !== undefined;
      this.feature.push(split ? columns[node.splitColumn!] : -1);
      this.threshold.push(split ? node.splitValue! : Number.NaN);
      this.leafValue.push(split ? Number.NaN : Number(node.distribution));
      this.left.push(-1);
      this.right.push(-1);
      if (split) {
        this.left[index] = visit(node.left!);
        this.right[index] = visit(node.right!);
      }
      return index;
    };
    visit(root);
    this.precomputeStatistics();
    [this.midpoints, this.sizes] = this.splitMidpointsAndSizes();
    let total = 0;
    let sum = 0;
    const leaves = this.feature.flatMap((f, i) => (f < 0 ? [i] : []));
    for (const i of leaves) (total += this.weight[i]), (sum += this.weight[i] * this.value[i]);
    const mean = sum / total;
    this.variance = leaves.reduce((v, i) => v + this.weight[i] * (this.value[i] - mean) ** 2, 0) / total;
  }

  private box(): Box {
    return Float64Array.from(this.bounds.flat());
  }

  private precomputeStatistics(): void {
    const n = this.feature.length;
    const boxes: (Box | undefined)[] = new Array(n);
    boxes[0] = this.box();
    for (let i = 0; i < n; i++) {
      const box = boxes[i]!;
      const f = this.feature[i];
      if (f < 0) {
        this.value[i] = this.leafValue[i];
        this.weight[i] = cardinality(box);
        continue;
      }
      const [lower, upper] = splitBox(box, f, this.threshold[i]);
      boxes[this.left[i]] = lower;
      boxes[this.right[i]] = upper;
    }
    // Children come after their parent in this order, so a reverse pass sees them first.
    for (let i = n - 1; i >= 0; i--) {
      const f = this.feature[i];
      if (f < 0) {
        this.active[i] = new Set();
        continue;
      }
      const [l, r] = [this.left[i], this.right[i]];
      this.weight[i] = this.weight[l] + this.weight[r];
      this.value[i] = (this.value[l] * this.weight[l] + this.value[r] * this.weight[r]) / this.weight[i];
      this.active[i] = new Set([f, ...this.active[l], ...this.active[r]]);
    }
  }

  /** Per feature: the midpoints and sizes of the cells its split values cut its range into. */
  private splitMidpointsAndSizes(): [number[][], number[][]] {
    const splits = this.bounds.map(() => new Set<number>());
    this.feature.forEach((f, i) => f >= 0 && splits[f].add(this.threshold[i]));
    const midpoints: number[][] = [];
    const sizes: number[][] = [];
    this.bounds.forEach(([lo, hi], f) => {
      const cuts = [lo, ...[...splits[f]].sort((a, b) => a - b), hi];
      midpoints.push(cuts.slice(1).map((c, k) => (c + cuts[k]) / 2));
      sizes.push(cuts.slice(1).map((c, k) => c - cuts[k]));
    });
    return [midpoints, sizes];
  }

  /** The prediction averaged over every feature but those set in `point` (NaN: marginalized), and its weight. */
  private marginalized(point: Float64Array): [number, number] {
    const activeFeatures = new Set<number>();
    point.forEach((v, f) => !Number.isNaN(v) && activeFeatures.add(f));
    const root = this.box();
    for (let f = 0; f < point.length; f++) if (Number.isNaN(point[f])) (root[2 * f] = 0), (root[2 * f + 1] = 1);
    const stack: [number, Box][] = [[0, root]];
    let weighted = 0;
    let total = 0;
    while (stack.length > 0) {
      const [i, box] = stack.pop()!;
      const f = this.feature[i];
      if (f >= 0) {
        const v = point[f];
        if (!Number.isNaN(v)) {
          const [lower, upper] = splitBox(box, f, this.threshold[i]);
          stack.push(v < this.threshold[i] ? [this.left[i], lower] : [this.right[i], upper]);
          continue;
        }
        if ([...this.active[i]].some((a) => activeFeatures.has(a))) {
          stack.push([this.left[i], box], [this.right[i], box]);
          continue;
        }
      }
      // A leaf, or a subtree that splits on none of the features set: its statistics hold.
      let activeCardinality = 1;
      for (const a of activeFeatures) activeCardinality *= box[2 * a + 1] - box[2 * a];
      const w = this.weight[i] / activeCardinality;
      weighted += this.value[i] * w;
      total += w;
    }
    return [weighted / total, total];
  }

  /** Variance of the marginal prediction over `features`, integrating out the others. */
  marginalVariance(features: readonly number[]): number {
    const values: number[] = [];
    const weights: number[] = [];
    const point = new Float64Array(this.bounds.length).fill(Number.NaN);
    const cells = (k: number, size: number): void => {
      if (k === features.length) {
        const [value, weight] = this.marginalized(point);
        values.push(value);
        weights.push(weight * size);
        return;
      }
      const f = features[k];
      this.midpoints[f].forEach((m, c) => {
        point[f] = m;
        cells(k + 1, size * this.sizes[f][c]);
      });
      point[f] = Number.NaN;
    };
    cells(0, 1);
    const total = weights.reduce((a, b) => a + b, 0);
    const mean = values.reduce((a, v, i) => a + v * weights[i], 0) / total;
    return values.reduce((a, v, i) => a + weights[i] * (v - mean) ** 2, 0) / total;
  }
}

function cardinality(box: Box): number {
  let c = 1;
  for (let f = 0; f < box.length; f += 2) c *= box[f + 1] - box[f];
  return c;
}

function splitBox(box: Box, feature: number, threshold: number): [Box, Box] {
  const lower = box.slice();
  const upper = box.slice();
  lower[2 * feature + 1] = threshold;
  upper[2 * feature] = threshold;
  return [lower, upper];
}

/** Fits one tree of the forest (a bootstrap sample, its own seed) and prepares it for fANOVA. */
export function fitTree(rows: readonly (readonly number[])[], values: readonly number[], optionCounts: readonly number[], options: ForestOptions, index: number): FanovaTree {
  const forest = new RandomForestRegression({
    nEstimators: 1,
    maxFeatures: 1.0,
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
    seed: (options.seed + index * 7919) | 0,
    treeOptions: { maxDepth: options.maxDepth, minNumSamples: 1 },
  } as ConstructorParameters<typeof RandomForestRegression>[0]);
  forest.train(rows as number[][], values as number[]);
  const tree = forest.estimators![0] as unknown as { root: CartNode };
  const bounds = optionCounts.map((k) => [-0.5, k - 0.5] as const);
  return new FanovaTree(tree.root, forest.indexes![0], bounds);
}

/** Importance of each decision for the trees so far: mean over trees of marginal variance / tree variance, normalized to sum 1. */
export function importances(trees: readonly FanovaTree[], decisions: number): number[] {
  const raw = Array.from({ length: decisions }, (_, d) => trees.reduce((sum, t) => sum + (t.variance > 0 ? t.marginalVariance([d]) / t.variance : 0), 0) / Math.max(1, trees.length));
  const total = raw.reduce((a, b) => a + b, 0);
  return total > 0 ? raw.map((v) => v / total) : raw;
}

/**
 * AdaNet's complexity-regularized objective (Cortes et al., ICML 2017, Equation 4; tensorflow/adanet
 * adanet/core/ensemble/weighted.py, ComplexityRegularizedEnsembler):
 *
 *   F(w) = (1/m) Σ_i Φ(Σ_j w_j ⊙ h_j(x_i) + b, y_i) + Σ_j (λ·r(h_j) + β)·‖w_j‖₁
 *
 * with Φ the softmax cross-entropy, h_j the frozen subnetworks' logits, w_j a scalar or one weight
 * per class (the reference's SCALAR and VECTOR mixture weights) and b the ensemble's bias.
 * Pure arithmetic in float64 over precomputed logits: deterministic, and cheap next to training.
 */

/** The frozen members' outputs on m examples and their labels. */
export interface EnsembleInputs {
  /** Per member: its logits, m × classes, row-major. */
  readonly logits: readonly Float32Array[];
  readonly labels: ArrayLike<number>;
  readonly classes: number;
}

/** Mixture weights: per member [w] (scalar) or `classes` weights (vector); and the ensemble's bias per class. */
export interface Mixture {
  readonly weights: readonly (readonly number[])[];
  readonly bias: readonly number[];
}

export interface ObjectiveValue {
  /** Mean cross-entropy of the ensemble's logits. */
  readonly loss: number;
  /** Σ_j (λ·r_j + β)·‖w_j‖₁. */
  readonly regularization: number;
  /** loss + regularization: the reference's `adanet_loss`. */
  readonly objective: number;
}

export interface MixtureGradient {
  readonly weights: number[][];
  readonly bias: number[];
}

/** λ·r(h_j) + β for each member: what each unit of ‖w_j‖₁ costs. */
export function penalties(complexities: readonly number[], lambda: number, beta: number): number[] {
  return complexities.map((r) => lambda * r + beta);
}

/** The weight of member j for class c (a scalar weight serves every class). */
function weightOf(w: readonly number[], c: number): number {
  return w.length === 1 ? w[0] : w[c];
}

function examples(inputs: EnsembleInputs): number {
  return inputs.labels.length;
}

/** Σ_j w_j ⊙ h_j(x_i) + b for every example, m × classes. */
export function ensembleLogits(inputs: EnsembleInputs, mixture: Mixture): Float64Array {
  const { classes } = inputs;
  const m = examples(inputs);
  const out = new Float64Array(m * classes);
  for (let i = 0; i < m; i++) for (let c = 0; c < classes; c++) out[i * classes + c] = mixture.bias[c];
  inputs.logits.forEach((h, j) => {
    const w = mixture.weights[j];
    for (let i = 0; i < m; i++) for (let c = 0; c < classes; c++) out[i * classes + c] += weightOf(w, c) * h[i * classes + c];
  });
  return out;
}

/** Softmax of each row, in place, shifted by its maximum for stability. */
function softmaxRows(z: Float64Array, classes: number): Float64Array {
  for (let row = 0; row < z.length; row += classes) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, z[row + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += z[row + c] = Math.exp(z[row + c] - max);
    for (let c = 0; c < classes; c++) z[row + c] /= sum;
  }
  return z;
}

/** Mean softmax cross-entropy of logits against labels, through log-sum-exp. */
function crossEntropy(z: Float64Array, labels: ArrayLike<number>, classes: number): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = i * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, z[row + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(z[row + c] - max);
    total += max + Math.log(sum) - z[row + labels[i]];
  }
  return total / labels.length;
}

export function adanetObjective(inputs: EnsembleInputs, mixture: Mixture, memberPenalties: readonly number[]): ObjectiveValue {
  const loss = crossEntropy(ensembleLogits(inputs, mixture), inputs.labels, inputs.classes);
  const regularization = mixture.weights.reduce((sum, w, j) => sum + memberPenalties[j] * w.reduce((s, v) => s + Math.abs(v), 0), 0);
  return { loss, regularization, objective: loss + regularization };
}

/**
 * ∂F/∂w and ∂F/∂b. With p the ensemble's softmax and y the one-hot labels, the loss gradient is
 * (1/m) Σ_i (p_ic − y_ic)·h_jic, summed over classes for a scalar weight; the penalty adds
 * (λ·r_j + β)·sign(w), 0 at 0 (the subgradient tf.abs uses).
 */
export function objectiveGradient(inputs: EnsembleInputs, mixture: Mixture, memberPenalties: readonly number[]): MixtureGradient {
  const { classes, labels } = inputs;
  const m = examples(inputs);
  const p = softmaxRows(ensembleLogits(inputs, mixture), classes);
  for (let i = 0; i < m; i++) p[i * classes + labels[i]] -= 1;
  const bias = new Array<number>(classes).fill(0);
  for (let i = 0; i < m; i++) for (let c = 0; c < classes; c++) bias[c] += p[i * classes + c] / m;
  const weights = inputs.logits.map((h, j) => {
    const g = new Array<number>(mixture.weights[j].length).fill(0);
    for (let i = 0; i < m; i++) for (let c = 0; c < classes; c++) g[g.length === 1 ? 0 : c] += (p[i * classes + c] * h[i * classes + c]) / m;
    return g.map((v, k) => v + memberPenalties[j] * Math.sign(mixture.weights[j][k]));
  });
  return { weights, bias };
}

/** Fraction of examples whose largest ensemble logit is the label. */
export function ensembleAccuracy(inputs: EnsembleInputs, mixture: Mixture): number {
  const { classes, labels } = inputs;
  const z = ensembleLogits(inputs, mixture);
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (z[i * classes + c] > z[i * classes + best]) best = c;
    if (best === labels[i]) hits++;
  }
  return hits / labels.length;
}

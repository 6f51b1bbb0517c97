/**
 * The pure half of the New Experiment wizard: its steps, the defaults that make Enter-Enter-Enter
 * a runnable spec, and the spec its answers make, written as formatted JSON. newExperiment.ts
 * asks the questions.
 */
import type { ConstraintSpec, ObjectiveSpec } from '../../contract/metrics';
import type { DatasetShape } from '../../contract/protocol';

export type Goal = ObjectiveSpec['goal'];
export type Objective = ObjectiveSpec;
/** The wizard asks for upper limits only. */
export type Constraint = ConstraintSpec & { readonly max: number };

/** The wizard's numbered steps, in order; every path through it asks each once. */
export const WIZARD_STEPS = ['search space', 'how architectures are evaluated', 'search strategy', 'objectives', 'metrics to report', 'constraints', 'trials', 'time budget', 'name'] as const;

export type WizardStep = (typeof WIZARD_STEPS)[number];

/** "New experiment (4/9): objectives". */
export function stepTitle(step: WizardStep, detail?: string): string {
  return `New experiment (${WIZARD_STEPS.indexOf(step) + 1}/${WIZARD_STEPS.length}): ${detail ?? step}`;
}

/** Options written out for well-known components so a new spec shows what can be tuned. */
export const STARTER_OPTIONS: Readonly<Record<string, Record<string, unknown>>> = {
  layers: { input: [28, 28, 1], classes: 10, convBlocks: { max: 2, filters: [8, 16, 32], kernels: [3, 5] }, denseLayers: { max: 1, units: [32, 64, 128] }, dropout: [0, 0.25] },
  train: { dataset: { type: 'mnist' }, epochs: 1, batchSize: 64, trainSamples: 6000, validationSamples: 2000, testSamples: 2000, workers: 2 },
};

/** Names of costs: losses, errors, latency, size, FLOPs/MACs, time, energy, memory. */
const COST = /loss|err|lat|param|flop|mac|size|time|second|energy|mem|(^|_)(ms|mb|kb)(_|$)/i;

/** The goal a metric most likely has, by its name: costs down, everything else (accuracies, scores) up. */
export function defaultGoal(metric: string): Goal {
  return COST.test(metric) ? 'minimize' : 'maximize';
}

/** A metric measured on the test split: reported, never optimized (that would tune on the test set). */
function isTestMetric(metric: string): boolean {
  return /(^|_)test/i.test(metric);
}

/** Metrics in the order the objectives step offers them: what to maximize first (validation before test), test metrics last. */
export function objectiveOrder(metrics: readonly string[]): string[] {
  const rank = (m: string) => (isTestMetric(m) ? 2 : defaultGoal(m) === 'maximize' ? 0 : 1);
  return metrics.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i).map(({ m }) => m);
}

/** The objectives picked when the user just presses Enter: the best signal, and for a multi-objective strategy the first cost too. */
export function defaultObjectives(metrics: readonly string[], multiObjective: boolean): Objective[] {
  const ordered = objectiveOrder(metrics);
  const first = ordered[0];
  if (first === undefined) return [];
  const objectives: Objective[] = [{ metric: first, goal: defaultGoal(first) }];
  const cost = multiObjective ? ordered.find((m) => m !== first && constraintCandidates(metrics).includes(m)) : undefined;
  if (cost) objectives.push({ metric: cost, goal: 'minimize' });
  return objectives;
}

/** Metrics an upper limit makes sense for: costs of the architecture (latency, params, FLOPs, size), not losses or training time. */
export function constraintCandidates(metrics: readonly string[]): string[] {
  return metrics.filter((m) => defaultGoal(m) === 'minimize' && !/loss|err|second|time/i.test(m));
}

/** Report metrics ticked by default: everything else the evaluator measures except losses and timings (and test metrics without a test split). */
export function defaultReport(metrics: readonly string[], chosen: readonly string[], hasTest = true): string[] {
  return metrics.filter((m) => !chosen.includes(m) && !/loss|seconds/i.test(m) && (hasTest || !isTestMetric(m)));
}

/** Training, validation and test examples for a dataset: the starter's amounts, fewer when the dataset is smaller. */
export function sampleCounts(data: Pick<DatasetShape, 'count' | 'hasTest'>): { trainSamples: number; validationSamples: number; testSamples: number } {
  const train = STARTER_OPTIONS.train as { trainSamples: number; validationSamples: number; testSamples: number };
  const trainSamples = Math.max(1, Math.min(train.trainSamples, Math.floor(data.count * 0.75)));
  const validationSamples = Math.max(1, Math.min(train.validationSamples, data.count - trainSamples));
  return { trainSamples, validationSamples, testSamples: data.hasTest ? train.testSamples : 0 };
}

/** The layers space sized for a dataset: its images' shape in, one output per class. */
export function layersFor(data: Pick<DatasetShape, 'shape' | 'classes'>): Record<string, unknown> {
  return { ...STARTER_OPTIONS.layers, input: [...data.shape], classes: data.classes };
}

export interface WizardAnswers {
  readonly name: string;
  readonly space: Readonly<Record<string, unknown>> & { readonly type: string };
  readonly evaluator: Readonly<Record<string, unknown>> & { readonly type: string };
  readonly strategy: string;
  readonly objectives: readonly Objective[];
  readonly report: readonly string[];
  readonly constraints: readonly Constraint[];
  readonly trials: number;
  /** Time budget; none when absent. */
  readonly minutes?: number;
  readonly warmStart?: { readonly runs: readonly string[]; readonly use: string };
}

/** The spec the answers make, keys in the order a reader expects; empty lists are left out. */
export function wizardSpec(a: WizardAnswers): Record<string, unknown> {
  return {
    name: a.name.trim(),
    space: a.space,
    evaluator: a.evaluator,
    strategy: { type: a.strategy },
    objectives: a.objectives,
    ...(a.constraints.length > 0 ? { constraints: a.constraints } : {}),
    ...(a.report.length > 0 ? { report: a.report } : {}),
    budget: { trials: a.trials, ...(a.minutes !== undefined ? { minutes: a.minutes } : {}) },
    seed: 0,
    ...(a.warmStart ? { warmStart: a.warmStart } : {}),
  };
}

/** JSON with two-space indentation, arrays of numbers or strings on one line ("input": [28, 28, 1]). */
export function formatSpecJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  // A multi-line array whose items are all numbers or strings (no brackets or braces inside) becomes one line.
  return `${text.replace(/\[\n\s*((?:-?[\d.eE+-]+|"(?:[^"\\\n]|\\.)*")(?:,\n\s*(?:-?[\d.eE+-]+|"(?:[^"\\\n]|\\.)*"))*)\n\s*\]/g, (_all, items: string) => `[${items.split(/,\n\s*/).join(', ')}]`)}\n`;
}

/** `<slug>.nas.json`, `<slug>-2.nas.json`, ...: the first file name of the experiment `taken` does not hold. */
export function specFileName(name: string, taken: (file: string) => boolean): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'experiment';
  let file = `${slug}.nas.json`;
  for (let n = 2; taken(file); n++) file = `${slug}-${n}.nas.json`;
  return file;
}

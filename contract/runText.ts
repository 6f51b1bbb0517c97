/**
 * One-line texts about runs that the CLI, the explorer, the status bar and notifications share:
 * how far a run is and what it has found so far, for every kind.
 */
import { formatMs, formatPercent } from './format';
import { formatMetric, metricPhrase } from './metricInfo';
import { formatCost } from './quantizationText';
import type { Fidelity } from './latencyValidation';
import type { DerivedNetwork, EnsembleRunSummary, ProxylessRunSummary, QuantizationRunSummary, RunSummary, ScalingCoefficientsInfo, ScalingRunSummary, SearchRunSummary, SpecializationRunSummary, SupernetRunSummary, TableCorrectionInfo } from './runs';

/** "Validation accuracy 98.12%": the best value of a single-objective search's objective. */
export function bestLine(summary: SearchRunSummary): string | undefined {
  const objective = summary.objectives[0];
  if (!summary.best || !objective) return undefined;
  return metricPhrase(objective.metric, summary.best.metrics[objective.metric], summary.metricInfo);
}

/** "front: 7 architectures": what a search with two or more objectives found. */
export function frontLine(summary: SearchRunSummary): string | undefined {
  const size = summary.pareto?.length ?? 0;
  return size > 0 ? `front: ${size} architecture${size === 1 ? '' : 's'}` : undefined;
}

/** What a search found: the Pareto front's size with several objectives, else the best value. */
export function searchResultLine(summary: SearchRunSummary): string | undefined {
  return summary.objectives.length > 1 ? frontLine(summary) : bestLine(summary);
}

/** "warm start: 87 observations from c10-a, c10-b (top-k + prior)": what a search was warm-started from. */
export function warmStartLine(summary: SearchRunSummary): string | undefined {
  const warm = summary.warmStart;
  if (!warm) return undefined;
  const how = warm.use === 'both' ? 'top-k + prior' : warm.use;
  return `warm start: ${warm.observations} observation${warm.observations === 1 ? '' : 's'} from ${warm.sources.join(', ')} (${how})`;
}

/** "largest 98.73% · smallest 97.88%": validation accuracies of a supernet after its last epoch. */
export function trainingLine(summary: SupernetRunSummary): string | undefined {
  const t = summary.training;
  if (t.accuracy === undefined) return undefined;
  return `largest ${formatPercent(t.accuracy)}${t.smallestAccuracy === undefined ? '' : ` · smallest ${formatPercent(t.smallestAccuracy)}`}`;
}

/** "best 79.10% at 24.87 ms": the most accurate sub-network a specialization found. */
export function specializationLine(summary: SpecializationRunSummary): string | undefined {
  const best = [...summary.subnets].sort((a, b) => b.predictedAccuracy - a.predictedAccuracy)[0];
  return best ? `best ${formatPercent(best.predictedAccuracy)} at ${best.efficiency.toFixed(2)} ${summary.efficiency.unit}` : undefined;
}

/** "measured 1.21 ms (table 1.05 ms, −13.2 %)": a derived network's latency and how well the table predicted it. */
export function latencyFidelityLine(derived: DerivedNetwork): string {
  const error = (measured: number) => signedPercent((derived.predictedLatencyMs - measured) / measured);
  const line = `measured ${formatMs(derived.measuredLatencyMs)} (table ${formatMs(derived.predictedLatencyMs)}, ${error(derived.measuredLatencyMs)})`;
  const r = derived.relativeLatency;
  if (!r) return line;
  return `${line}; ${formatMs(r.atTableSpeedMs)} at the table's machine speed (table ${error(r.atTableSpeedMs)}): timed with ${r.references} networks of the space, which ran ${r.slowdown.toFixed(2)}× their table latency`;
}

/** "+4.2 %", "−3.0 %". */
function signedPercent(fraction: number): string {
  return `${fraction >= 0 ? '+' : '−'}${Math.abs(fraction * 100).toFixed(1)} %`;
}

/** "20 networks measured end to end: table sums 35.0 % within ±10 % (mean error 18.2 %); corrected 90.0 % (4.1 %, cross-validated)". */
export function tableFidelityLine(c: TableCorrectionInfo): string {
  const figures = (f: Fidelity) => `${(f.within10 * 100).toFixed(1)} % within ±10 % (mean error ${(f.mape * 100).toFixed(1)} %)`;
  if (!c.raw || !c.corrected) return `latency corrected as learned from ${c.networks} networks measured end to end`;
  return `${c.networks} networks measured end to end: table sums ${figures(c.raw)}; corrected ${figures(c.corrected)}, cross-validated`;
}

/** Where a ProxylessNAS run's table came from and how well it predicts whole networks. */
export function latencyTableLine(t: NonNullable<ProxylessRunSummary['latencyTable']>): string {
  const origin = t.source === 'measured' ? `measured here${t.backend ? ` on ${t.backend}` : ''}` : 'from the spec';
  return `${origin}, ${t.dir}; ${t.correction ? tableFidelityLine(t.correction) : 'plain sums (no correction)'}`;
}

/** "k3e6 skip | k5e3 · 1.21 ms · test 91.30%" once derived; "E[lat] 1.4 ms · val 88.20%" while it searches. */
export function proxylessLine(summary: ProxylessRunSummary): string | undefined {
  const d = summary.derived;
  if (d) return `${d.description} · ${formatMs(d.measuredLatencyMs)} · ${d.testAccuracy !== undefined ? `test ${formatPercent(d.testAccuracy)}` : `val ${formatPercent(d.valAccuracy)}`}`;
  const last = summary.curve.at(-1);
  return last ? `E[lat] ${formatMs(last.expectedLatencyMs)} · val ${formatPercent(last.validationAccuracy)}` : undefined;
}

/** "d 1.2 · w 1.1 · r 1.15": depth, width and resolution multipliers. */
export function coefficientsText(c: ScalingCoefficientsInfo): string {
  const f = (v: number) => String(Math.round(v * 1000) / 1000);
  return `d ${f(c.depth)} · w ${f(c.width)} · r ${f(c.resolution)}`;
}

/** "d 1.2 · w 1.1 · r 1.1 · φ=2 92.31%": the chosen compound coefficients and the largest compound member's validation accuracy. */
export function scalingLine(summary: ScalingRunSummary): string | undefined {
  const c = summary.coefficients;
  if (!c) return undefined;
  const top = summary.lines.find((l) => l.rule === 'compound')?.points.at(-1);
  return `${coefficientsText(c)}${top && top.phi > 0 ? ` · φ=${top.phi} ${formatPercent(top.valAccuracy)}` : ''}`;
}

/** "3 members · 91.20%": the ensemble after its last iteration and its validation accuracy. */
export function ensembleLine(summary: EnsembleRunSummary): string | undefined {
  const last = summary.iterations.at(-1);
  if (!last) return undefined;
  return `${summary.members.length} member${summary.members.length === 1 ? '' : 's'} · ${formatPercent(last.valAccuracy)}`;
}

/** "best 91.20% at 61.2 kB (float 90.85%)": a quantization's best policy so far, on the held-out examples. */
export function quantizationLine(summary: QuantizationRunSummary): string | undefined {
  const { best, originalAccuracy, budget } = summary;
  if (!best) return undefined;
  return `best ${formatPercent(best.accuracy)} at ${formatCost(budget.kind, best.cost)}${originalAccuracy !== undefined ? ` (float ${formatPercent(originalAccuracy)})` : ''}`;
}

/** What a run has found so far (or why it cannot be read). */
export function resultLine(summary: RunSummary): string | undefined {
  switch (summary.kind) {
    case 'search':
      return searchResultLine(summary);
    case 'supernet':
      return trainingLine(summary);
    case 'specialization':
      return specializationLine(summary);
    case 'proxyless':
      return proxylessLine(summary);
    case 'scaling':
      return scalingLine(summary);
    case 'ensemble':
      return ensembleLine(summary);
    case 'quantization':
      return quantizationLine(summary);
    case 'unreadable':
      return summary.damage?.[0];
  }
}

/** What a run found, short enough for an explorer row: "best 97.12%", "front: 7 architectures". */
export function shortResultLine(summary: RunSummary): string | undefined {
  if (summary.kind !== 'search' || summary.objectives.length > 1) return resultLine(summary);
  const objective = summary.objectives[0];
  return summary.best && objective ? `best ${formatMetric(objective.metric, summary.best.metrics[objective.metric], summary.metricInfo)}` : undefined;
}

/** How far a run is: "12/50" trials, "epoch 3/11" of a supernet or a ProxylessNAS search, "2/3 limits" of a specialization, "7/12 networks" of a scaling study, "iteration 2/5" of an ensemble, "40/600 episodes" of a quantization. */
export function extentLine(summary: RunSummary): string {
  switch (summary.kind) {
    case 'search':
      return `${summary.trials}/${summary.budget}`;
    case 'supernet':
      return `epoch ${summary.training.epoch}/${summary.training.epochs}`;
    case 'specialization':
      return `${summary.progress.done}/${summary.progress.total} limit${summary.progress.total === 1 ? '' : 's'}`;
    case 'proxyless':
      return `epoch ${summary.epoch}/${summary.epochs}${summary.derived ? ' · derived' : ''}`;
    case 'scaling':
      return `${summary.trials}/${summary.total} networks`;
    case 'ensemble':
      return `iteration ${summary.iterations.length}/${summary.maxIterations}${summary.converged ? ' (converged)' : ''}`;
    case 'quantization':
      return `${summary.episodes}/${summary.progress.total} episodes`;
    case 'unreadable':
      return 'unreadable';
  }
}

/** Legend text of a run in overlays: its name and, for searches, the strategy. */
export function runLabel(summary: RunSummary): string {
  return summary.kind === 'search' && summary.strategy ? `${summary.name} · ${summary.strategy}` : summary.name;
}

/** Legend texts for runs shown together; runs that would read the same also give their id. */
export function runLabels(summaries: readonly RunSummary[]): string[] {
  const labels = summaries.map(runLabel);
  return labels.map((label, i) => (labels.indexOf(label) !== labels.lastIndexOf(label) ? `${label} · ${summaries[i].id}` : label));
}

import { bestResult, type ExperimentState } from '../server/store/experimentState';
import { formatMetric, table } from '../contract/format';
import { paretoTrials } from '../server/experiment/best';

/** The final report: the best architecture with all its metrics, then the top trials. */
export function printResultTable(state: ExperimentState, out: (line: string) => void, top = 5): void {
  const spec = state.spec;
  if (!spec) return;
  const best = bestResult(state);
  if (!best) {
    out('\nno feasible architecture found');
    return;
  }
  const names = [...new Set([...spec.objectives.map((o) => o.metric), ...spec.constraints.map((c) => c.metric), ...spec.report])];
  const extra = Object.keys(best.metrics).filter((n) => !names.includes(n));
  out(`\nBest architecture (trial ${best.trial}): ${best.description}`);
  out(table(['metric', 'value'], [...names, ...extra].filter((n) => n in best.metrics).map((n) => [n, formatMetric(n, best.metrics[n])])));

  if (spec.objectives.length > 1) {
    const front = paretoTrials(state.trials, spec.objectives);
    const byTrial = new Map(state.trials.map((t) => [t.trial, t]));
    out(`\nPareto front over ${spec.objectives.map((o) => `${o.metric} (${o.goal})`).join(', ')}: ${front.length} architecture${front.length === 1 ? '' : 's'}`);
    out(
      table(
        ['trial', 'architecture', ...names],
        front.map((n) => {
          const t = byTrial.get(n)!;
          return [String(n), state.space ? state.space.describe(t.genome) : t.key, ...names.map((m) => formatMetric(m, t.metrics[m]))];
        }),
      ),
    );
    return;
  }
  const objective = spec.objectives[0];
  const sign = objective.goal === 'maximize' ? -1 : 1;
  const ranked = state.trials
    .filter((t) => t.feasible && !t.cached && typeof t.metrics[objective.metric] === 'number')
    .sort((a, b) => sign * (a.metrics[objective.metric] - b.metrics[objective.metric]) || a.trial - b.trial)
    .slice(0, top);
  const describe = (genome: readonly number[], key: string) => (state.space ? state.space.describe(genome) : key);
  out(`\nTop ${ranked.length} of ${state.trials.length} trials by ${objective.metric}:`);
  out(
    table(
      ['#', 'trial', 'architecture', ...names],
      ranked.map((t, i) => [String(i + 1), String(t.trial), describe(t.genome, t.key), ...names.map((n) => formatMetric(n, t.metrics[n]))]),
    ),
  );
}

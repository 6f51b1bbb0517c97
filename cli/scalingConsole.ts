import { formatCount, formatPercent, percentCell, progressBar, table } from '../contract/format';
import type { RunSummary, ScalingRunSummary } from '../contract/runs';
import { coefficientsText, scalingLine } from '../contract/runText';
import type { RunEvents, RunView } from '../server/runs/runKind';
import type { ScalingSpec } from '../server/scaling/scalingSpec';
import { candidateItem, type ScalingState } from '../server/scaling/scalingState';
import type { RunConsole, RunPrinter } from './runConsole';
import { StatusLine } from './statusLine';

const asScaling = (view: RunView<unknown, unknown>) => view as RunView<ScalingSpec, ScalingState>;
const asSummary = (summary: RunSummary) => summary as ScalingRunSummary;

/** A line per trained network, a live status line with the ones training. */
function scalingPrinter(id: string, out: (line: string) => void, stream: NodeJS.WriteStream): RunPrinter {
  const line = new StatusLine(stream, out);
  let total = 0;
  let finished = 0;
  const events: RunEvents = {
    started: ({ resumed, done, total: all }) => {
      total = all;
      finished = done;
      line.print(resumed ? `resuming ${id}: ${done} of ${all} networks already trained (from the journal)` : `compound scaling ${id}: ${all} networks (base, grid search, family and baselines)`);
    },
    progress: (p) => line.show(`${progressBar(p.fraction)} ${Math.round(p.fraction * 100)}% ${p.message}`),
    finished: (unit) => {
      if (unit.unit !== 'trials') return;
      finished++;
      const t = unit.trial;
      const test = t.metrics.test_accuracy !== undefined ? ` test ${formatPercent(t.metrics.test_accuracy)}` : '';
      const note = t.cached ? ' (the same network as an earlier trial)' : ` (${(t.durationMs / 1000).toFixed(1)}s)`;
      line.print(`${String(finished).padStart(String(total).length)}/${total}  trial ${t.trial}  ${t.description}  val ${formatPercent(t.metrics.val_accuracy)}${test}  ${formatCount(t.metrics.flops)} FLOPs${note}`);
    },
    log: (message) => line.print(`  ${message}`),
  };
  return { events, close: () => line.clear() };
}

/** One row per network of each rule's line: the comparison the study is for. */
export function scalingTable(summary: ScalingRunSummary): string[] {
  const rows = summary.lines.flatMap((l) =>
    l.points.map((p) => [
      l.rule,
      String(p.phi),
      coefficientsText(p.coefficients),
      formatCount(p.flops),
      formatCount(p.params),
      percentCell(p.valAccuracy),
      percentCell(p.testAccuracy),
      p.latencyMs.toFixed(2),
      String(p.trial),
      p.description,
    ]),
  );
  const chosen = summary.coefficients ? `grid search (${summary.grid.length} points) chose ${coefficientsText(summary.coefficients)}` : `grid search: ${summary.grid.length} points, not finished`;
  return [`base: ${summary.base.description} (${summary.base.from}), ${formatCount(summary.base.flops)} FLOPs; ${chosen}`, table(['rule', 'φ', 'multipliers', 'FLOPs', 'params', 'val (%)', 'test (%)', 'latency (ms)', 'trial', 'network'], rows)];
}

/** How `nas-studio` shows compound scaling runs. */
export const scalingConsole: RunConsole = {
  printer: (view, out, stream) => scalingPrinter(view.folder.id, out, stream),
  result: (_view, summary) => ['', ...scalingTable(asSummary(summary))],
  show: (_view, summary) => {
    const s = asSummary(summary);
    return [`${s.name} (${s.id}): compound scaling ${s.status}, ${s.trials}/${s.total} networks${s.error ? `\nerror: ${s.error}` : ''}\nfolder: ${s.dir}`, ...scalingTable(s)];
  },
  json: (_view, summary) => {
    const s = asSummary(summary);
    return { run: s.id, status: s.status, base: s.base, coefficients: s.coefficients ?? null, lines: s.lines };
  },
  showJson: (view, summary) => ({ ...summary, networks: [...asScaling(view).state.candidates.values()].sort((a, b) => a.trial - b.trial).map(candidateItem) }),
  listResult: (summary) => scalingLine(asSummary(summary)) ?? '-',
};

import { percentCell, table } from '../contract/format';
import type { RunSummary, SpecializationRunSummary } from '../contract/runs';
import { sameAsText, sweepRows } from '../contract/specializationSweep';
import { specializationLine } from '../contract/runText';
import type { RunEvents, RunView } from '../server/runs/runKind';
import { specializationResult, type SpecializationState } from '../server/specialize/specializationRun';
import type { SpecializationSpec } from '../server/specialize/specializationSpec';
import type { SpecializationResult } from '../server/specialize/specialize';
import type { RunConsole, RunPrinter } from './runConsole';
import { StatusLine } from './statusLine';

const asSpecialization = (view: RunView<unknown, unknown>) => view as RunView<SpecializationSpec, SpecializationState>;
const asSummary = (summary: RunSummary) => summary as SpecializationRunSummary;

/** What the efficiency column is titled, with its unit: "latency (ms)", "table FLOPs (MFLOPs)", "FLOPs (MFLOPs)". */
function efficiencyTitle(metric: string, unit: string): string {
  return `${metric === 'latency_ms' ? 'latency' : metric === 'table_mflops' ? 'table FLOPs' : 'FLOPs'} (${unit})`;
}

/**
 * Human-readable lines: a header naming the inputs, then one row per limit. Column titles carry
 * the units, cells are bare numbers (as in every CLI table); a sweep adds its Pareto set (★) and
 * which smaller limit a row repeats.
 */
export function resultTable(result: SpecializationResult): string[] {
  const { metric, unit, label } = result.efficiency;
  const sweep = result.subnets.length > 1;
  // With analytic FLOPs as the constraint the separate FLOPs column would repeat it.
  const flopsColumn = metric !== 'mflops';
  const header = [`limit (${unit})`, 'predicted accuracy (%)', efficiencyTitle(metric, unit), ...(flopsColumn ? ['FLOPs (MFLOPs)'] : []), 'params (M)', 'time (s)', ...(sweep ? ['pareto', 'note'] : []), 'architecture'];
  const rows = sweepRows(result.subnets).map((row) => {
    const s = row.subnet;
    return [
      String(s.limit),
      percentCell(s.predictedAccuracy),
      s.efficiency.toFixed(2),
      ...(flopsColumn ? [s.mflops.toFixed(1)] : []),
      s.mparams.toFixed(2),
      s.seconds.toFixed(2),
      ...(sweep ? [row.pareto ? '★' : '', sameAsText(row, unit) ?? ''] : []),
      s.description,
    ];
  });
  return [`${result.finder} search, ${label}, predictor ${result.predictor}, seed ${result.seed}`, table(header, rows)];
}

function resultOf(view: RunView<unknown, unknown>): SpecializationResult {
  const { spec, state } = asSpecialization(view);
  return specializationResult(spec, state);
}

/** A line per finished limit; a live status line with the limit being searched. */
function sweepPrinter(id: string, out: (line: string) => void, stream: NodeJS.WriteStream): RunPrinter {
  const line = new StatusLine(stream, out);
  const events: RunEvents = {
    started: ({ resumed, done, total }) => line.print(resumed ? `resuming ${id}: ${done} of ${total} limits done` : `specialization ${id}: ${total} limit${total === 1 ? '' : 's'}`),
    progress: (p) => line.show(`${Math.round(p.fraction * 100)}% ${p.message}`),
    finished: (unit) => {
      if (unit.unit === 'limits') line.print(`limit ${unit.subnet.limit}: predicted ${(unit.subnet.predictedAccuracy * 100).toFixed(2)} % at ${unit.subnet.efficiency.toFixed(2)} (${unit.subnet.seconds.toFixed(1)} s)`);
    },
    log: (message) => line.print(`  ${message}`),
  };
  return { events, close: () => line.clear() };
}

/** How `nas-studio` shows specialization runs. */
export const specializationConsole: RunConsole = {
  printer: (view, out, stream) => sweepPrinter(view.folder.id, out, stream),
  result: (view) => ['', ...resultTable(resultOf(view))],
  show: (view, summary) => {
    const s = asSummary(summary);
    return [`${s.name} (${s.id}): specialization ${s.status}, ${s.progress.done}/${s.progress.total} limits${s.error ? `\nerror: ${s.error}` : ''}\nfolder: ${s.dir}`, ...resultTable(resultOf(view))];
  },
  json: (view, summary) => ({ run: summary.id, status: summary.status, ...resultOf(view) }),
  showJson: (view, summary) => ({ ...summary, result: resultOf(view) }),
  listResult: (summary) => specializationLine(asSummary(summary)) ?? '-',
};

import { formatPercent } from '../contract/format';
import type { CostKind } from '../contract/quantization';
import { formatBits, formatCost } from '../contract/quantizationText';
import type { EpisodeInfo, QuantizationRunSummary, RunSummary } from '../contract/runs';
import { quantizationLine } from '../contract/runText';
import type { QuantizationSpec } from '../server/quantize/quantizationSpec';
import type { RunEvents } from '../server/runs/runKind';
import type { RunConsole, RunPrinter } from './runConsole';
import { StatusLine } from './statusLine';

const asSummary = (summary: RunSummary) => summary as QuantizationRunSummary;

/** "episode  12  acc 91.20%  61.2 kB  reward -0.04  W8A8 W4A6 ... (agent)". */
export function episodeLine(e: EpisodeInfo, kind: CostKind): string {
  return `episode ${String(e.episode + 1).padStart(4)}  acc ${formatPercent(e.accuracy)}  ${formatCost(kind, e.cost)}  reward ${e.reward.toFixed(3)}  ${e.policy.map(formatBits).join(' ')}${e.explored ? ' (random)' : ''}`;
}

/** The float model, the uniform baselines and the best policy, with its test and exported accuracies once finished. */
export function quantizationTable(s: QuantizationRunSummary): string[] {
  const lines: string[] = [`${s.quantizer} quantization of ${s.model}, budget ${s.budget.text}${s.budget.target !== undefined ? ` (${formatCost(s.budget.kind, s.budget.target)})` : ''}, ${s.search} search`];
  if (s.originalAccuracy !== undefined) lines.push(`float model        held-out ${formatPercent(s.originalAccuracy)}`);
  for (const b of s.baselines) lines.push(`uniform ${formatBits(b).padEnd(10)} held-out ${formatPercent(b.accuracy)}  ${formatCost(s.budget.kind, b.cost)}${s.budget.target !== undefined && b.cost > s.budget.target ? ' (over budget)' : ''}`);
  const best = s.result ?? s.best;
  if (best) {
    lines.push(`best (episode ${best.episode + 1})  held-out ${formatPercent(best.accuracy)}  ${formatCost(s.budget.kind, best.cost)}`);
    if (s.layers) lines.push(`bits: ${s.layers.map((l, i) => `${l.name} ${formatBits(best.policy[i])}`).join(', ')}`);
  }
  const r = s.result;
  if (r) {
    if (r.testAccuracy !== undefined) lines.push(`test accuracy ${formatPercent(r.testAccuracy)} (float ${r.originalTestAccuracy !== undefined ? formatPercent(r.originalTestAccuracy) : '-'})${r.finetuned ? ' after fine-tuning' : ''}`);
    lines.push(`exported model (stock TF.js, ${r.exportedOn}): ${formatPercent(r.exportedAccuracy)}; packed weights ${r.packedBytes} bytes, ${(r.floatBytes / r.packedBytes).toFixed(2)}x smaller than float32`);
    lines.push(`model: ${r.modelDir}`);
  }
  return lines;
}

/** A line per episode; a live status line with the episode being scored. */
function episodePrinter(id: string, kind: CostKind, out: (line: string) => void, stream: NodeJS.WriteStream): RunPrinter {
  const line = new StatusLine(stream, out);
  const events: RunEvents = {
    started: ({ resumed, done, total }) => {
      line.watch(done);
      line.print(resumed ? `resuming ${id}: ${done} of ${total} episodes done` : `quantization ${id}: ${total} episodes`);
    },
    progress: (p) => line.showProgress(p),
    finished: (unit) => {
      if (unit.unit === 'episodes') line.print(episodeLine(unit.episode, kind));
    },
    log: (message) => line.print(`  ${message}`),
  };
  return { events, close: () => line.clear() };
}

/** The last line of `quantize --json`: what was found and measured. */
function resultJson(s: QuantizationRunSummary): Record<string, unknown> {
  return { run: s.id, status: s.status, budget: s.budget, originalAccuracy: s.originalAccuracy, episodes: s.episodes, baselines: s.baselines, best: s.best, result: s.result };
}

/** How `nas-studio` shows quantization runs. */
export const quantizationConsole: RunConsole = {
  printer: (view, out, stream) => episodePrinter(view.folder.id, (view.spec as QuantizationSpec).budget.kind, out, stream),
  result: (_view, summary) => ['', ...quantizationTable(asSummary(summary))],
  show: (_view, summary) => {
    const s = asSummary(summary);
    return [`${s.name} (${s.id}): quantization ${s.status}, ${s.episodes}/${s.progress.total} episodes${s.error ? `\nerror: ${s.error}` : ''}\nfolder: ${s.dir}`, ...quantizationTable(s)];
  },
  json: (_view, summary) => resultJson(asSummary(summary)),
  showJson: (_view, summary) => ({ ...summary }),
  listResult: (summary) => quantizationLine(asSummary(summary)) ?? '-',
};

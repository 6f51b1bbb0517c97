import { formatMs, formatPercent, progressBar } from '../contract/format';
import type { DerivedNetwork, ProgressParams, ProxylessEpoch, ProxylessRunSummary, RunSummary } from '../contract/runs';
import { latencyFidelityLine, latencyTableLine, proxylessLine } from '../contract/runText';
import type { RunEvents, RunView } from '../server/runs/runKind';
import { argmax } from '../server/proxyless/archParameters';
import { proxylessEpoch, type ProxylessState } from '../server/proxyless/proxylessState';
import type { ProxylessSpec } from '../server/proxyless/proxylessSpec';
import type { RunConsole, RunPrinter } from './runConsole';
import { StatusLine } from './statusLine';

const asProxyless = (view: RunView<unknown, unknown>) => view as RunView<ProxylessSpec, ProxylessState>;
const asSummary = (summary: RunSummary) => summary as ProxylessRunSummary;

/** One line per finished epoch: phase, training loss/accuracy, validation accuracy of the most likely network, expected latency, speed. */
export function searchEpochLine(e: ProxylessEpoch): string {
  return (
    `epoch ${String(e.epoch).padStart(String(e.epochs).length)}/${e.epochs} ${e.phase.padEnd(6)} loss ${e.loss.toFixed(4)} acc ${formatPercent(e.accuracy)}` +
    `  val ${formatPercent(e.validation.accuracy)}  E[lat] ${formatMs(e.expectedLatencyMs)}${e.archSteps > 0 ? `  ${e.archSteps} arch steps` : ''}` +
    `  ${Math.round(e.imagesPerSecond)} img/s ${e.seconds.toFixed(1)}s`
  );
}

/** The derived network: architecture, latency (measured against the table's prediction), accuracy, files. */
export function derivedLines(summary: ProxylessRunSummary, d: DerivedNetwork): string[] {
  return [
    `derived: ${d.description}`,
    ...(d.mostLikely ? [`  (near the target; the most likely network, ${d.mostLikely.description}, by the table ${formatMs(d.mostLikely.predictedLatencyMs)})`] : []),
    `latency: ${latencyFidelityLine(d)}; expected ${formatMs(d.expectedLatencyMs)} at the end of the search; target ${formatMs(summary.targetMs)}`,
    `accuracy after ${d.epochs} epoch(s) from scratch: validation ${formatPercent(d.valAccuracy)}${d.testAccuracy !== undefined ? `, test ${formatPercent(d.testAccuracy)}` : ''}; ${d.params.toLocaleString('en-US')} params`,
    `exported: ${d.modelDir} (TF.js), ${d.archFile}`,
  ];
}

/** Every block's most likely candidate and its probability after the last epoch. */
function choiceLines(summary: ProxylessRunSummary): string[] {
  const probabilities = summary.probabilities;
  if (!probabilities) return [];
  const width = Math.max(...summary.blocks.map((b) => b.label.length));
  return summary.blocks.map((block, b) => {
    const best = argmax(probabilities[b]);
    return `  ${block.label.padEnd(width)}  ${block.candidates[best].padEnd(12)} p ${probabilities[b][best].toFixed(3)}`;
  });
}

function resultLines(summary: ProxylessRunSummary): string[] {
  return summary.derived ? derivedLines(summary, summary.derived) : summary.probabilities ? ['most likely candidates so far:', ...choiceLines(summary)] : [];
}

/** A line per finished epoch, the derived network at the end; on a terminal a live status line, elsewhere one every 30 s. */
function searchPrinter(id: string, out: (line: string) => void, stream: NodeJS.WriteStream): RunPrinter {
  const line = new StatusLine(stream, out);
  let lastPlain = 0;
  const status = (p: Omit<ProgressParams, 'id'>) => {
    const text = `${progressBar(p.fraction)} ${p.message}`;
    if (!line.show(text) && Date.now() - lastPlain >= 30_000) {
      lastPlain = Date.now();
      line.print(text);
    }
  };
  const events: RunEvents = {
    started: ({ resumed, done, total }) =>
      line.print(resumed ? `resuming ${id} after ${done} of ${total - 1} epochs (from its last checkpoint)` : `ProxylessNAS search ${id}: ${total - 1} epochs, then the derived network`),
    progress: status,
    finished: (unit) => {
      if (unit.unit === 'search-epochs') line.print(searchEpochLine(unit.epoch));
      if (unit.unit === 'derived') line.print(`derived ${unit.derived.description}: ${latencyFidelityLine(unit.derived)}`);
    },
    log: (message) => line.print(`  ${message}`),
  };
  return { events, close: () => line.clear() };
}

/** How `nas-studio` shows ProxylessNAS searches. */
export const proxylessConsole: RunConsole = {
  printer: (view, out, stream) => searchPrinter(view.folder.id, out, stream),
  result: (_view, summary) => resultLines(asSummary(summary)),
  show: (view, summary) => {
    const s = asSummary(summary);
    return [
      `${s.name} (${s.id}): ProxylessNAS search ${s.status}, epoch ${s.epoch}/${s.epochs}, binarization ${s.binarization}, ${s.latencyLoss} to ${formatMs(s.targetMs)}${s.error ? `\nerror: ${s.error}` : ''}\nfolder: ${s.dir}`,
      ...(s.latencyTable ? [`latency table: ${latencyTableLine(s.latencyTable)}`] : []),
      ...asProxyless(view).state.epochs.map((e) => searchEpochLine(proxylessEpoch(e))),
      ...resultLines(s),
    ];
  },
  json: (_view, summary) => {
    const s = asSummary(summary);
    return {
      experiment: s.id,
      status: s.status,
      epoch: s.epoch,
      epochs: s.epochs,
      targetMs: s.targetMs,
      expectedLatencyMs: s.curve.at(-1)?.expectedLatencyMs,
      ...(s.derived ? { derived: s.derived } : {}),
    };
  },
  showJson: (view, summary) => ({ ...summary, epochs: asProxyless(view).state.epochs.map(proxylessEpoch) }),
  listResult: (summary) => proxylessLine(asSummary(summary)) ?? '-',
};

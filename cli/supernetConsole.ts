import { formatClock, formatPercent, progressBar } from '../contract/format';
import type { ProgressParams, RunSummary, SupernetRunSummary, TrainingEpoch } from '../contract/runs';
import type { RunEvents, RunView } from '../server/runs/runKind';
import { trainingEpoch, type SupernetState } from '../server/supernet/supernetState';
import type { SupernetSpec } from '../server/supernet/supernetSpec';
import type { RunConsole, RunPrinter } from './runConsole';
import { StatusLine } from './statusLine';

const asSupernet = (view: RunView<unknown, unknown>) => view as RunView<SupernetSpec, SupernetState>;
const asSummary = (summary: RunSummary) => summary as SupernetRunSummary;

/** One line per finished epoch: phase, training loss/accuracy, validation accuracy of the largest and smallest sub-networks, speed. */
export function epochLine(r: TrainingEpoch, etaSeconds?: number): string {
  const test = r.test ? `  test largest ${formatPercent(r.test.largest.accuracy)} smallest ${formatPercent(r.test.smallest.accuracy)}` : '';
  const eta = etaSeconds !== undefined && r.epoch < r.epochs ? `  ETA ${formatClock(etaSeconds * 1000)}` : '';
  return (
    `epoch ${String(r.epoch).padStart(String(r.epochs).length)}/${r.epochs} ${r.phase.padEnd(7)} loss ${r.loss.toFixed(4)} acc ${formatPercent(r.accuracy)}` +
    `  val largest ${formatPercent(r.validation.largest.accuracy)} smallest ${formatPercent(r.validation.smallest.accuracy)}` +
    `  ${Math.round(r.imagesPerSecond)} img/s ${r.seconds.toFixed(1)}s${eta}${test}`
  );
}

/**
 * Console view of a supernet training run: a line per epoch, and on a terminal a live status line
 * (epoch, phase, step, loss, accuracy, images/s, ETA); elsewhere a status line every 30 s.
 */
function trainingPrinter(id: string, out: (line: string) => void, stream: NodeJS.WriteStream): RunPrinter {
  const line = new StatusLine(stream, out);
  let lastPlain = 0;
  let eta: number | undefined;
  const status = (p: Omit<ProgressParams, 'id'>) => {
    eta = p.etaSeconds;
    const text = `${progressBar(p.fraction)} ${p.message}`;
    if (!line.show(text) && Date.now() - lastPlain >= 30_000) {
      lastPlain = Date.now();
      line.print(text);
    }
  };
  const events: RunEvents = {
    started: ({ resumed, done, total }) => line.print(resumed ? `resuming ${id} after epoch ${done} of ${total} (from its last checkpoint)` : `training ${id}: ${total} epochs`),
    progress: status,
    finished: (unit) => {
      if (unit.unit === 'epochs') line.print(epochLine(unit.epoch, eta));
    },
    log: (message) => line.print(`  ${message}`),
  };
  return { events, close: () => line.clear() };
}

/** How `nas-studio` shows supernet training runs. */
export const supernetConsole: RunConsole = {
  printer: (view, out, stream) => trainingPrinter(view.folder.id, out, stream),
  result: () => [],
  show: (view, summary) => {
    const s = asSummary(summary);
    return [
      `${s.name} (${s.id}): supernet training ${s.status}, epoch ${s.training.epoch}/${s.training.epochs}${s.error ? `\nerror: ${s.error}` : ''}\nfolder: ${s.dir}`,
      ...asSupernet(view).state.epochs.map((e) => epochLine(trainingEpoch(e))),
    ];
  },
  json: (_view, summary) => ({ experiment: summary.id, status: summary.status, training: asSummary(summary).training }),
  showJson: (view, summary) => ({ ...summary, epochs: asSupernet(view).state.epochs.map(trainingEpoch) }),
  listResult: (summary) => {
    const t = asSummary(summary).training;
    return t.accuracy === undefined || t.smallestAccuracy === undefined ? '-' : `val largest ${formatPercent(t.accuracy)} smallest ${formatPercent(t.smallestAccuracy)}`;
  },
};

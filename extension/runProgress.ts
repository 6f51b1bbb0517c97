import * as vscode from 'vscode';
import { liveProgressText, observeDone, percentDone, startClock, type UnitClock } from '../contract/liveProgress';
import { Requests } from '../contract/protocol';
import { resultLine } from '../contract/runText';
import type { ProgressParams, RunSummary } from '../contract/runs';
import type { EngineClient } from './engineClient';
import { endMessage } from './runs/runRows';

interface Tracked {
  report(params: ProgressParams): void;
  finish(): void;
}

/** What the status bar and the notification show of a run: its summary, its latest counts and their clock. */
interface Watched {
  summary: RunSummary;
  /** Units done and in all, from the latest summary or progress report (whichever came last). */
  counts: Pick<ProgressParams, 'done' | 'total' | 'unit'>;
  clock: UnitClock;
}

const ACTIVE = new Set(['running', 'stopping']);

/** "3/20 trials", "1/2 epochs", "2/5 limits": how far a run is, as its progress counts it. */
export function progressCount(p: Pick<ProgressParams, 'done' | 'total' | 'unit'>): string {
  return `${p.done}/${p.total} ${p.unit}`;
}

/**
 * While runs of any kind run: a cancellable progress notification per run and a status bar
 * item for the most recent one, both with the same percentage, count, elapsed time and ETA
 * (contract/liveProgress.ts); a message with the result when one ends.
 */
export class RunProgress implements vscode.Disposable {
  private readonly tracked = new Map<string, Tracked>();
  private readonly status: vscode.StatusBarItem;
  private readonly latest = new Map<string, Watched>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly engine: EngineClient) {
    this.status = vscode.window.createStatusBarItem('nasStudio.progress', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'NAS Studio';
    this.subscriptions.push(
      engine.onRunChanged((s) => this.onChanged(s)),
      engine.onTrialFinished((t) => this.onChanged(t.summary)),
      engine.onProgress((p) => this.onProgress(p)),
    );
  }

  private onChanged(summary: RunSummary): void {
    const running = ACTIVE.has(summary.status);
    const now = Date.now();
    const watched = this.latest.get(summary.id);
    if (watched) {
      watched.summary = summary;
      watched.counts = summary.progress;
      watched.clock = observeDone(watched.clock, summary.progress.done, now);
    } else if (running) {
      this.latest.set(summary.id, { summary, counts: summary.progress, clock: startClock(summary.progress.done, now) });
    }
    if (running && !this.tracked.has(summary.id)) this.track(summary);
    if (!running) {
      this.tracked.get(summary.id)?.finish();
      this.tracked.delete(summary.id);
      if (watched) this.announce(summary);
      this.latest.delete(summary.id);
    }
    this.render();
  }

  private onProgress(p: ProgressParams): void {
    const entry = this.latest.get(p.id);
    if (entry) {
      entry.counts = p;
      entry.clock = observeDone(entry.clock, p.done, Date.now());
    }
    this.tracked.get(p.id)?.report(p);
    this.render();
  }

  /** "25% · 2/8 trials · 1m05s elapsed · ETA 3m15s" for a watched run, now. */
  private figure(entry: Watched): string {
    return liveProgressText(entry.clock, entry.counts.total, entry.counts.unit, Date.now());
  }

  private announce(summary: RunSummary): void {
    const show = summary.status === 'failed' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    // Offered only when the run has a view of its results.
    const open = summary.views.length > 0 ? ['Open Results'] : [];
    void show(endMessage(summary), ...open).then((choice) => {
      if (choice) void vscode.commands.executeCommand('nasStudio.openResults', summary.id);
    });
  }

  private track(summary: RunSummary): void {
    let report: (p: ProgressParams) => void = () => {};
    let finish: () => void = () => {};
    const ended = new Promise<void>((resolve) => (finish = resolve));
    this.tracked.set(summary.id, { report: (p) => report(p), finish: () => finish() });
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NAS Studio: ${summary.name}`, cancellable: true },
      async (progress, token) => {
        let reported = 0;
        report = (p) => {
          const entry = this.latest.get(summary.id);
          // The bar moves by finished units, as the percentage in the text does.
          const percent = percentDone(p.done, p.total);
          const figure = entry ? this.figure(entry) : progressCount(p);
          progress.report({ increment: Math.max(0, percent - reported), message: `${figure}${p.message ? ` — ${p.message}` : ''}` });
          reported = Math.max(reported, percent);
        };
        token.onCancellationRequested(() => {
          progress.report({ message: 'stopping…' });
          void this.engine.request(Requests.stopRun, { id: summary.id }).catch(() => undefined);
        });
        await ended;
      },
    );
  }

  private render(): void {
    const running = [...this.latest.values()].filter((e) => ACTIVE.has(e.summary.status));
    if (running.length === 0) {
      this.status.hide();
      return;
    }
    const entry = running[running.length - 1];
    const { summary } = entry;
    const result = resultLine(summary);
    this.status.text = `$(beaker~spin) ${summary.name} ${this.figure(entry)}${result ? ` · ${result}` : ''}${running.length > 1 ? ` (+${running.length - 1})` : ''}`;
    this.status.tooltip = `NAS Studio: ${running.length} run(s) going. Click to open results.`;
    this.status.command = { command: 'nasStudio.openResults', title: 'Open Results', arguments: [summary.id] };
    this.status.show();
  }

  dispose(): void {
    this.status.dispose();
    for (const s of this.subscriptions) s.dispose();
    for (const t of this.tracked.values()) t.finish();
  }
}

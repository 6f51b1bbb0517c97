import * as vscode from 'vscode';
import { Requests } from '../contract/protocol';
import { type ExperimentSummary, type ProgressParams } from '../contract/runs';
import type { EngineClient } from './engineClient';
import { bestLine, extentLine, resultLine, trainingLine } from './summaryText';

interface Tracked {
  report(params: ProgressParams): void;
  finish(): void;
}

const ACTIVE = new Set(['running', 'stopping']);

/**
 * While experiments run: a cancellable progress notification per experiment and a status bar
 * item for the most recent one; a message with the result when one ends.
 */
export class RunProgress implements vscode.Disposable {
  private readonly tracked = new Map<string, Tracked>();
  private readonly status: vscode.StatusBarItem;
  private readonly latest = new Map<string, { summary: ExperimentSummary; progress?: ProgressParams }>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly engine: EngineClient) {
    this.status = vscode.window.createStatusBarItem('nasStudio.progress', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'NAS Studio';
    this.subscriptions.push(
      engine.onExperimentChanged((s) => this.onChanged(s)),
      engine.onTrialFinished((t) => this.onChanged(t.summary)),
      engine.onProgress((p) => this.onProgress(p)),
    );
  }

  private onChanged(summary: ExperimentSummary): void {
    const running = ACTIVE.has(summary.status);
    this.latest.set(summary.id, { ...this.latest.get(summary.id), summary });
    if (running && !this.tracked.has(summary.id)) this.track(summary);
    if (!running) {
      this.tracked.get(summary.id)?.finish();
      this.tracked.delete(summary.id);
      if (this.latest.get(summary.id)?.progress) this.announce(summary);
      this.latest.delete(summary.id);
    }
    this.render();
  }

  private onProgress(p: ProgressParams): void {
    const entry = this.latest.get(p.id);
    if (entry) entry.progress = p;
    this.tracked.get(p.id)?.report(p);
    this.render();
  }

  private announce(summary: ExperimentSummary): void {
    const result =
      summary.kind === 'supernet'
        ? ` after ${extentLine(summary)}.${trainingLine(summary) ? ` Validation accuracy: ${trainingLine(summary)}.` : ''}`
        : ` after ${summary.trials}/${summary.budget} trials.${summary.best ? ` Best: ${summary.best.description} (${bestLine(summary)}).` : ''}`;
    const text = `NAS Studio: ${summary.name} ${summary.status}${result}${summary.error ? ` ${summary.error}` : ''}`;
    const show = summary.status === 'failed' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    void show(text, 'Open Results').then((choice) => {
      if (choice) void vscode.commands.executeCommand('nasStudio.openResults', summary.id);
    });
  }

  private track(summary: ExperimentSummary): void {
    let report: (p: ProgressParams) => void = () => {};
    let finish: () => void = () => {};
    const ended = new Promise<void>((resolve) => (finish = resolve));
    this.tracked.set(summary.id, { report: (p) => report(p), finish: () => finish() });
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NAS Studio: ${summary.name}`, cancellable: true },
      async (progress, token) => {
        let reported = 0;
        report = (p) => {
          const percent = p.fraction * 100;
          progress.report({ increment: Math.max(0, percent - reported), message: p.training ? p.message : `${p.trialsDone}/${p.budget} trials${p.message ? ` — ${p.message}` : ''}` });
          reported = Math.max(reported, percent);
        };
        token.onCancellationRequested(() => {
          progress.report({ message: 'stopping…' });
          void this.engine.request(Requests.stopExperiment, { id: summary.id }).catch(() => undefined);
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
    const { summary, progress } = running[running.length - 1];
    const percent = progress ? ` ${Math.round(progress.fraction * 100)}%` : '';
    const best = resultLine(summary);
    this.status.text = `$(beaker~spin) ${summary.name}${percent} ${extentLine(summary)}${best ? ` · ${best}` : ''}${running.length > 1 ? ` (+${running.length - 1})` : ''}`;
    this.status.tooltip = `NAS Studio: ${running.length} experiment(s) running. Click to open results.`;
    this.status.command = { command: 'nasStudio.openResults', title: 'Open Results', arguments: [summary.id] };
    this.status.show();
  }

  dispose(): void {
    this.status.dispose();
    for (const s of this.subscriptions) s.dispose();
    for (const t of this.tracked.values()) t.finish();
  }
}

import * as vscode from 'vscode';
import { Requests, type ExperimentSummary, type TrialPage } from '../server/protocol';
import { formatMetric } from '../server/report/format';
import type { EngineClient } from './engineClient';

export const RESULTS_SCHEME = 'nas-studio-results';

const TOP = 50;

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Markdown results of an experiment: summary, best architecture, the top trials. */
export function resultsMarkdown(summary: ExperimentSummary, trials: TrialPage['items']): string {
  const objective = summary.objectives[0];
  const names = [...new Set([...summary.objectives.map((o) => o.metric), ...(summary.best ? Object.keys(summary.best.metrics) : [])])];
  const lines = [
    `# ${summary.name}`,
    '',
    `**${summary.status}** · ${summary.trials}/${summary.budget} trials · \`${summary.id}\``,
    '',
  ];
  if (summary.error) lines.push(`> Error: ${summary.error}`, '');
  if (summary.best) {
    lines.push(`## Best architecture (trial ${summary.best.trial})`, '', `\`${summary.best.description}\``, '', '| metric | value |', '|---|---|');
    for (const n of names) if (n in summary.best.metrics) lines.push(`| ${n} | ${formatMetric(n, summary.best.metrics[n])} |`);
    lines.push('');
  }
  if (objective) {
    const sign = objective.goal === 'maximize' ? -1 : 1;
    const ranked = trials
      .filter((t) => !t.error && t.feasible && !t.cached && typeof t.metrics[objective.metric] === 'number')
      .sort((a, b) => sign * (a.metrics[objective.metric] - b.metrics[objective.metric]) || a.trial - b.trial)
      .slice(0, TOP);
    lines.push(`## Top ${ranked.length} trials by ${objective.metric}`, '', `| # | trial | architecture | ${names.join(' | ')} |`, `|${'---|'.repeat(names.length + 3)}`);
    ranked.forEach((t, i) => lines.push(`| ${i + 1} | ${t.trial} | ${escapeCell(t.description)} | ${names.map((n) => formatMetric(n, t.metrics[n])).join(' | ')} |`));
  }
  return lines.join('\n') + '\n';
}

/** Serves `nas-studio-results:/<id>.md`, refreshed as trials finish. */
export class ResultsDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly engine: EngineClient) {
    this.subscription = engine.onTrialFinished((t) => this.changed.fire(resultsUri(t.id)));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const summary = await this.engine.request(Requests.getExperiment, { id });
    const items: TrialPage['items'][number][] = [];
    for (let offset = 0; offset < summary.trials; offset += 5000) {
      const page = await this.engine.request(Requests.getTrials, { id, offset, limit: 5000 });
      items.push(...page.items);
    }
    return resultsMarkdown(summary, items);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function resultsUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RESULTS_SCHEME, path: `/${id}.md` });
}

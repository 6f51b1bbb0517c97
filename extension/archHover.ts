import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../server/core/errors';
import { archToGraph, hasGraph } from '../server/graphs/archToGraph';
import { Requests, type ArchitectureMatch } from '../contract/protocol';
import { type Metrics } from '../contract/metrics';
import { formatCount } from '../contract/format';
import { describeMetric, formatMetric, type MetricCatalog } from '../contract/metricInfo';
import { TRAINED_METRICS } from '../contract/trainedMetrics';
import { archAt, type LocatedArch } from './archLocator';
import type { EngineClient } from './engineClient';
import { miniGraphPalettes, miniGraphSvg, type MiniGraphPalette } from './miniGraphSvg';
import type { RunsTree } from './runs/runsTree';
import { runsOfSpec } from './specLenses';

/** Where architectures get a hover: specs, exported architectures, and any JSON result file. */
export const archHoverSelector: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.nas.json' },
  { scheme: 'file', pattern: '**/*.arch.json' },
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
];

const MAX_METRICS = 12;

function palette(): MiniGraphPalette {
  switch (vscode.window.activeColorTheme.kind) {
    case vscode.ColorThemeKind.Light:
      return miniGraphPalettes.light;
    case vscode.ColorThemeKind.HighContrast:
      return miniGraphPalettes.highContrast;
    case vscode.ColorThemeKind.HighContrastLight:
      return miniGraphPalettes.highContrastLight;
    default:
      return miniGraphPalettes.dark;
  }
}

function metricsTable(metrics: Metrics, catalog: MetricCatalog): string {
  const rows = Object.entries(metrics)
    .slice(0, MAX_METRICS)
    .map(([name, value]) => `| ${escapeMarkdown(describeMetric(name, catalog).title)} | ${formatMetric(name, value, catalog)} |`);
  return ['| metric | value |', '|---|---:|', ...rows].join('\n');
}

/**
 * Hover over an architecture (an object whose `space` NAS Studio can draw) in a spec, an
 * experiment's files or an exported `*.arch.json`: its metrics — carried by the object, or
 * looked up in the experiments that evaluated it — and a small picture of its graph.
 */
export class ArchHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly engine: EngineClient,
    private readonly tree: RunsTree,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const located = archAt(document.getText(), document.offsetAt(position), hasGraph);
    if (!located) return undefined;
    const owner = this.owningSearch(document.uri.fsPath);
    const match = located.metrics ? undefined : await this.lookUp(located, document.uri.fsPath, owner);
    const markdown = new vscode.MarkdownString(undefined, true);
    markdown.isTrusted = { enabledCommands: ['nasStudio.openTrialGraph'] };

    const heading = located.description ?? match?.description;
    markdown.appendMarkdown(`**${located.arch.space} architecture**${heading ? ` · ${escapeMarkdown(heading)}` : ''}\n\n`);
    const trial = match ? { experiment: match.run, trial: match.trial } : owner && located.trial !== undefined ? { experiment: owner, trial: located.trial } : undefined;
    if (match) markdown.appendMarkdown(`Trial ${match.trial} of **${escapeMarkdown(match.name)}**${match.feasible ? '' : ' (violates a constraint)'}\n\n`);
    else if (located.trial !== undefined) markdown.appendMarkdown(`Trial ${located.trial}\n\n`);
    const metrics = located.metrics ?? match?.metrics;
    // Metrics outside a search (a derived or exported network) are those of trained networks.
    const run = this.tree.summary(match?.run ?? owner ?? '');
    if (metrics) markdown.appendMarkdown(`${metricsTable(metrics, run?.kind === 'search' ? run.metricInfo : TRAINED_METRICS)}\n\n`);
    else markdown.appendMarkdown('_No experiment has evaluated this architecture yet._\n\n');

    try {
      const graph = archToGraph(located.arch);
      const picture = miniGraphSvg(graph, palette());
      const uri = `data:image/svg+xml;base64,${Buffer.from(picture.svg, 'utf8').toString('base64')}`;
      markdown.appendMarkdown(`![${escapeMarkdown(graph.title)}: ${picture.nodes} nodes](${uri})\n\n`);
      const totals = [`${picture.nodes} nodes`];
      if (graph.totals.params !== undefined) totals.push(`${formatCount(graph.totals.params)} params`);
      if (graph.totals.flops !== undefined) totals.push(`${formatCount(graph.totals.flops)} FLOPs`);
      markdown.appendMarkdown(`${totals.join(' · ')}`);
    } catch (e) {
      markdown.appendMarkdown(`_Cannot draw it: ${escapeMarkdown(errorMessage(e))}_`);
    }
    if (trial) {
      const args = encodeURIComponent(JSON.stringify([trial]));
      markdown.appendMarkdown(` · [Open graph](command:nasStudio.openTrialGraph?${args} "Open the architecture graph of trial ${trial.trial}")`);
    }
    const range = new vscode.Range(document.positionAt(located.offset), document.positionAt(located.offset + located.length));
    return new vscode.Hover(markdown, range);
  }

  /** The search whose folder holds this file (e.g. its exports/best.arch.json). */
  private owningSearch(file: string): string | undefined {
    return this.tree.all().find((s) => s.kind === 'search' && file.startsWith(s.dir + path.sep))?.id;
  }

  /** The searches that evaluated the architecture: those of this spec or folder, else all. */
  private async lookUp(located: LocatedArch, file: string, owner: string | undefined): Promise<ArchitectureMatch | undefined> {
    const ofSpec = file.endsWith('.nas.json') ? runsOfSpec(this.tree.all(), file).map((s) => s.id) : [];
    const ids = owner ? [owner] : ofSpec.length > 0 ? ofSpec : undefined;
    try {
      const matches = await this.engine.request(Requests.findArchitecture, { arch: located.arch, ids });
      return matches[0];
    } catch (e) {
      this.engine.output.appendLine(`hover: could not look the architecture up: ${errorMessage(e)}`);
      return undefined;
    }
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

import * as vscode from 'vscode';
import { archGraphs } from '../../server/graphs/archToGraph';
import { formatMetric, describeMetric } from '../../contract/metricInfo';
import type { Metrics } from '../../contract/metrics';
import { Requests } from '../../contract/protocol';
import type { SearchRunSummary } from '../../contract/runs';
import { SPECIALIZATION_METRICS } from '../../contract/specializationMetrics';
import type { MetricCatalog } from '../../contract/metrics';
import type { EngineClient } from '../engineClient';
import { exportsFolder } from './liveView';
import { ViewPanel } from './webviewHost';

export const graphViewType = 'nasStudio.graph';

/**
 * The architecture graph of a trial. One panel per experiment: opening another trial of the
 * same experiment replaces the graph it shows.
 */
export class GraphPanel {
  readonly view: ViewPanel;
  private shown: number;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly experimentId: string,
    trial: number,
    engine: EngineClient,
    extensionUri: vscode.Uri,
  ) {
    this.shown = trial;
    let exports: vscode.Uri | undefined;
    this.view = new ViewPanel(panel, {
      view: 'graph',
      extensionUri,
      log: (m) => engine.output.appendLine(m),
      content: {
        snapshot: async (withInit) => {
          const trial = this.shown;
          const [summary, item] = await Promise.all([
            engine.request(Requests.getRun, { id: experimentId }),
            engine.request(Requests.getTrial, { id: experimentId, trial }),
          ]);
          exports = exportsFolder(summary);
          panel.title = summary.kind === 'specialization' ? `${item.description.split(':')[0]} · ${summary.name}` : `Trial ${trial} · ${summary.name}`;
          // Per-node figures the experiment measures (e.g. lookup-table latency per layer); none are invented.
          const details = await engine.request(Requests.getArchDetails, { id: experimentId, arch: item.arch });
          const graphs = archGraphs(item.arch, { details });
          const title = summary.kind === 'specialization' ? `${summary.name} · ${item.description}` : `Trial ${trial} · ${item.description}`;
          const facts = summary.kind === 'search' ? trialFacts(summary, item.metrics) : summary.kind === 'specialization' ? catalogFacts(item.metrics, SPECIALIZATION_METRICS) : [];
          const shown = { title, ...graphs, experiment: experimentId, trial, facts };
          return [withInit ? { type: 'init', view: 'graph', ...shown } : { type: 'showGraph', ...shown }];
        },
        exportFolder: () => exports,
      },
    });
  }

  get trial(): number {
    return this.shown;
  }

  show(trial: number): void {
    this.shown = trial;
    this.view.refresh();
  }
}

/** The graph header's facts: the run's objectives, constraints and reported metrics the trial has, in their units. */
export function trialFacts(summary: SearchRunSummary, metrics: Metrics): [string, string][] {
  const names = [...new Set([...summary.objectives.map((o) => o.metric), ...summary.constraints.map((c) => c.metric), ...summary.report])];
  return names.filter((n) => metrics[n] !== undefined).map((n) => [describeMetric(n, summary.metricInfo).title, formatMetric(n, metrics[n], summary.metricInfo)]);
}

/** The graph header's facts for a run whose metrics are all declared in one catalog, in the catalog's order. */
export function catalogFacts(metrics: Metrics, catalog: MetricCatalog): [string, string][] {
  return Object.keys(catalog).filter((n) => metrics[n] !== undefined).map((n) => [describeMetric(n, catalog).title, formatMetric(n, metrics[n], catalog)]);
}

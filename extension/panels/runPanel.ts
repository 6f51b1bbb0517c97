import type * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import type { ProxylessRunSummary, QuantizationRunSummary, SpecializationRunSummary } from '../../contract/runs';
import type { HostToWebview } from '../../contract/webviewMessages';
import type { EngineClient } from '../engineClient';
import { exportsFolder, type LiveView } from './liveView';
import { ViewPanel, type ViewPanelOptions } from './webviewHost';

/** Views of one run of one kind (named as the kind), and the summary each shows. */
interface RunViewSummaries {
  readonly proxyless: ProxylessRunSummary;
  readonly specialization: SpecializationRunSummary;
  readonly quantization: QuantizationRunSummary;
}

export type RunView = keyof RunViewSummaries;

interface RunViewSpec<V extends RunView> {
  readonly viewType: string;
  /** The panel's title before its run is loaded; with the run's name after it. */
  readonly title: string;
  /** What the run must be, for the error when it is another kind's ("a ProxylessNAS search"). */
  readonly what: string;
  /** The view's messages for the run: its `init`, or its data again. */
  messages(run: RunViewSummaries[V], withInit: boolean, engine: EngineClient): Promise<HostToWebview[]>;
}

/**
 * - proxyless: a ProxylessNAS search's architecture parameters (heatmap over blocks × candidates),
 *   its expected latency and validation accuracy curves and the derived network;
 * - specialization: a sweep's curve of predicted accuracy against the limit and its rows (a row
 *   opens the sub-network's graph);
 * - quantization: a HAQ run's episodes (accuracy against cost) with the budget and the uniform
 *   baselines, and the model's graph coloured by the best policy's bits.
 */
export const RUN_VIEWS: { readonly [V in RunView]: RunViewSpec<V> } = {
  proxyless: {
    viewType: 'nasStudio.proxyless',
    title: 'Architecture parameters',
    what: 'a ProxylessNAS search',
    messages: async (run, withInit) => [withInit ? { type: 'init', view: 'proxyless', run } : { type: 'summary', summary: run }],
  },
  specialization: {
    viewType: 'nasStudio.specialization',
    title: 'Specialization',
    what: 'a specialization',
    messages: async (run, withInit) => [withInit ? { type: 'init', view: 'specialization', run } : { type: 'summary', summary: run }],
  },
  quantization: {
    viewType: 'nasStudio.quantization',
    title: 'Quantization',
    what: 'a quantization run',
    messages: async (run, withInit, engine) => {
      // Every episode, which the summary does not carry.
      const data = await engine.request(Requests.getQuantizationEpisodes, { id: run.id });
      return [withInit ? { type: 'init', view: 'quantization', run, data } : { type: 'quantization', run, data }];
    },
  },
};

/** A panel showing one run in its kind's view; `refresh` (on every change of the run) re-sends its data. */
export class RunPanel implements LiveView {
  readonly view: ViewPanel;
  readonly experiments: readonly string[];

  constructor(kind: RunView, panel: vscode.WebviewPanel, id: string, engine: EngineClient, extensionUri: vscode.Uri, handlers?: ViewPanelOptions['handlers']) {
    this.experiments = [id];
    const spec = RUN_VIEWS[kind] as RunViewSpec<RunView>;
    let exports: vscode.Uri | undefined;
    this.view = new ViewPanel(panel, {
      view: kind,
      extensionUri,
      log: (m) => engine.output.appendLine(m),
      handlers,
      content: {
        snapshot: async (withInit) => {
          const run = await engine.request(Requests.getRun, { id });
          if (run.kind !== kind) throw new Error(`${run.name} (${run.id}) is a ${run.kind} run, not ${spec.what}`);
          exports = exportsFolder(run);
          panel.title = `${spec.title} · ${run.name}`;
          return spec.messages(run, withInit, engine);
        },
        exportFolder: () => exports,
      },
    });
  }
}

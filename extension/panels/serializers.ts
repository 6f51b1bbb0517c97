import * as vscode from 'vscode';
import { analysisViewStateCheck, graphViewStateCheck, plotViewStateCheck, progressViewStateCheck, proxylessViewStateCheck, quantizationViewStateCheck, readState, tableViewStateCheck } from '../../webviews/viewState';
import { searchViewTypes } from './searchPanel';
import type { Check } from '../../contract/validate';
import { graphViewType } from './graphPanel';
import { plotViewType } from './plotPanel';
import { progressViewType } from './progressPanel';
import { RUN_VIEWS } from './runPanel';
import type { ViewPanels } from './openPanels';

/**
 * Brings plot, graph, progress, ProxylessNAS and quantization panels back after a window reload: the state each view saved
 * (checked with the view's own check) says what it showed; the panel then re-sends its data.
 */
export function registerPanelSerializers(panels: ViewPanels, log: (message: string) => void): vscode.Disposable[] {
  /** `revive` adopts the panel, or returns false when the state does not say what to show. */
  function serializer<T>(viewType: string, check: Check<T>, revive: (panel: vscode.WebviewPanel, state: T) => boolean): vscode.Disposable {
    const read = readState(check);
    return vscode.window.registerWebviewPanelSerializer(viewType, {
      async deserializeWebviewPanel(panel, saved) {
        const state = read(saved);
        if (!state || !revive(panel, state)) {
          log(`${viewType}: nothing to restore from the saved state ${JSON.stringify(saved)}; closing the panel`);
          panel.dispose();
        }
      },
    });
  }
  return [
    serializer(plotViewType, plotViewStateCheck, (panel, state) => {
      panels.adoptPlot(panel, state.experiment);
      return true;
    }),
    serializer(graphViewType, graphViewStateCheck, (panel, { experiment, trial }) => {
      if (experiment === undefined || trial === undefined) return false;
      panels.adoptGraph(panel, experiment, trial);
      return true;
    }),
    serializer(searchViewTypes.table, tableViewStateCheck, (panel, state) => {
      panels.adoptSearchView(panel, 'table', state.experiment);
      return true;
    }),
    serializer(searchViewTypes.analysis, analysisViewStateCheck, (panel, state) => {
      panels.adoptSearchView(panel, 'analysis', state.experiment);
      return true;
    }),
    serializer(progressViewType, progressViewStateCheck, (panel, state) => {
      if (state.experiments.length === 0) return false;
      panels.adoptProgress(panel, state.experiments);
      return true;
    }),
    serializer(RUN_VIEWS.proxyless.viewType, proxylessViewStateCheck, (panel, state) => {
      panels.adoptRunView('proxyless', panel, state.experiment);
      return true;
    }),
    // A specialization view saves its run id as a ProxylessNAS view does.
    serializer(RUN_VIEWS.specialization.viewType, proxylessViewStateCheck, (panel, state) => {
      panels.adoptRunView('specialization', panel, state.experiment);
      return true;
    }),
    serializer(RUN_VIEWS.quantization.viewType, quantizationViewStateCheck, (panel, state) => {
      panels.adoptRunView('quantization', panel, state.experiment);
      return true;
    }),
  ];
}

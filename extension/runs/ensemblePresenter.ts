import { TRAINED_METRICS } from '../../contract/trainedMetrics';
import { formatCount, formatPercent } from '../../contract/format';
import { Requests } from '../../contract/protocol';
import { ensembleLine } from '../../contract/runText';
import type { EnsembleRunSummary } from '../../contract/runs';
import { detail, type EngineRequest, type ItemNode } from './explorerNodes';
import type { RunPresenter } from './runPresenter';
import { TRIAL_PAGE, trialRow } from './searchPresenter';

async function candidateRows(summary: EnsembleRunSummary, request: EngineRequest): Promise<ItemNode[]> {
  const page = await request(Requests.getTrials, { id: summary.id, offset: 0, limit: TRIAL_PAGE });
  return page.items.map((t) => trialRow({ id: summary.id, objectives: [{ metric: 'val_accuracy', goal: 'maximize' }], metricInfo: TRAINED_METRICS }, t));
}

/** An AdaNet ensemble: the ensemble (its graph), its members and weights, each iteration's decision. */
export const ensemblePresenter: RunPresenter<EnsembleRunSummary> = {
  title: 'AdaNet ensemble',
  children(s) {
    const rows: ItemNode[] = [];
    const last = s.iterations.at(-1);
    if (last) {
      const graph = s.graphFile ? { command: { command: 'nasStudio.openArchGraph', title: 'Open Ensemble Graph', arguments: [s.graphFile] } } : {};
      rows.push(detail(s.id, 'Ensemble', `${ensembleLine(s)} · ${formatCount(last.params)} params`, 'type-hierarchy', { tooltip: 'Open the ensemble as a graph', ...graph }));
    }
    s.members.forEach((m, j) =>
      rows.push(
        detail(s.id, `Member ${j + 1}: ${m.description}`, `w ${m.weights.map((w) => w.toFixed(3)).join(' ')} · alone ${formatPercent(m.valAccuracy)}`, 'symbol-class', {
          key: `member/${m.trial}`,
          trial: m.trial,
          contextValue: 'trial',
          command: { command: 'nasStudio.openTrialGraph', title: 'Open Trial Graph', arguments: [{ experiment: s.id, trial: m.trial }] },
        }),
      ),
    );
    for (const it of s.iterations) {
      rows.push(
        detail(s.id, `Iteration ${it.iteration + 1}: ${it.chosen === undefined ? 'previous ensemble kept' : `added #${it.chosen}`}`, `F ${it.objective.toFixed(4)} · held-out ${it.heldOutObjective.toFixed(4)} · ${formatPercent(it.valAccuracy)}`, it.chosen === undefined ? 'debug-stop' : 'add', {
          key: `iteration/${it.iteration}`,
          tooltip: it.candidates.map((c) => `#${c.trial} ${c.description}: F ${c.objective.toFixed(4)}, held-out ${c.heldOutObjective.toFixed(4)}`).join('  \n'),
        }),
      );
    }
    rows.push(detail(s.id, 'Candidates', undefined, 'list-ordered', { key: `candidates/${s.iterations.length}/${s.progress.done}`, expand: (request) => candidateRows(s, request) }));
    return rows;
  },
  tooltip: (s) => (ensembleLine(s) ? [`Ensemble: ${ensembleLine(s)}${s.converged ? ' (growth stopped: the previous ensemble won)' : ''}`] : []),
  outcome: (s) => (ensembleLine(s) ? `Ensemble: ${ensembleLine(s)}.` : undefined),
};

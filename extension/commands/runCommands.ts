import * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import type { EngineClient } from '../engineClient';
import { kindOfSpecPath, openProgressOnRun } from '../openProgressOnRun';
import { showEngineError, showFailure } from '../errors/showEngineError';
import { runAction } from '../runs/runRows';
import type { RunsTree } from '../runs/runsTree';
import { requireTrust } from './requireTrust';
import { pickSpec, runIdOf, type CommandTarget, type SpecKind } from './resolveTargets';
import { suggestWarmStart } from './warmStartSuggestion';

/** Run, resume and stop runs of every kind. Each returns the run id it acted on (for tests). */
export function registerRunCommands(engine: EngineClient, tree: RunsTree, state: vscode.Memento): vscode.Disposable[] {
  /** Starts a new run from a saved spec file (the engine tells its kind from the file name); a search may get a warm start suggested. */
  const startSpec = async (spec: vscode.Uri): Promise<string | undefined> => {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === spec.toString());
    if (document?.isDirty) await document.save();
    try {
      const { id } = await engine.request(Requests.startRun, { specPath: spec.fsPath });
      if (spec.fsPath.endsWith('.nas.json')) void suggestWarmStart(engine, spec, state).catch(() => undefined);
      openProgressOnRun(id, kindOfSpecPath(spec.fsPath));
      return id;
    } catch (e) {
      await showEngineError(e, engine.output, { runAgain: startSpec });
      return undefined;
    }
  };

  /** On a run: continue it (stopped, interrupted, failed) or start its spec again (finished); else start a spec. */
  const run = async (target: CommandTarget, kind: SpecKind): Promise<string | undefined> => {
    if (!requireTrust('run anything')) return undefined;
    const id = runIdOf(target);
    const summary = id ? tree.summary(id) : undefined;
    if (!summary) {
      const spec = await pickSpec(target, kind);
      return spec ? startSpec(spec) : undefined;
    }
    const action = runAction(summary);
    if (action === 'start-again') return startSpec(vscode.Uri.file(summary.source));
    if (summary.status === 'damaged') {
      await showFailure({ kind: 'damaged', message: `${summary.name} is damaged and cannot run: ${summary.damage?.[0] ?? 'its folder cannot be read'}` }, engine.output, { runId: summary.id });
      return undefined;
    }
    if (!action) {
      void vscode.window.showInformationMessage(`NAS Studio: ${summary.name} is ${summary.status}; there is nothing to run.`);
      return undefined;
    }
    try {
      await engine.request(Requests.resumeRun, { id: summary.id });
      openProgressOnRun(summary.id, summary.kind);
      return summary.id;
    } catch (e) {
      await showEngineError(e, engine.output, { runId: summary.id });
      return undefined;
    }
  };

  const stop = async (target: CommandTarget): Promise<string | undefined> => {
    let id = runIdOf(target);
    if (!id) {
      const running = tree.all().filter((s) => s.status === 'running');
      if (running.length === 0) {
        void vscode.window.showInformationMessage('No NAS Studio run is going.');
        return undefined;
      }
      id = running.length === 1 ? running[0].id : (await vscode.window.showQuickPick(running.map((s) => ({ label: s.name, description: s.id, id: s.id }))))?.id;
    }
    if (!id) return undefined;
    try {
      await engine.request(Requests.stopRun, { id });
      return id;
    } catch (e) {
      await showEngineError(e, engine.output, { runId: id });
      return undefined;
    }
  };

  return [
    vscode.commands.registerCommand('nasStudio.runExperiment', (target: CommandTarget) => run(target, 'search')),
    vscode.commands.registerCommand('nasStudio.resumeExperiment', (target: CommandTarget) => run(target, 'search')),
    vscode.commands.registerCommand('nasStudio.trainSupernet', (target: CommandTarget) => run(target, 'supernet')),
    vscode.commands.registerCommand('nasStudio.runProxyless', (target: CommandTarget) => run(target, 'proxyless')),
    vscode.commands.registerCommand('nasStudio.scaleNetwork', (target: CommandTarget) => run(target, 'scaling')),
    vscode.commands.registerCommand('nasStudio.growEnsemble', (target: CommandTarget) => run(target, 'ensemble')),
    vscode.commands.registerCommand('nasStudio.runQuantization', (target: CommandTarget) => run(target, 'quantization')),
    vscode.commands.registerCommand('nasStudio.stopExperiment', stop),
    vscode.commands.registerCommand('nasStudio.refreshExperiments', () => tree.refresh()),
    vscode.commands.registerCommand('nasStudio.showEngineLog', () => engine.output.show(true)),
    vscode.commands.registerCommand('nasStudio.restartEngine', async () => {
      try {
        await engine.restart();
        void vscode.window.showInformationMessage('NAS Studio engine restarted.');
      } catch (e) {
        await showEngineError(e, engine.output);
      }
    }),
  ];
}

// Integration suite run INSIDE code-server's extension host (extensionTestsPath), like
// @vscode/test-electron suites: real commands, real diagnostics, the real engine process.
import * as assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SearchRunSummary } from '../../../contract/runs';
import type { NasStudioApi } from '../../../extension/extension';
import { activated, report, test, tinySpec, until } from './harness';

export async function run(): Promise<void> {
  const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
  let api: NasStudioApi | undefined;
  /** The search run of that name (or id) the explorer lists. */
  const search = (nameOrId: string): SearchRunSummary | undefined => {
    const s = api!.tree.all().find((r) => r.id === nameOrId || r.name === nameOrId);
    return s?.kind === 'search' ? s : undefined;
  };

  await test('the extension activates and its engine answers', async () => {
    api = await activated();
    const info = await api.engine.request0((await import('../../../contract/protocol')).Requests.engineInfo);
    assert.equal(info.experimentsRoot, join(workspace, '.nas-studio/experiments'));
    assert.equal(info.trusted, true);
  });

  await test('every palette command is registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['newExperiment', 'runExperiment', 'trainSupernet', 'stopExperiment', 'openResults', 'openTrialGraph', 'showProgress', 'openArchGraph', 'openArchText', 'showEngineLog', 'restartEngine', 'specializeSubnet', 'exportSubnet', 'exportSupernetSubnet', 'runQuantization']) {
      assert.ok(commands.includes(`nasStudio.${c}`), `nasStudio.${c} is not registered`);
    }
  });

  await test('a bad spec: every problem at once, each once, on its range; the did-you-mean quick fix works', async () => {
    const file = join(workspace, 'broken.nas.json');
    const text = [
      '{',
      '  "space": { "type": "layers" },',
      '  "evaluator": { "type": "train", "epochs": 0 },',
      '  "strategy": { "type": "regularized-evolution", "populaton": 8 },',
      '  "objectives": [{ "metric": "val_acc", "goal": "maximize" }],',
      '  "budget": { "trials": 4 }',
      '}',
    ].join('\n');
    writeFileSync(file, text);
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const diagnostics = await until('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'nas-studio');
      return d.length >= 3 ? d : undefined;
    }, 30_000);
    assert.equal(diagnostics.length, 3, diagnostics.map((d) => d.message).join('\n'));
    // VS Code's JSON service is given guidance only (server/core/editorSchema.ts): no second copy of a problem.
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((x) => x.source !== 'nas-studio').map((d) => d.message), []);
    const byMessage = (re: RegExp) => diagnostics.find((d) => re.test(d.message));
    const epochs = byMessage(/evaluator\.epochs must be >= 1/);
    assert.ok(epochs, diagnostics.map((d) => d.message).join('\n'));
    assert.deepEqual([epochs.range.start.line, epochs.range.start.character, epochs.range.end.character], [2, 44, 45]);
    const key = byMessage(/unknown key "populaton".*did you mean "population"/);
    assert.ok(key);
    assert.equal(vscode.window.activeTextEditor!.document.getText(key.range), '"populaton"');
    assert.equal(key.severity, vscode.DiagnosticSeverity.Error);
    const metric = byMessage(/unknown metric "val_acc".*did you mean "val_accuracy"/);
    assert.ok(metric);
    // Quick fixes, as the light bulb offers them: applied one after another, the spec is clean.
    for (const [diagnostic, title] of [[metric, 'Change to "val_accuracy"'], [key, 'Change to "population"'], [epochs, 'Change to 1 (the minimum)']] as const) {
      // The language client cancels a request when the diagnostics or the text change meanwhile: ask again.
      const actions = await until(`the quick fixes of "${diagnostic.message}"`, async () => {
        try {
          return await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
        } catch (e) {
          if (/Canceled/.test(String(e))) return undefined;
          throw e;
        }
      }, 30_000);
      const fix = actions.find((a) => a.title === title);
      assert.ok(fix?.edit, `${title} among ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      // The next fix's diagnostic is republished for the edited text.
      await until('diagnostics for the edited text', () => (vscode.languages.getDiagnostics(uri).every((d) => d.message !== diagnostic.message) ? true : undefined), 30_000);
    }
    assert.match(vscode.window.activeTextEditor!.document.getText(), /"population": 8[\s\S]*"metric": "val_accuracy"/);
    await until('diagnostics to clear', () => (vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'nas-studio').length === 0 ? true : undefined), 30_000);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  await test('an example spec copied into another folder keeps completion and hovers (no relative $schema)', async () => {
    const examples = join(vscode.extensions.getExtension('nas-studio.nas-studio')!.extensionPath, 'examples');
    mkdirSync(join(workspace, 'elsewhere'), { recursive: true });
    const file = join(workspace, 'elsewhere', 'quickstart.nas.json');
    copyFileSync(join(examples, 'quickstart.nas.json'), file);
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const at = (needle: string, shift = 0) => document.positionAt(document.getText().indexOf(needle) + shift);
    // Hover on a key: its description from the engine's schema.
    const hovers = await until('a hover on "trials"', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at('"trials"', 2));
      const text = h.flatMap((x) => x.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /Architectures to evaluate/.test(text) ? text : undefined;
    }, 30_000);
    assert.ok(hovers);
    // Completion of a value: the strategy types.
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, at('"regularized-evolution"', 1));
    const labels = completions.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.some((l) => l.includes('random')), labels.join(', '));
    // And no "Unable to load schema" problem.
    assert.deepEqual(vscode.languages.getDiagnostics(document.uri).map((d) => d.message), []);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  await test('a bad supernet spec gets engine diagnostics too', async () => {
    const file = join(workspace, 'broken.supernet.json');
    const text = ['{', '  "supernet": { "type": "ofa-small", "input": [28, 28, 1], "classes": 10, "stages": [{ "width": 8 }], "kernelz": [3] },', '  "dataset": { "type": "mnist" },', '  "training": { "mode": "fairnas", "epochs": 1, "learningRate": 0.1 }', '}'].join('\n');
    writeFileSync(file, text);
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const diagnostics = await until('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'nas-studio');
      return d.length >= 1 ? d : undefined;
    }, 30_000);
    const key = diagnostics.find((d) => /unknown key "kernelz"/.test(d.message));
    assert.ok(key, diagnostics.map((d) => d.message).join('\n'));
    assert.equal(vscode.window.activeTextEditor!.document.getText(key.range), '"kernelz"');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  await test('a quantization spec: engine diagnostics on model.dir, hovers from its schema, the Quantize CodeLens and what it runs', async () => {
    const file = join(workspace, 'broken.quantize.json');
    const text = ['{', '  "model": { "type": "folder", "dir": "no-such-model" },', '  "dataset": { "type": "mnist" },', '  "budget": "size:w4"', '}'].join('\n');
    writeFileSync(file, text);
    const uri = vscode.Uri.file(file);
    const editor = await vscode.window.showTextDocument(uri);
    const diagnostics = await until('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'nas-studio');
      return d.length >= 1 ? d : undefined;
    }, 30_000);
    assert.deepEqual(diagnostics.map((d) => d.message), [`no such model folder ${join(workspace, 'no-such-model')}`]);
    assert.equal(editor.document.getText(diagnostics[0].range), '"no-such-model"');
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((x) => x.source !== 'nas-studio').map((d) => d.message), []);
    const hover = await until('a hover on "budget"', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, editor.document.positionAt(text.indexOf('"budget"') + 2));
      const shown = h.flatMap((x) => x.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /size:FRACTION/.test(shown) ? shown : undefined;
    }, 30_000);
    assert.ok(hover);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.deepEqual(lenses.map((l) => [l.command?.title, l.command?.command]), [['$(play) Quantize', 'nasStudio.runQuantization']]);
    assert.equal(String(lenses[0].command?.arguments?.[0]), String(uri));
    // What the lens runs: the spec is refused, opened with the problem selected, and no run is made.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(await vscode.commands.executeCommand<string | undefined>('nasStudio.runQuantization', uri), undefined);
    const opened = await until('the spec to open', () => (vscode.window.activeTextEditor?.document.uri.fsPath === file ? vscode.window.activeTextEditor : undefined), 30_000);
    assert.equal(opened.document.getText(opened.selection), '"no-such-model"');
    assert.deepEqual(api!.tree.all().filter((s) => s.kind === 'quantization'), []);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  await test('Run Experiment on an invalid spec opens it with the first problem selected; no run is created', async () => {
    const file = join(workspace, 'typo.nas.json');
    const spec = { ...tinySpec('typo', 2, 256), strategy: { type: 'regularized-evolution', populaton: 3 } };
    writeFileSync(file, JSON.stringify(spec, null, 2));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const id = await vscode.commands.executeCommand<string | undefined>('nasStudio.runExperiment', vscode.Uri.file(file));
    assert.equal(id, undefined);
    const editor = await until('the spec to open', () => (vscode.window.activeTextEditor?.document.uri.fsPath === file ? vscode.window.activeTextEditor : undefined), 30_000);
    assert.equal(editor.document.getText(editor.selection), '"populaton"');
    assert.equal(api!.tree.all().filter((s) => s.name === 'typo').length, 0);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  await test('Run Experiment on a spec: the explorer shows it finished with its best result', async () => {
    const file = join(workspace, 'mlp.nas.json');
    writeFileSync(file, JSON.stringify(tinySpec('mlp', 4, 512), null, 2));
    const id = await vscode.commands.executeCommand<string>('nasStudio.runExperiment', vscode.Uri.file(file));
    assert.ok(id);
    const summary = await until('finished', () => {
      const s = search(id);
      return s && (s.status === 'finished' || s.status === 'failed') ? s : undefined;
    });
    assert.equal(summary.status, 'finished', summary.error);
    assert.equal(summary.trials, 4);
    const nodes = await api!.tree.getChildren({ kind: 'run', summary });
    const best = nodes.find((n) => n.kind === 'item' && n.label.startsWith('Best:'));
    assert.ok(best, 'no Best node');
    assert.match(api!.tree.getTreeItem(best).description as string, /^Validation accuracy \d+\.\d{2}%$/);
    assert.equal(api!.tree.getTreeItem(best).command?.command, 'nasStudio.openTrialGraph');
    const status = nodes.find((n) => n.kind === 'item' && n.label === 'Status');
    assert.ok(status, 'no Status node');
    assert.deepEqual(api!.tree.getTreeItem(status).command?.arguments, [id]);
    assert.equal(api!.tree.getTreeItem(status).command?.command, 'nasStudio.openResults');
  });

  await test('CodeLens above the spec: Run, the finished status with the best result, trials table, progress', async () => {
    const uri = vscode.Uri.file(join(workspace, 'mlp.nas.json'));
    const summary = search('mlp');
    assert.ok(summary?.best);
    await vscode.workspace.openTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const titles = lenses.map((l) => l.command?.title);
    const best = (summary.best.metrics.val_accuracy * 100).toFixed(2);
    assert.deepEqual(titles, ['$(play) Run', `$(pass) finished 4/4 · best Validation accuracy ${best}%`, '$(table) Trials table', '$(graph-line) Progress'], titles.join(' | '));
    assert.deepEqual(lenses[1].command?.arguments, [summary.id]);
  });

  await test('Open Results opens the plot, trials open in one graph panel, Show Progress overlays experiments', async () => {
    const summary = search('mlp');
    assert.ok(summary);
    assert.equal(await vscode.commands.executeCommand('nasStudio.openResults', summary.id), summary.id);
    await vscode.commands.executeCommand('nasStudio.openTrialGraph', { experiment: summary.id, trial: 1 });
    await vscode.commands.executeCommand('nasStudio.openTrialGraph', { experiment: summary.id, trial: 2 });
    assert.deepEqual(await vscode.commands.executeCommand('nasStudio.showProgress', [summary.id]), [summary.id]);
    assert.equal(await vscode.commands.executeCommand('nasStudio.openTrialsTable', summary.id), summary.id);
    assert.equal(await vscode.commands.executeCommand('nasStudio.openAnalysis', summary.id), summary.id);
    assert.deepEqual(api!.panels.openPanels(), { searchViews: [`table/${summary.id}`, `analysis/${summary.id}`], plots: [summary.id], graphs: [{ experiment: summary.id, trial: 2 }], progress: [[summary.id]], proxyless: [], quantization: [], specializations: [] });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('panels to close', () => (api!.panels.openPanels().plots.length === 0 ? true : undefined), 10_000);
  });

  await test('hover over the exported best architecture: its metrics and a picture of its graph', async () => {
    const summary = search('mlp');
    assert.ok(summary?.best);
    const uri = vscode.Uri.file(join(summary.dir, 'exports', 'best.arch.json'));
    await vscode.workspace.openTextDocument(uri);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(1, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /^\*\*layers architecture\*\* · /);
    assert.match(text, new RegExp(`\\| Validation accuracy \\| ${(summary.best.metrics.val_accuracy * 100).toFixed(2)}% \\|`));
    assert.match(text, /!\[[^\]]*\]\(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+\)/);
    const link = `command:nasStudio.openTrialGraph?${encodeURIComponent(JSON.stringify([{ experiment: summary.id, trial: summary.best.trial }]))}`;
    assert.ok(text.includes(link), `no link to the trial's graph in:\n${text}`);
  });

  await test('hover over an architecture without metrics: the experiment that evaluated it supplies them', async () => {
    const summary = search('mlp');
    assert.ok(summary?.best);
    const file = join(workspace, 'candidate.json');
    writeFileSync(file, JSON.stringify({ note: 'a candidate', candidate: summary.best.arch }, null, 2));
    const uri = vscode.Uri.file(file);
    await vscode.workspace.openTextDocument(uri);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(3, 8));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, new RegExp(`Trial ${summary.best.trial} of \\*\\*mlp\\*\\*`));
    assert.match(text, new RegExp(`\\| Validation accuracy \\| ${(summary.best.metrics.val_accuracy * 100).toFixed(2)}% \\|`));
    const none = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(1, 4));
    assert.equal(none.length, 0, 'no hover outside the architecture');
  });

  await test('kill -9 of the engine mid-run: it is restarted and the experiment resumes, every trial exactly once', async () => {
    const file = join(workspace, 'crash.nas.json');
    writeFileSync(file, JSON.stringify(tinySpec('crash', 8, 1500), null, 2));
    const id = await vscode.commands.executeCommand<string>('nasStudio.runExperiment', vscode.Uri.file(file));
    assert.ok(id);
    await until('2 trials', () => ((search(id)?.trials ?? 0) >= 2 ? true : undefined));
    const pid = await api!.engine.pid();
    process.kill(pid, 'SIGKILL');
    const summary = await until('resumed run to finish', async () => {
      const s = api!.tree.summary(id);
      return s && s.status === 'finished' ? s : undefined;
    }, 180_000);
    assert.notEqual(await api!.engine.pid(), pid, 'a new engine process runs');
    const journal = readFileSync(join(summary.dir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const trials = journal.filter((r) => r.type === 'trial_finished').map((r) => r.trial).sort((a: number, b: number) => a - b);
    assert.deepEqual(trials, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.ok(journal.some((r) => r.type === 'resumed'));
  });

  await test('Show Progress on several selected experiments overlays them in one panel', async () => {
    const nodes = (await api!.tree.getChildren()).filter((n) => n.kind === 'run');
    const ids = nodes.map((n) => (n.kind === 'run' ? n.summary.id : '')).sort();
    assert.equal(ids.length, 2);
    // What the explorer passes for a context-menu command on a multi-selection: the clicked node and all selected.
    assert.deepEqual([...((await vscode.commands.executeCommand<string[]>('nasStudio.showProgress', nodes[0], nodes)) ?? [])].sort(), ids);
    assert.deepEqual(api!.panels.openPanels().progress.map((p) => [...p].sort()), [ids]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  await test('a run whose journal was edited by hand shows as damaged with the reason, and Run refuses it', async () => {
    const crash = search('crash');
    assert.ok(crash);
    appendFileSync(join(crash.dir, 'journal.jsonl'), '{"note":"edited by hand"}\n');
    await vscode.commands.executeCommand('nasStudio.refreshExperiments');
    const damaged = api!.tree.summary(crash.id);
    assert.equal(damaged?.status, 'damaged');
    assert.equal(api!.tree.getTreeItem({ kind: 'run', summary: damaged }).contextValue, 'run search damaged', 'no Run or Resume');
    const rows = await api!.tree.getChildren({ kind: 'run', summary: damaged });
    const damage = rows.find((n) => n.kind === 'item' && n.label === 'Damaged');
    assert.ok(damage && damage.kind === 'item', rows.map((n) => (n.kind === 'item' ? n.label : n.summary.name)).join(', '));
    assert.match(damage.description ?? '', /^journal line \d+: /);
    assert.equal(await vscode.commands.executeCommand('nasStudio.runExperiment', crash.id), undefined);
  });

  await test('a two-objective run shows its Pareto front in the explorer, not one best', async () => {
    const file = join(workspace, 'two.nas.json');
    const spec = { ...tinySpec('two', 6, 256), objectives: [{ metric: 'val_accuracy', goal: 'maximize' }, { metric: 'params', goal: 'minimize' }] };
    writeFileSync(file, JSON.stringify(spec, null, 2));
    const id = await vscode.commands.executeCommand<string>('nasStudio.runExperiment', vscode.Uri.file(file));
    assert.ok(id);
    const summary = await until('finished', () => {
      const s = search(id);
      return s && (s.status === 'finished' || s.status === 'failed') ? s : undefined;
    });
    assert.equal(summary.status, 'finished', summary.error);
    const size = summary.pareto?.length ?? 0;
    assert.ok(size >= 1);
    const row = api!.tree.getTreeItem({ kind: 'run', summary });
    assert.match(String(row.description), new RegExp(`^finished · 6/6 · front: ${size} architectures?$`));
    const nodes = await api!.tree.getChildren({ kind: 'run', summary });
    assert.equal(nodes.filter((n) => n.kind === 'item' && n.label.startsWith('Best:')).length, 0);
    const front = nodes.find((n) => n.kind === 'item' && n.label === 'Pareto front');
    assert.ok(front, nodes.map((n) => (n.kind === 'item' ? n.label : n.kind)).join(', '));
    const members = await api!.tree.getChildren(front);
    assert.equal(members.length, size);
    // Each member with both objectives in their units: "#3  91.41% · 12.3 k".
    for (const m of members) assert.match(String(api!.tree.getTreeItem(m).label), /^#\d+  \d+\.\d\d% · [\d.]+( k)?$/);
  });

  await test('the Quantize CodeLens runs a quantization spec; its status lens then opens the quantization view', async () => {
    // Last: the searches' tests above count the runs in the explorer.
    const file = join(workspace, 'tiny.quantize.json');
    const spec = { model: { type: 'folder', dir: 'models/tiny' }, dataset: { type: 'mnist' }, budget: 'size:w4', episodes: 2, heldOutSamples: 200, calibrationSamples: 32, testSamples: 200 };
    writeFileSync(file, JSON.stringify(spec, null, 2));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const [quantize] = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.equal(quantize.command?.title, '$(play) Quantize');
    const id = await vscode.commands.executeCommand<string>(quantize.command!.command, ...(quantize.command!.arguments ?? []));
    assert.ok(id);
    const summary = await until('the quantization to finish', () => {
      const s = api!.tree.summary(id);
      return s?.kind === 'quantization' && (s.status === 'finished' || s.status === 'failed') ? s : undefined;
    }, 300_000);
    assert.equal(summary.status, 'finished', summary.status === 'failed' ? summary.error : undefined);
    assert.equal(summary.source, file);
    const lenses = await until('the finished status lens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l.length === 2 && /finished/.test(l[1].command?.title ?? '') ? l : undefined;
    }, 30_000);
    assert.equal(lenses[0].command?.title, '$(play) Quantize');
    assert.match(lenses[1].command?.title ?? '', /^\$\(pass\) finished 2\/2 episodes · best \d+\.\d\d% at [\d.]+ kB \(float \d+\.\d\d%\)$/);
    assert.equal(await vscode.commands.executeCommand(lenses[1].command!.command, ...(lenses[1].command!.arguments ?? [])), id);
    assert.deepEqual(api!.panels.openPanels().quantization, [id]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  report();
}

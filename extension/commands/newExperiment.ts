import * as path from 'node:path';
import * as vscode from 'vscode';
import { Requests, type Catalog, type WarmStartCandidate } from '../../contract/protocol';
import type { EngineClient } from '../engineClient';

/** Options written out for well-known components so a new spec shows what can be tuned. */
const STARTER_OPTIONS: Record<string, Record<string, unknown>> = {
  layers: { input: [28, 28, 1], classes: 10, convBlocks: { max: 2, filters: [8, 16, 32], kernels: [3, 5] }, denseLayers: { max: 1, units: [32, 64, 128] }, dropout: [0, 0.25] },
  train: { dataset: { type: 'mnist' }, epochs: 1, batchSize: 64, trainSamples: 6000, validationSamples: 2000, testSamples: 2000, workers: 2 },
};

type Pick<T> = vscode.QuickPickItem & { value: T };

async function pick<T>(title: string, items: Pick<T>[]): Promise<T | undefined> {
  if (items.length === 1) return items[0].value;
  return (await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true, matchOnDescription: true }))?.value;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'experiment';
}

/**
 * "NAS Studio: New Experiment": a quick-pick wizard (name, space, evaluator and its files,
 * objective, strategy, budget and, when finished searches of the space exist, a warm start from
 * them) that writes `<name>.nas.json` and opens it. Returns its Uri.
 */
export async function newExperiment(engine: EngineClient): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder first: NAS Studio keeps specs and experiments in the workspace.');
    return undefined;
  }
  const catalog: Catalog = await engine.request0(Requests.catalog);
  const name = await vscode.window.showInputBox({
    title: 'New experiment (1/6): name',
    value: 'experiment',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Give the experiment a name'),
  });
  if (!name) return undefined;
  const space = await pick('New experiment (2/6): search space', catalog.spaces.map((s) => ({ label: s.title, description: s.type, detail: s.description, value: s.type })));
  if (!space) return undefined;
  const evaluatorEntry = await pick(
    'New experiment (3/6): how architectures are evaluated',
    catalog.evaluators.filter((e) => e.spaces.includes(space)).map((e) => ({ label: e.title, description: e.type, detail: e.description, value: e })),
  );
  if (!evaluatorEntry) return undefined;
  const evaluator: Record<string, unknown> = { type: evaluatorEntry.type, ...STARTER_OPTIONS[evaluatorEntry.type] };
  for (const option of evaluatorEntry.requiredOptions) {
    const chosen = await vscode.window.showOpenDialog({ title: `${evaluatorEntry.title}: ${option.description}`, canSelectFiles: true, canSelectFolders: true, defaultUri: folder.uri });
    if (!chosen?.[0]) return undefined;
    const relative = path.relative(folder.uri.fsPath, chosen[0].fsPath);
    evaluator[option.name] = relative.startsWith('..') ? chosen[0].fsPath : relative;
  }
  const metrics = await engine.request(Requests.metricNames, { evaluator: evaluator as { type: string }, baseDir: folder.uri.fsPath });
  const metric = await pick('New experiment (4/6): objective metric', metrics.map((m) => ({ label: m, value: m })));
  if (!metric) return undefined;
  const goal = await pick<'maximize' | 'minimize'>(`Maximize or minimize ${metric}?`, [
    { label: 'maximize', value: 'maximize' },
    { label: 'minimize', value: 'minimize' },
  ]);
  if (!goal) return undefined;
  const strategy = await pick(
    'New experiment (5/6): search strategy',
    catalog.strategies.map((s) => ({ label: s.title, description: s.type + (s.multiObjective ? ' · multi-objective' : ''), detail: s.description, value: s.type })),
  );
  if (!strategy) return undefined;
  const trials = await vscode.window.showInputBox({
    title: 'New experiment (6/6): how many architectures to evaluate',
    value: '20',
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) > 0 ? undefined : 'A positive whole number'),
  });
  if (!trials) return undefined;
  const spaceComponent = { type: space, ...STARTER_OPTIONS[space] };
  const warmStart = await pickWarmStart(engine, spaceComponent, catalog.strategies.find((s) => s.type === strategy));
  if (warmStart === undefined) return undefined;

  const spec = {
    name: name.trim(),
    space: spaceComponent,
    evaluator,
    strategy: { type: strategy },
    objectives: [{ metric, goal }],
    budget: { trials: Number(trials) },
    seed: 0,
    ...(warmStart ? { warmStart } : {}),
  };
  let file = vscode.Uri.joinPath(folder.uri, `${slug(name)}.nas.json`);
  for (let n = 2; await exists(file); n++) file = vscode.Uri.joinPath(folder.uri, `${slug(name)}-${n}.nas.json`);
  await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(spec, null, 2) + '\n', 'utf8'));
  await vscode.window.showTextDocument(file);
  return file;
}

/**
 * The optional last step: the finished searches of the space (as many objectives: one) to start
 * from, and how to use them. Null for a cold start (no such run, or none picked); undefined when
 * the wizard is cancelled.
 */
async function pickWarmStart(
  engine: EngineClient,
  space: { type: string },
  strategy: Catalog['strategies'][number] | undefined,
): Promise<{ runs: string[]; use: string } | null | undefined> {
  let candidates: WarmStartCandidate[];
  try {
    candidates = await engine.request(Requests.warmStartCandidates, { space, objectiveCount: 1 });
  } catch {
    return null; // no experiments folder (or no engine): nothing to start from
  }
  if (candidates.length === 0) return null;
  const picked = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: c.name, description: c.id, detail: `finished · ${c.trials} trials${c.best ? ` · best ${c.best}` : ''}`, id: c.id })),
    {
      title: 'New experiment: warm start from earlier searches of this space (optional)',
      placeHolder: 'Tick the runs to start from; none for a cold start',
      canPickMany: true,
      ignoreFocusOut: true,
    },
  );
  if (!picked) return undefined;
  if (picked.length === 0) return null;
  const runs = picked.map((p) => p.id);
  if (!strategy?.priorShapes) return { runs, use: 'top-k' };
  const use = await pick('Warm start: how to use them', [
    { label: `Evaluate their best architectures first and pre-fit ${strategy.priorShapes}`, description: 'both', value: 'both' },
    { label: 'Evaluate their best architectures first', description: 'top-k', value: 'top-k' },
    { label: `Pre-fit ${strategy.priorShapes} with what they observed`, description: 'prior', value: 'prior' },
  ]);
  return use ? { runs, use } : undefined;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { Requests, type Catalog, type DatasetShape, type WarmStartCandidate } from '../../contract/protocol';
import type { EngineClient } from '../engineClient';
import { showEngineError } from '../errors/showEngineError';
import { specPathValue } from '../errors/specOptionEdit';
import {
  constraintCandidates,
  defaultGoal,
  defaultObjectives,
  defaultReport,
  formatSpecJson,
  layersFor,
  objectiveOrder,
  sampleCounts,
  specFileName,
  STARTER_OPTIONS,
  stepTitle,
  wizardSpec,
  type Constraint,
  type Objective,
} from './wizardSpec';

type Pick<T> = vscode.QuickPickItem & { value: T };

/** Stops the wizard: the user cancelled a step (or a step failed and said why). */
class Cancelled extends Error {}

function answered<T>(value: T | undefined): T {
  if (value === undefined) throw new Cancelled();
  return value;
}

async function pick<T>(title: string, items: Pick<T>[]): Promise<T> {
  if (items.length === 1) return items[0].value;
  return answered((await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true, matchOnDescription: true }))?.value);
}

async function pickMany<T>(title: string, placeHolder: string, items: (Pick<T> & { picked?: boolean })[]): Promise<T[]> {
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, canPickMany: true, ignoreFocusOut: true });
  return answered(picked).map((p) => p.value);
}

/** A step with nothing to choose still shows (so the numbering never skips): what it would ask and why not; Enter goes on. */
async function nothingToChoose(title: string, why: string): Promise<void> {
  answered(await vscode.window.showQuickPick([{ label: 'Continue', detail: why }], { title, ignoreFocusOut: true }));
}

async function input(title: string, value: string, check: (v: string) => string | undefined, prompt?: string): Promise<string> {
  return answered(await vscode.window.showInputBox({ title, value, prompt, ignoreFocusOut: true, validateInput: check }));
}

/** A file or folder, named as the spec in `dir` names it (relative inside it). */
async function choosePath(title: string, what: 'file' | 'folder', dir: vscode.Uri): Promise<string> {
  const chosen = await vscode.window.showOpenDialog({ title, canSelectFiles: what === 'file', canSelectFolders: what === 'folder', defaultUri: dir });
  return specPathValue(answered(chosen?.[0]).fsPath, dir.fsPath);
}

/** The training datasets the layers space can learn from, each with the files it asks for. */
async function chooseDataset(dir: vscode.Uri): Promise<Record<string, unknown>> {
  const title = (detail: string) => stepTitle('how architectures are evaluated', detail);
  const kind = await pick(title('train each architecture on'), [
    { label: 'MNIST digits (built in)', detail: 'No download: 60,000 28×28 handwritten digits embedded in NAS Studio', value: 'mnist' },
    { label: 'IDX files…', detail: 'An images file and a labels file in the MNIST format (e.g. Fashion-MNIST, EMNIST)', value: 'idx' },
    { label: 'Image folder…', detail: 'One subfolder of PNG/JPEG images per class', value: 'folder' },
    { label: 'CIFAR-10 (binary version)…', detail: 'The folder of data_batch_1.bin … test_batch.bin', value: 'cifar10' },
    { label: 'CIFAR-100 (binary version)…', detail: 'The folder of train.bin and test.bin', value: 'cifar100' },
  ]);
  switch (kind) {
    case 'mnist':
      return { type: 'mnist' };
    case 'idx':
      return { type: 'idx', trainImages: await choosePath(title('training images (IDX)'), 'file', dir), trainLabels: await choosePath(title('training labels (IDX)'), 'file', dir) };
    case 'folder':
      return { type: 'folder', train: await choosePath(title('training images: a folder with one subfolder per class'), 'folder', dir) };
    default:
      return { type: kind, dir: await choosePath(title(`the ${kind} binary batches folder`), 'folder', dir) };
  }
}

/**
 * Step 2: the evaluator (when the space has several), then its data: a dataset for training
 * (the space is sized for it), the files another evaluator requires.
 */
async function chooseEvaluation(engine: EngineClient, catalog: Catalog, spaceType: string, dir: vscode.Uri): Promise<{ space: Record<string, unknown>; evaluator: Record<string, unknown>; data?: DatasetShape }> {
  const entry = await pick(
    stepTitle('how architectures are evaluated'),
    catalog.evaluators.filter((e) => e.spaces.includes(spaceType)).map((e) => ({ label: e.title, description: e.type, detail: e.description, value: e })),
  );
  const space = { type: spaceType, ...STARTER_OPTIONS[spaceType] };
  const evaluator: Record<string, unknown> = { type: entry.type, ...STARTER_OPTIONS[entry.type] };
  for (const option of entry.requiredOptions) {
    evaluator[option.name] = await choosePath(stepTitle('how architectures are evaluated', option.description), option.name === 'run' ? 'folder' : 'file', dir);
  }
  if (entry.type !== 'train' || spaceType !== 'layers') return { space, evaluator };
  const dataset = await chooseDataset(dir);
  const data = await engine.request(Requests.describeDataset, { dataset: dataset as { type: string }, baseDir: dir.fsPath });
  return { space: { type: spaceType, ...layersFor(data) }, evaluator: { ...evaluator, dataset, ...sampleCounts(data) }, data };
}

async function chooseObjectives(metrics: readonly string[], multiObjective: boolean): Promise<Objective[]> {
  const ordered = objectiveOrder(metrics);
  const defaults = defaultObjectives(metrics, multiObjective);
  const title = stepTitle('objectives', multiObjective ? 'objectives (tick one or more)' : 'objective');
  // Each metric with its likely goal first; the other direction after a separator, for the unusual case.
  const item = (o: Objective): Pick<Objective> & { picked?: boolean } => ({ label: `${o.goal} ${o.metric}`, value: o, picked: defaults.some((d) => d.metric === o.metric && d.goal === o.goal) });
  const items = [
    ...ordered.map((metric) => item({ metric, goal: defaultGoal(metric) })),
    { label: 'the other direction', kind: vscode.QuickPickItemKind.Separator, value: defaults[0] },
    ...ordered.map((metric) => item({ metric, goal: defaultGoal(metric) === 'maximize' ? 'minimize' : 'maximize' })),
  ];
  if (!multiObjective) return [await pick(title, items)];
  const picked = await pickMany(title, 'Enter keeps the ticked ones', items);
  const objectives = picked.filter((o, i) => picked.findIndex((p) => p.metric === o.metric) === i);
  return objectives.length > 0 ? objectives : defaults;
}

async function chooseConstraints(metrics: readonly string[], objectives: readonly Objective[]): Promise<Constraint[]> {
  const candidates = constraintCandidates(metrics).filter((m) => !objectives.some((o) => o.metric === m));
  if (candidates.length === 0) {
    await nothingToChoose(stepTitle('constraints'), 'The evaluator measures no other cost (latency, size, FLOPs) to put a limit on.');
    return [];
  }
  const limited = await pickMany(stepTitle('constraints', 'constraints (optional): tick the metrics to limit'), 'None ticked: no constraint', candidates.map((m) => ({ label: `${m} at most …`, value: m })));
  const constraints: Constraint[] = [];
  for (const metric of limited) {
    const max = await input(stepTitle('constraints', `largest ${metric} an architecture may have`), '', (v) => (Number.isFinite(Number(v)) && v.trim() !== '' ? undefined : 'A number'));
    constraints.push({ metric, max: Number(max) });
  }
  return constraints;
}

/**
 * "NAS Studio: New Experiment": a quick-input wizard of WIZARD_STEPS (search space; how
 * architectures are evaluated and on what data; strategy; objectives; report metrics;
 * constraints; trials; time budget; name) whose defaults make a runnable spec, then an optional
 * warm start from finished searches of the space. Writes `<name>.nas.json` once the engine's
 * validator accepts it (or the user writes it anyway to fix by hand) and offers to run or open it.
 * Returns the spec's Uri.
 */
export async function newExperiment(engine: EngineClient): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder first: NAS Studio keeps specs and experiments in the workspace.');
    return undefined;
  }
  try {
    return await runWizard(engine, folder.uri);
  } catch (e) {
    if (!(e instanceof Cancelled)) await showEngineError(e, engine.output);
    return undefined;
  }
}

async function runWizard(engine: EngineClient, dir: vscode.Uri): Promise<vscode.Uri | undefined> {
  const catalog: Catalog = await engine.request0(Requests.catalog);
  const spaceType = await pick(stepTitle('search space'), catalog.spaces.map((s) => ({ label: s.title, description: s.type, detail: s.description, value: s.type })));
  const { space, evaluator, data } = await chooseEvaluation(engine, catalog, spaceType, dir);
  const strategy = await pick(
    stepTitle('search strategy'),
    catalog.strategies.map((s) => ({ label: s.title, description: s.type + (s.multiObjective ? ' · multi-objective' : ''), detail: s.description, value: s })),
  );
  const metrics = await engine.request(Requests.metricNames, { evaluator: evaluator as { type: string }, baseDir: dir.fsPath });
  const objectives = await chooseObjectives(metrics, strategy.multiObjective);
  const chosen = objectives.map((o) => o.metric);
  const others = metrics.filter((m) => !chosen.includes(m));
  const ticked = defaultReport(metrics, chosen, data?.hasTest ?? true);
  const reportTitle = stepTitle('metrics to report', 'metrics to record with every trial (never shown to the strategy)');
  const report = others.length > 0 ? await pickMany(reportTitle, 'Enter keeps the ticked ones', others.map((m) => ({ label: m, value: m, picked: ticked.includes(m) }))) : [];
  if (others.length === 0) await nothingToChoose(reportTitle, 'The objectives are every metric the evaluator measures.');
  const constraints = await chooseConstraints(metrics, objectives);
  const positive = (v: string) => (/^\d+$/.test(v.trim()) && Number(v) > 0 ? undefined : 'A positive whole number');
  const trials = Number(await input(stepTitle('trials', 'how many architectures to evaluate'), '20', positive));
  const minutes = await input(stepTitle('time budget', 'time budget in minutes (empty: none)'), '', (v) => (v.trim() === '' || Number(v) > 0 ? undefined : 'A positive number of minutes, or empty for none'));
  const name = await input(stepTitle('name'), 'experiment', (v) => (v.trim() ? undefined : 'Give the experiment a name'));
  const warmStart = await pickWarmStart(engine, space as { type: string }, strategy, objectives.length);

  const spec = wizardSpec({
    name,
    space: space as { type: string },
    evaluator: evaluator as { type: string },
    strategy: strategy.type,
    objectives,
    report: report.filter((m) => !constraints.some((c) => c.metric === m)),
    constraints,
    trials,
    ...(minutes.trim() !== '' ? { minutes: Number(minutes) } : {}),
    ...(warmStart ? { warmStart } : {}),
  });
  const text = formatSpecJson(spec);
  const existing = new Set((await vscode.workspace.fs.readDirectory(dir)).map(([n]) => n));
  const file = vscode.Uri.joinPath(dir, specFileName(name, (f) => existing.has(f)));
  if (!(await acceptedByEngine(engine, file, text))) return undefined;
  await vscode.workspace.fs.writeFile(file, Buffer.from(text, 'utf8'));
  void vscode.window.showInformationMessage(`NAS Studio: wrote ${path.basename(file.fsPath)}.`, 'Run Now', 'Open Spec').then(async (choice) => {
    if (!choice) return;
    await vscode.window.showTextDocument(file);
    if (choice === 'Run Now') await vscode.commands.executeCommand('nasStudio.runExperiment', file);
  });
  return file;
}

/** The engine's validator on the text about to be written; errors are listed and the user decides. */
async function acceptedByEngine(engine: EngineClient, file: vscode.Uri, text: string): Promise<boolean> {
  const errors = (await engine.request(Requests.validateSpec, { specPath: file.fsPath, text })).filter((p) => p.severity === 'error');
  if (errors.length === 0) return true;
  const write = 'Write It Anyway';
  const choice = await vscode.window.showWarningMessage(
    `The new spec has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`}; it would not run as it is.`,
    { modal: true, detail: errors.map((p) => `${p.path}: ${p.message}`).join('\n') },
    write,
  );
  return choice === write;
}

/**
 * The optional last question (not a numbered step: asked only when there is something to start
 * from): the finished searches of the space with as many objectives, and how to use them. Null
 * for a cold start.
 */
async function pickWarmStart(engine: EngineClient, space: { type: string }, strategy: Catalog['strategies'][number], objectiveCount: number): Promise<{ runs: string[]; use: string } | null> {
  let candidates: WarmStartCandidate[];
  try {
    candidates = await engine.request(Requests.warmStartCandidates, { space, objectiveCount });
  } catch {
    return null; // no experiments folder (or no engine): nothing to start from
  }
  if (candidates.length === 0) return null;
  const picked = answered(
    await vscode.window.showQuickPick(
      candidates.map((c) => ({ label: c.name, description: c.id, detail: `finished · ${c.trials} trials${c.best ? ` · best ${c.best}` : ''}`, id: c.id })),
      {
        title: 'New experiment: warm start from earlier searches of this space (optional)',
        placeHolder: 'Tick the runs to start from; none for a cold start',
        canPickMany: true,
        ignoreFocusOut: true,
      },
    ),
  );
  if (picked.length === 0) return null;
  const runs = picked.map((p) => p.id);
  if (!strategy.priorShapes) return { runs, use: 'top-k' };
  const use = await pick('Warm start: how to use them', [
    { label: `Evaluate their best architectures first and pre-fit ${strategy.priorShapes}`, description: 'both', value: 'both' },
    { label: 'Evaluate their best architectures first', description: 'top-k', value: 'top-k' },
    { label: `Pre-fit ${strategy.priorShapes} with what they observed`, description: 'prior', value: 'prior' },
  ]);
  return { runs, use };
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Requests } from '../../contract/protocol';
import type { ModelSource } from '../../contract/quantization';
import { quantizationRequest } from '../../contract/quantizationRequest';
import type { SearchRunSummary } from '../../contract/runs';
import type { EngineClient } from '../engineClient';
import { showEngineError } from '../errors/showEngineError';
import type { ViewPanels } from '../panels/openPanels';
import type { RunsTree } from '../runs/runsTree';
import { requireTrust } from './requireTrust';
import { runIdOf, type CommandTarget } from './resolveTargets';

/** What the command quantizes, with a short name for its spec file. */
interface ModelChoice {
  readonly model: ModelSource;
  readonly name: string;
}

type Choice<T> = vscode.QuickPickItem & { readonly value?: T };

async function pick<T>(title: string, items: readonly Choice<T>[]): Promise<T | undefined> {
  const picked = await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true });
  return picked?.value;
}

async function chooseFolder(title: string): Promise<string | undefined> {
  const chosen = await vscode.window.showOpenDialog({ title, canSelectFiles: false, canSelectFolders: true, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  return chosen?.[0]?.fsPath;
}

async function chooseFile(title: string, filters: Record<string, string[]>): Promise<string | undefined> {
  const chosen = await vscode.window.showOpenDialog({ title, canSelectFiles: true, canSelectFolders: false, filters, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  return chosen?.[0]?.fsPath;
}

/** A trial row (or the best-trial row) of a search, or a folder the command was invoked on. */
function modelOfTarget(tree: RunsTree, target: CommandTarget): ModelChoice | undefined {
  if (target instanceof vscode.Uri) return target.scheme === 'file' ? { model: { type: 'folder', dir: target.fsPath }, name: path.basename(target.fsPath) } : undefined;
  const id = runIdOf(target);
  const run = id ? tree.summary(id) : undefined;
  const trial = target && typeof target === 'object' && target.kind === 'item' ? target.trial : undefined;
  if (run?.kind === 'search' && trial !== undefined) return { model: { type: 'trial', run: run.dir, trial }, name: `${run.name}-trial-${trial}` };
  return undefined;
}

/** The palette: the best trial of a finished search, a TF.js model folder of the workspace (exported sub-networks included), or any folder. */
async function pickModel(tree: RunsTree): Promise<ModelChoice | undefined> {
  const searches = tree.all().filter((s): s is SearchRunSummary => s.kind === 'search' && s.best !== undefined);
  const models = await vscode.workspace.findFiles('**/model.json', '**/node_modules/**', 50);
  const items: Choice<ModelChoice | 'folder'>[] = [
    ...searches.map((s) => ({ label: `$(star-full) ${s.name}: best trial #${s.best!.trial}`, description: s.best!.description, value: { model: { type: 'trial', run: s.dir, trial: s.best!.trial }, name: `${s.name}-trial-${s.best!.trial}` } as ModelChoice })),
    ...models.map((file) => {
      const dir = path.dirname(file.fsPath);
      return { label: `$(folder) ${vscode.workspace.asRelativePath(dir)}`, description: 'TF.js Layers model', value: { model: { type: 'folder', dir }, name: path.basename(dir) } as ModelChoice };
    }),
    { label: '$(folder-opened) Model folder…', description: 'a TF.js Layers model (model.json + weights), e.g. an exported sub-network', value: 'folder' },
  ];
  const picked = items.length === 1 ? 'folder' : await pick('Quantize which model?', items);
  if (picked !== 'folder') return picked;
  const dir = await chooseFolder('Quantize Model: the TF.js Layers model folder');
  return dir ? { model: { type: 'folder', dir }, name: path.basename(dir) } : undefined;
}

/**
 * A bare model folder says nothing about its data (an exported sub-network's subnet.json and a
 * search's trial do): ask for it. Returns null when none is needed, undefined when cancelled.
 */
async function pickDataset(model: ModelSource): Promise<unknown> {
  if (model.type !== 'folder' || existsSync(path.join(model.dir, 'subnet.json'))) return null;
  const choice = await pick('Quantize Model: the data the model was trained on (accuracy is measured on it)', [
    { label: 'MNIST', description: 'bundled with NAS Studio', value: 'mnist' as const },
    { label: 'A dataset spec file…', description: 'JSON as in a search spec\'s "dataset", e.g. {"type": "idx", ...} for Fashion-MNIST', value: 'file' as const },
  ]);
  if (choice === 'mnist') return { type: 'mnist' };
  if (choice !== 'file') return undefined;
  const file = await chooseFile('Dataset spec (JSON)', { JSON: ['json'] });
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    void vscode.window.showErrorMessage(`NAS Studio: ${file} holds no JSON dataset spec (${e instanceof Error ? e.message : String(e)}).`);
    return undefined;
  }
}

const POSITIVE_FRACTION = (v: string) => (Number(v) > 0 && Number(v) <= 1 ? undefined : 'A fraction of the float32 cost, above 0 and at most 1');

/** The budget's text form (size:w4, bitops:0.05, latency:TABLE:w4a8); undefined when cancelled. */
async function pickBudget(): Promise<string | undefined> {
  const choice = await pick('Quantize Model (1/3): hardware budget', [
    { label: 'Size as uniform 4-bit weights', description: 'size:w4 (first and last layers stay 8-bit)', value: 'size:w4' },
    { label: 'Size as uniform 3-bit weights', description: 'size:w3', value: 'size:w3' },
    { label: 'Size as uniform 2-bit weights', description: 'size:w2', value: 'size:w2' },
    { label: 'Size as a fraction of float32…', description: 'size:F, e.g. 0.1', value: 'size:' },
    { label: 'BitOps as uniform W4A4', description: 'bitops:w4a4', value: 'bitops:w4a4' },
    { label: 'BitOps as a fraction of float32…', description: 'bitops:F', value: 'bitops:' },
    { label: 'Latency from a lookup table…', description: 'latency:TABLE:MS — a table measured on the target (TF.js has no low-bit kernels)', value: 'latency:' },
  ]);
  if (choice === undefined || !choice.endsWith(':')) return choice;
  if (choice === 'latency:') {
    const table = await chooseFile('Latency lookup table (one entry per layer per weight/activation bits)', { JSON: ['json'] });
    if (!table) return undefined;
    const limit = await vscode.window.showInputBox({
      title: 'Latency budget',
      prompt: 'Milliseconds (e.g. 12.5) or the latency of a uniform policy (w4a8)',
      value: 'w4a8',
      ignoreFocusOut: true,
      validateInput: (v) => (/^w\d+(a\d+)?$/.test(v.trim()) || Number(v) > 0 ? undefined : 'Positive milliseconds, or wNaM'),
    });
    return limit === undefined ? undefined : `latency:${table}:${limit.trim()}`;
  }
  const fraction = await vscode.window.showInputBox({ title: `${choice === 'size:' ? 'Size' : 'BitOps'} budget`, prompt: 'Fraction of the float32 model', value: '0.1', ignoreFocusOut: true, validateInput: POSITIVE_FRACTION });
  return fraction === undefined ? undefined : `${choice}${Number(fraction)}`;
}

/** A file name that does not overwrite an earlier spec: name.quantize.json, name-2.quantize.json, ... */
function freshSpecPath(folder: string, name: string): string {
  const base = name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
  for (let n = 1; ; n++) {
    const file = path.join(folder, `${base}${n === 1 ? '' : `-${n}`}.quantize.json`);
    if (!existsSync(file)) return file;
  }
}

/**
 * "NAS Studio: Quantize Model" (HAQ): on a search's trial row, a model folder, or from the
 * palette. Quick picks for the budget, the quantizer and the episodes; writes the request as a
 * `*.quantize.json` spec beside the experiments folder (quantize/), starts it like any run
 * (progress, stop, resume) and opens its quantization view. Returns the run id.
 */
export async function quantizeModel(engine: EngineClient, tree: RunsTree, panels: ViewPanels, target: CommandTarget): Promise<string | undefined> {
  if (!requireTrust('run anything')) return undefined;
  const root = engine.experimentsRoot();
  if (!root) {
    void vscode.window.showInformationMessage('NAS Studio: open a folder first; the quantization spec and run are kept in it.');
    return undefined;
  }
  const chosen = modelOfTarget(tree, target) ?? (await pickModel(tree));
  if (!chosen) return undefined;
  const dataset = await pickDataset(chosen.model);
  if (dataset === undefined) return undefined;
  const budget = await pickBudget();
  if (!budget) return undefined;
  const quantizer = budget.startsWith('latency:')
    ? 'linear'
    : await pick('Quantize Model (2/3): quantizer', [
        { label: 'Linear', description: 'weights and activations on uniform grids, clipped by KL divergence (the reference\'s default)', value: 'linear' as const },
        { label: 'k-means', description: 'weights only: a codebook of 2^bits centroids per layer', value: 'kmeans' as const },
      ]);
  if (!quantizer) return undefined;
  const episodesText = await vscode.window.showInputBox({
    title: 'Quantize Model (3/3): episodes',
    prompt: 'Policies the agent tries (the reference: 600; the first fifth, at most 20, are random warm-up)',
    value: '600',
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 ? undefined : 'A whole number of episodes, at least 1'),
  });
  if (episodesText === undefined) return undefined;
  const request = quantizationRequest({ model: chosen.model, ...(dataset === null ? {} : { dataset }), quantizer, budget, episodes: Number(episodesText) });
  const folder = path.join(path.dirname(root), 'quantize');
  const specPath = freshSpecPath(folder, `${chosen.name}-${quantizer}-${budget.split(':')[0]}`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(specPath, `${JSON.stringify(request, null, 2)}\n`);
  } catch (e) {
    void vscode.window.showErrorMessage(`NAS Studio: cannot write the quantization spec ${specPath}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  try {
    const { id } = await engine.request(Requests.startRun, { specPath });
    panels.openRunView('quantization', id);
    return id;
  } catch (e) {
    await showEngineError(e, engine.output);
    return undefined;
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelSource } from '../contract/quantization';
import { quantizationRequest } from '../contract/quantizationRequest';
import { formatPath } from '../server/experiment/specText';
import { runKind } from '../server/runs/registry';
import { InvalidSpecError } from '../server/runs/runService';
import { type CommandIo, UsageError, backendOption, guardCommand, parseInteger, processIo } from './commandSupport';
import { executeWithConsole } from './executeRun';
import { openRuns, rootOption } from './root';

export const QUANTIZE_USAGE = `usage: nas-studio quantize MODEL --budget size:F|size:wN|bitops:F|bitops:wNaM|latency:TABLE:MS
                          [--trial N|best] [--dataset mnist|DATASET.json] [--quantizer linear|kmeans]
                          [--episodes N] [--warmup N] [--search ddpg|random] [--bits MIN:MAX]
                          [--activation-bits MIN:MAX]
                          [--held-out N] [--calibration N] [--test-samples N] [--finetune SAMPLES]
                          [--seed N] [--name NAME] [--root DIR] [--backend auto|wasm|cpu|tensorflow] [--json]
  HAQ: a DDPG agent chooses the bits of every layer's weights (and, linear, activations) of a
  trained model under a hardware budget; each episode's policy is scored on held-out examples
  under simulated quantization (TF.js has no low-bit kernels). MODEL is a TF.js Layers model
  folder (model.json + weights; an exported sub-network brings its dataset), or with --trial a
  search run (folder or id) whose trial is retrained from its architecture. --bits: the widths the
  agent chooses from (default 2:8 linear, 1:8 k-means); --activation-bits: linear activations'
  widths when they differ (8:8 keeps them at 8 bits). The budget is a
  fraction of the float32 cost or the cost of a uniform policy (size:w4 = 4-bit weights).
  The run lives under --root: list/show/resume/report work on it and a run cut off resumes
  without repeating episodes. The best policy's model is exported (TF.js uint8/uint16 weights),
  with policy.json and the packed weights at the chosen bits, in the run's exports/ folder.
  --json: the last line is one JSON object {"run", "status", "budget", "originalAccuracy",
  "baselines", "best", "result"}.`;

/**
 * --dataset: "mnist", a dataset spec as JSON ({"type": "idx", ...}, as in search specs) or a file
 * holding one; relative paths in it are relative to the current folder.
 */
function datasetOption(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  if (value === 'mnist') return { type: 'mnist' };
  let text = value;
  if (!value.trimStart().startsWith('{')) {
    try {
      text = readFileSync(value, 'utf8');
    } catch (e) {
      throw new UsageError(`--dataset must be "mnist", a dataset spec as JSON or a file holding one; cannot read ${value} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--dataset: ${value === text ? 'the' : `${value} holds no`} valid JSON dataset spec`);
  }
}

/** `nas-studio quantize MODEL --budget ...`; returns the process exit code. */
export async function quantizeCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, QUANTIZE_USAGE, async (signal) => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...rootOption,
        budget: { type: 'string' },
        trial: { type: 'string' },
        dataset: { type: 'string' },
        quantizer: { type: 'string' },
        episodes: { type: 'string' },
        warmup: { type: 'string' },
        search: { type: 'string' },
        bits: { type: 'string' },
        'activation-bits': { type: 'string' },
        'held-out': { type: 'string' },
        calibration: { type: 'string' },
        'test-samples': { type: 'string' },
        finetune: { type: 'string' },
        seed: { type: 'string' },
        name: { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the model to quantize (a TF.js model folder, or a search run with --trial)' : `one model at a time, got ${positionals.length}`);
    if (!values.budget) throw new UsageError('--budget is required, e.g. size:0.25, size:w4, bitops:w4a4 or latency:TABLE.json:12.5');
    const service = openRuns(values.root);
    const model = modelSource(positionals[0], values.trial, (id) => {
      const location = service.find(id);
      if (location.layout !== 'folder') throw new UsageError(`${id} is not a search run`);
      return location.folder.dir;
    });
    const spec = quantizationRequest({
      name: values.name,
      model,
      dataset: datasetOption(values.dataset),
      quantizer: values.quantizer,
      bits: values.bits !== undefined ? bitRange(values.bits, '--bits') : undefined,
      activationBits: values['activation-bits'] !== undefined ? bitRange(values['activation-bits'], '--activation-bits') : undefined,
      budget: values.budget,
      search: values.search,
      episodes: parseInteger(values.episodes, 'episodes', 1),
      warmup: parseInteger(values.warmup, 'warmup', 0),
      heldOutSamples: parseInteger(values['held-out'], 'held-out', 1),
      calibrationSamples: parseInteger(values.calibration, 'calibration', 1),
      testSamples: parseInteger(values['test-samples'], 'test-samples', 0),
      finetuneSamples: parseInteger(values.finetune, 'finetune', 1),
      seed: parseInteger(values.seed, 'seed', 0),
    });
    let location;
    try {
      ({ location } = await service.create({ kind: runKind('quantization')!, text: JSON.stringify(spec), baseDir: process.cwd(), label: 'the command line' }));
    } catch (e) {
      if (e instanceof InvalidSpecError) throw new UsageError(e.diagnostics.filter((d) => d.severity === 'error').map((d) => inFlagTerms(d.message, d.path)).join('; '));
      throw e;
    }
    return executeWithConsole(service, location, { json: values.json, backend: backendOption(values.backend), signal, io });
  });
}

/** MODEL as a folder, or with --trial a search run given by folder or id. */
function modelSource(model: string, trial: string | undefined, runDir: (id: string) => string): ModelSource {
  if (trial === undefined) return { type: 'folder', dir: resolve(model) };
  const number = trial === 'best' ? 'best' : parseInteger(trial, 'trial', 0)!;
  return { type: 'trial', run: existsSync(model) ? resolve(model) : runDir(model), trial: number };
}

function bitRange(text: string, flag: string): { min: number; max: number } {
  const m = /^(\d+):(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} must be MIN:MAX (e.g. 2:8), got "${text}"`);
  return { min: Number(m[1]), max: Number(m[2]) };
}

/** The options of the quantization spec the flags set, as the user typed them. */
const FLAGS: Readonly<Record<string, string>> = {
  budget: '--budget',
  episodes: '--episodes',
  warmup: '--warmup',
  quantizer: '--quantizer',
  search: '--search',
  bits: '--bits',
  activationBits: '--activation-bits',
  heldOutSamples: '--held-out',
  calibrationSamples: '--calibration',
  testSamples: '--test-samples',
  finetune: '--finetune',
  seed: '--seed',
  name: '--name',
  dataset: '--dataset',
  model: 'MODEL',
};

/** A spec problem told in terms of the command line ("--episodes must be <= 100000"). */
function inFlagTerms(message: string, path: readonly (string | number)[]): string {
  const option = formatPath(path);
  const flag = Object.entries(FLAGS).find(([key]) => option === key || option.startsWith(`${key}.`) || option.startsWith(`${key}[`));
  return flag ? `${flag[1]}: ${message}` : `${option}: ${message}`;
}

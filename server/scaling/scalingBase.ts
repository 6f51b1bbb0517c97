import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import { DataError, MissingFileError, SpecError, errorMessage } from '../core/errors';
import { searchRun } from '../experiment/searchRun';
import { trialByNumber, type SearchView } from '../experiment/searchQueries';
import { layersGraph } from '../graphs/layersGraph';
import { eraseKind } from '../runs/runKind';
import { RunReader } from '../runs/runReader';
import { runFolder } from '../store/runFolder';
import type { LayerStackArch } from '../spaces/layers/layerSpec';
import { checkScalableStack } from './scaledLayerStack';

/** Where the spec says the base network is: exactly one of the three. */
export interface RawBase {
  readonly file?: string;
  readonly run?: string;
  readonly trial?: number;
  readonly architecture?: Record<string, unknown>;
}

/** Architecture files may carry what the engine wrote next to the architecture (description, trial, metrics). */
function architectureOnly(value: Record<string, unknown>): Record<string, unknown> {
  const { description: _d, trial: _t, metrics: _m, ...arch } = value;
  return arch;
}

function readArchFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new MissingFileError('architecture file not found', file);
  if (!statSync(file).isFile()) throw new DataError(`${file}: is not a regular file`, file);
  const errors: ParseError[] = [];
  const value: unknown = parse(readFileSync(file, 'utf8'), errors, { allowTrailingComma: true });
  if (errors.length > 0 || !value || typeof value !== 'object' || Array.isArray(value)) throw new DataError(`${file}: is not an architecture (a JSON object)`, file);
  return architectureOnly(value as Record<string, unknown>);
}

/** The best (or the given) trial of a search run folder; only search runs are read, so no other kind's code loads. */
function readRunTrial(dir: string, trial: number | undefined): { arch: unknown; from: string } {
  const folder = runFolder(dir);
  if (!existsSync(folder.spec)) throw new MissingFileError('no run in this folder (it has no spec.json)', folder.dir);
  const reader = new RunReader((kind) => (kind === 'search' ? eraseKind(searchRun) : undefined));
  const run = reader.read({ layout: 'folder', id: folder.id, folder });
  if (!run.readable) throw new DataError(`${folder.dir}: is not a search run NAS Studio can read (${run.summary.damage?.[0] ?? 'unknown problem'})`, folder.dir);
  const view = run.view as SearchView;
  if (trial !== undefined) {
    try {
      return { arch: trialByNumber(view, trial).arch, from: `trial ${trial} of run ${folder.id}` };
    } catch (e) {
      throw new SpecError(errorMessage(e), ['trial']);
    }
  }
  const best = view.state.best;
  if (!best) throw new DataError(`run ${folder.id} has no feasible trial yet to grow`, folder.dir);
  return { arch: best.arch, from: `best trial ${best.trial} of run ${folder.id}` };
}

/**
 * The base network of a scaling spec, read in full (the run's spec keeps it, so the run never
 * reads these files again) and checked: a trainable layer stack whose layers fit together.
 * Throws SpecError (paths inside `base`), MissingFileError or DataError (naming the file).
 */
export function resolveBase(raw: RawBase, baseDir: string): { arch: LayerStackArch; from: string } {
  const given = (['file', 'run', 'architecture'] as const).filter((k) => raw[k] !== undefined);
  if (given.length !== 1) throw new SpecError(`base needs exactly one of "file", "run" or "architecture"${given.length > 1 ? `, not ${given.join(' and ')}` : ''}`, []);
  if (raw.trial !== undefined && raw.run === undefined) throw new SpecError('"trial" picks a trial of a "run"', ['trial']);
  const path = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const found =
    raw.file !== undefined
      ? { arch: readArchFile(path(raw.file)), from: raw.file, at: ['file'] }
      : raw.run !== undefined
        ? { ...readRunTrial(path(raw.run), raw.trial), at: ['run'] }
        : { arch: architectureOnly(raw.architecture!), from: 'the spec', at: ['architecture'] };
  try {
    const arch = checkScalableStack(found.arch);
    layersGraph(arch);
    return { arch, from: found.from };
  } catch (e) {
    // Problems inside an inline architecture point at it; inside a file or a run, at the option naming it.
    if (e instanceof SpecError && raw.architecture !== undefined) throw new SpecError(e.message, [...found.at, ...e.path]);
    if (e instanceof SpecError) throw new SpecError(`${found.from}: ${e.message}`, found.at);
    throw e;
  }
}

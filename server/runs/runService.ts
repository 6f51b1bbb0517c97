import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'jsonc-parser';
import type { RunSummary } from '../../contract/runs';
import { MissingFileError, NasError, type JsonPath } from '../core/errors';
import type { SpecDiagnostic } from '../experiment/specText';
import { readSpecFileText } from '../experiment/specFile';
import { formatPath } from '../experiment/specText';
import { RunStore, type RunLocation } from '../store/runStore';
import { executeRun, type ExecutionOptions, type RunOutcome } from './runExecution';
import type { AnyRunKind } from './runKind';
import type { EarlierRun, EarlierRuns } from './earlierRuns';
import { RunReader, summarize, type ReadRun } from './runReader';
import { runKind, runKindOfSpecFile } from './registry';

/** A spec that cannot run; carries its diagnostics (the CLI prints them as file:line:col). */
export class InvalidSpecError extends NasError {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly diagnostics: readonly SpecDiagnostic[],
  ) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super('invalid-spec', `${file}: ${errors.length} problem${errors.length === 1 ? '' : 's'} in the spec; first: ${formatPath(errors[0]?.path ?? [])}: ${errors[0]?.message}`);
  }
}

/** A file a spec names does not exist: which spec and which of its options (what the editor's "Locate…" rewrites). */
export class MissingSpecFileError extends MissingFileError {
  constructor(
    cause: MissingFileError,
    readonly specPath: string,
    readonly optionPath: JsonPath | undefined,
  ) {
    super(cause.message, cause.file);
  }
}

/** JSON path of the spec option whose value names `file` (or a folder it is in), resolved against `baseDir`. */
export function optionNaming(text: string, baseDir: string, file: string | undefined): JsonPath | undefined {
  if (!file) return undefined;
  const walk = (value: unknown, path: (string | number)[]): JsonPath | undefined => {
    if (typeof value === 'string' && value !== '') {
      const abs = isAbsolute(value) ? value : resolve(baseDir, value);
      return abs === file || file.startsWith(abs + '/') ? path : undefined;
    }
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const hit = walk(v, [...path, Array.isArray(value) ? Number(k) : k]);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  return walk(parse(text.replace(/^\uFEFF/, '')), []);
}

/** What a new run is made from: a spec file's text (its kind follows from the file name), or a spec built for a kind. */
export type NewRun =
  | { readonly specPath: string; readonly text: string }
  | { readonly kind: AnyRunKind; readonly text: string; readonly baseDir: string; readonly specPath: string }
  | { readonly kind: AnyRunKind; readonly text: string; readonly baseDir: string; readonly label: string };

/**
 * The runs under one root, for the engine and the CLI alike: create (validated once, checked
 * before any folder exists), find, list, read and execute. Keeps folded states between reads.
 */
export class RunService {
  readonly store: RunStore;
  readonly reader = new RunReader(runKind);

  constructor(root: string) {
    this.store = new RunStore(root);
  }

  get root(): string {
    return this.store.root;
  }

  /** Every run, newest first; damaged and unreadable ones included (with the reason). */
  list(): RunSummary[] {
    return this.store
      .list()
      .map((location) => this.reader.summary(location))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  }

  find(idOrDir: string): RunLocation {
    const location = this.store.find(idOrDir);
    if (!location) throw new NasError('not-found', `no run "${idOrDir}" in ${this.store.root}`);
    return location;
  }

  read(location: RunLocation): ReadRun {
    return this.reader.read(location);
  }

  summary(location: RunLocation): RunSummary {
    return this.reader.summary(location);
  }

  /**
   * Validates the spec (all of it, including the files it names), checks the run can start
   * (preflight), then creates its folder. Nothing is created when any of that fails.
   */
  async create(source: NewRun, exactDir?: string): Promise<{ readonly location: RunLocation; readonly warnings: readonly SpecDiagnostic[] }> {
    const kind = 'kind' in source ? source.kind : runKindOfSpecFile(source.specPath);
    const specPath = 'specPath' in source ? resolve(source.specPath) : '';
    if (!kind) throw new NasError('invalid-request', `${specPath} is not a spec file NAS Studio knows (*.nas.json, *.supernet.json, *.proxyless.json, *.scaling.json, *.ensemble.json)`);
    const baseDir = 'baseDir' in source ? source.baseDir : dirname(specPath);
    const validation = kind.validate(source.text, { ...(specPath ? { file: specPath } : {}), baseDir, runs: this.earlier });
    if (!validation.spec) throw new InvalidSpecError(specPath || ('label' in source ? source.label : kind.title), source.text, validation.diagnostics);
    try {
      await kind.preflight?.(validation.spec, baseDir);
    } catch (e) {
      if (e instanceof MissingFileError && specPath) throw new MissingSpecFileError(e, specPath, optionNaming(source.text, baseDir, e.file));
      throw e;
    }
    const folder = this.store.create({ kind: kind.id, name: kind.nameOf(validation.spec), createdAt: new Date().toISOString(), source: specPath, baseDir }, validation.spec, exactDir);
    return { location: { layout: 'folder', id: folder.id, folder }, warnings: validation.diagnostics };
  }

  execute(location: RunLocation, options: ExecutionOptions): Promise<RunOutcome> {
    return executeRun(location, this.reader, { ...options, runs: this.earlier });
  }

  /** The runs of this store as other runs read them (warm starts, similar runs). */
  readonly earlier: EarlierRuns = {
    find: (idOrDir) => this.earlierRun(this.find(idOrDir)),
    all: () =>
      this.store
        .list()
        .flatMap((location) => {
          try {
            return [this.earlierRun(location)];
          } catch {
            return []; // damaged and unreadable runs are listed elsewhere, with the reason
          }
        })
        .sort((a, b) => b.summary.createdAt.localeCompare(a.summary.createdAt) || a.summary.id.localeCompare(b.summary.id)),
  };

  private earlierRun(location: RunLocation): EarlierRun {
    const run = this.read(location);
    if (!run.readable) throw new NasError('damaged', `run ${location.id} cannot be read: ${run.summary.damage?.[0] ?? 'unknown problem'}`);
    const summary = summarize(run.kind, run.view);
    if (run.view.damage.length > 0) throw new NasError('damaged', `run ${location.id} is damaged (${run.view.damage[0]})`);
    return { summary, folder: run.view.folder, baseDir: run.view.header.baseDir, spec: run.view.spec, state: run.view.state };
  }
}

/** A spec file's text; a missing or unreadable file is an error naming it. */
export function readSpecText(specPath: string): string {
  try {
    return readSpecFileText(specPath);
  } catch (e) {
    if (e instanceof NasError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MissingFileError('spec file not found', specPath);
    throw new NasError('invalid-request', `cannot read the spec ${specPath} (${code ?? String(e)})`);
  }
}

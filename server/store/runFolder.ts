import { basename, join, resolve } from 'node:path';

/**
 * The files of one run, whatever its kind:
 *   spec.json      header (kind, name, origin) + the resolved spec: all a reader ever needs
 *   journal.jsonl  append-only records; the run's state is their fold
 *   lock           the process writing the run
 *   state.json     the journal folded up to some line, left by the writer so readers need
 *                  not fold a long journal from its start (a cache: removing it costs time only)
 *   checkpoints/   what resuming needs
 *   exports/       what the user takes away
 *   models/        each trained trial's model (`trial-<n>/`, TF.js Layers files), what exports convert
 * Folders written before runs had kinds hold `experiment.json` (the header) and the user's spec
 * text in `spec.json`; they are read in place (see legacyRuns.ts).
 */
export interface RunFolder {
  readonly id: string;
  readonly dir: string;
  readonly spec: string;
  readonly journal: string;
  readonly stateCache: string;
  readonly lock: string;
  readonly checkpoints: string;
  readonly exports: string;
  readonly models: string;
  /** `experiment.json` of folders written before run kinds existed. */
  readonly legacyMeta: string;
}

export function runFolder(dir: string): RunFolder {
  const abs = resolve(dir);
  return {
    id: basename(abs),
    dir: abs,
    spec: join(abs, 'spec.json'),
    journal: join(abs, 'journal.jsonl'),
    stateCache: join(abs, 'state.json'),
    lock: join(abs, 'lock'),
    checkpoints: join(abs, 'checkpoints'),
    exports: join(abs, 'exports'),
    models: join(abs, 'models'),
    legacyMeta: join(abs, 'experiment.json'),
  };
}

/** Where a trial's trained model is kept (see `EvaluatorSetup.modelsDir`). */
export function trialModelDir(modelsDir: string, trial: number): string {
  return join(modelsDir, `trial-${trial}`);
}

/** Version of the spec.json layout below. */
export const RUN_FORMAT = 2;

/** What a run is, written once at creation as the top of spec.json (the resolved spec follows under `spec`). */
export interface RunHeader {
  readonly format: typeof RUN_FORMAT;
  /** A registered run kind ('search', 'supernet', 'specialization', ...). */
  readonly kind: string;
  readonly name: string;
  readonly createdAt: string;
  /** The spec file the run was created from; '' when it was created from a request (a specialization). */
  readonly source: string;
  /** Folder the spec's relative paths resolve against (the source's folder). */
  readonly baseDir: string;
}

/** spec.json: the header, then the resolved spec. */
export interface RunSnapshot extends RunHeader {
  readonly spec: unknown;
}

import type { RunSummary } from '../../contract/runs';
import type { RunFolder } from '../store/runFolder';

/** A run read for another run's sake (a warm start's source): as its folder holds it, never re-validated. */
export interface EarlierRun {
  readonly summary: RunSummary;
  readonly folder: RunFolder;
  /** Folder its spec's relative paths resolve against. */
  readonly baseDir: string;
  /** Its resolved spec and folded state, of its kind (`summary.kind`). */
  readonly spec: unknown;
  readonly state: unknown;
}

/** The runs of the store a run is created in (RunService provides them to validation and execution). */
export interface EarlierRuns {
  /** A run by id or folder; throws NasError ('not-found', 'damaged') saying why it cannot be read. */
  find(idOrDir: string): EarlierRun;
  /** Every readable run, newest first. */
  all(): EarlierRun[];
}

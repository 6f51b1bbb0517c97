import { CancelledError, NasError, errorMessage } from '../core/errors';
import { acquireLock, openJournal, releaseLock, type ExperimentFiles } from './experimentStore';
import { loadExperimentState, type ExperimentState } from './experimentState';
import type { Journal } from './journal';
import type { JournalRecord } from './records';

export type RunOutcome = { readonly status: 'finished' | 'stopped' | 'failed'; readonly error?: string; readonly state: ExperimentState };

/**
 * Abort reason for an engine shutting down (window closed, engine restart): the experiment is
 * not marked stopped, so the next engine resumes it. Any other abort is a user's stop.
 */
export const SHUTDOWN = 'shutdown';

/**
 * Runs the work of an experiment folder (a search or a supernet training) while this process
 * holds its lock and journal: `body` returns the final state; a cancellation is journaled as
 * stopped (not on engine shutdown, so the next engine resumes it), any other error as failed.
 */
export async function runLocked(files: ExperimentFiles, signal: AbortSignal, body: (journal: Journal<JournalRecord>) => Promise<ExperimentState>): Promise<RunOutcome> {
  if (!acquireLock(files)) throw new NasError('busy', `experiment ${files.id} is already running in another process`);
  const journal = openJournal(files);
  try {
    return { status: 'finished', state: await body(journal) };
  } catch (e) {
    if (e instanceof CancelledError) {
      if (signal.reason !== SHUTDOWN) journal.append({ type: 'stopped', at: new Date().toISOString() });
      return { status: 'stopped', state: loadExperimentState(files) };
    }
    journal.append({ type: 'failed', at: new Date().toISOString(), error: errorMessage(e) });
    return { status: 'failed', error: errorMessage(e), state: loadExperimentState(files) };
  } finally {
    journal.close();
    releaseLock(files);
  }
}

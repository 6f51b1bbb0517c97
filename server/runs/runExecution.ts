import type { BackendChoice } from '../../contract/backends';
import type { ErrorKind } from '../../contract/errors';
import { CancelledError, NasError, errorMessage } from '../core/errors';
import { JournalWriter } from '../store/journal';
import { describeOwner, RunLock } from '../store/runLock';
import type { RunLocation } from '../store/runStore';
import type { EarlierRuns } from './earlierRuns';
import type { LifecycleRecord } from './lifecycle';
import type { ActiveRun, AnyRunKind, RunEvents, RunView } from './runKind';
import type { ReadRun, RunReader } from './runReader';
import { writeStateCache } from './stateCache';

export interface RunOutcome {
  readonly status: 'finished' | 'stopped' | 'failed';
  readonly error?: string;
  readonly errorKind?: ErrorKind;
}

/**
 * Abort reason for an engine shutting down (window closed, engine restart): the run is not
 * marked stopped, so the next engine resumes it. Any other abort is a user's stop.
 */
export const SHUTDOWN = 'shutdown';

/** Records appended between two saves of the state cache (state.json). */
const STATE_CACHE_EVERY = 2000;

export interface ExecutionOptions {
  readonly signal: AbortSignal;
  readonly events: RunEvents;
  readonly backend: BackendChoice;
}

/** What execution needs beyond the caller's options: the other runs of the store. */
interface ExecutionContext extends ExecutionOptions {
  readonly runs: EarlierRuns;
}

/**
 * Runs (or resumes) a run while this process holds its lock. What may not be written is refused
 * before anything is: a run that cannot be read, a damaged one, one of an older read-only layout,
 * or one another live process holds. A finished run is left alone. Once it has started, the run
 * journals how it ended: finished, stopped (not on engine shutdown: the next engine resumes
 * it), or failed with the error's kind.
 */
export async function executeRun(location: RunLocation, reader: RunReader, options: ExecutionContext): Promise<RunOutcome> {
  const first = requireWritable(reader.read(location), location.id);
  if (first.view.lifecycle.status === 'finished') return { status: 'finished' };
  if (location.layout !== 'folder') throw new NasError('invalid-request', `run ${location.id} is read-only`);
  const lock = RunLock.acquire(location.folder.lock);
  if (!(lock instanceof RunLock)) throw new NasError('busy', `run ${location.id} is already running (${describeOwner(lock.heldBy)})`);
  try {
    // Read again under the lock: another process may have advanced or finished it meanwhile.
    const { kind, view } = requireWritable(reader.read(location), location.id);
    if (view.lifecycle.status === 'finished') return { status: 'finished' };
    const writer = new JournalWriter(location.folder.journal);
    const saveState = () => {
      try {
        reader.read(location);
        const cache = reader.stateCache(location);
        if (cache) writeStateCache(location.folder, cache);
      } catch {
        // The cache only saves readers time; the journal is what counts.
      }
    };
    let sinceSaved = 0;
    try {
      const append = (record: LifecycleRecord | object) => {
        if (!lock.holds()) throw new NasError('busy', `run ${location.id} was taken over by another process; this one stops writing to it`);
        writer.append(record);
        if (++sinceSaved >= STATE_CACHE_EVERY) {
          sinceSaved = 0;
          saveState();
        }
      };
      return await begin(kind, view, () => requireWritable(reader.read(location), location.id).view, append, options);
    } finally {
      writer.close();
      saveState();
    }
  } finally {
    lock.release();
  }
}

async function begin(
  kind: AnyRunKind,
  view: RunView<unknown, unknown>,
  current: () => RunView<unknown, unknown>,
  append: (record: LifecycleRecord | object) => void,
  { signal, events, backend, runs }: ExecutionContext,
): Promise<RunOutcome> {
  const at = () => new Date().toISOString();
  const { done, total } = kind.progress(view.spec, view.state);
  const resumed = view.lifecycle.status !== 'pending' || done > 0;
  append(resumed ? { type: 'resumed', at: at(), pid: process.pid, replayed: done } : { type: 'started', at: at(), pid: process.pid, budget: total });
  events.started({ resumed, done, total, unit: kind.unit });
  const run: ActiveRun<unknown, unknown> = { folder: view.folder, header: view.header, spec: view.spec, state: view.state, append, view: current, signal, events, backend, runs };
  try {
    const reason = await kind.execute(run);
    append({ type: 'finished', at: at(), reason });
    return { status: 'finished' };
  } catch (e) {
    if (e instanceof CancelledError || signal.aborted) {
      if (signal.reason !== SHUTDOWN) appendQuietly(append, { type: 'stopped', at: at() });
      return { status: 'stopped' };
    }
    const errorKind: ErrorKind = e instanceof NasError ? e.code : 'internal';
    if (!(e instanceof NasError)) events.log(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    const error = errorMessage(e);
    appendQuietly(append, { type: 'failed', at: at(), error, kind: errorKind });
    return { status: 'failed', error, errorKind };
  }
}

/** Journals how the run ended if it still can (a full disk may prevent it; the journal stays readable). */
function appendQuietly(append: (record: LifecycleRecord | object) => void, record: LifecycleRecord): void {
  try {
    append(record);
  } catch {
    // The run resumes from its last complete record.
  }
}

function requireWritable(run: ReadRun, id: string): Extract<ReadRun, { readable: true }> {
  if (!run.readable) throw new NasError('damaged', `run ${id} cannot be read: ${run.summary.damage?.[0] ?? 'unknown problem'}`);
  if (run.readOnly) throw new NasError('invalid-request', `run ${id} is read-only: ${run.readOnly}`);
  if (run.view.damage.length > 0) throw new NasError('damaged', `run ${id} is damaged (${run.view.damage[0]}); \`nas-studio repair ${id}\` rewrites a clean journal`);
  return run;
}

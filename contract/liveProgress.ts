/**
 * One progress figure for a run being watched, shared by the status bar, the progress
 * notification and the CLI's status line: the percentage and "2/8 trials" come from the same
 * counts, and the ETA from the rate of the units finished while watching.
 */
import { formatClock } from './format';

/** When watching began and when the last unit finished, in ms of any one clock (Date.now()). */
export interface UnitClock {
  readonly startedAt: number;
  /** Units already done when watching began (a resumed run's replayed trials). */
  readonly doneAtStart: number;
  readonly done: number;
  /** When `done` was first seen (startedAt until a unit finishes). */
  readonly doneAt: number;
}

/** Units finished while watching before an ETA is given: one finished unit says little about the rest. */
export const UNITS_FOR_ETA = 2;

export function startClock(done: number, now: number): UnitClock {
  return { startedAt: now, doneAtStart: done, done, doneAt: now };
}

/** The clock after seeing `done` units finished at `now` (unchanged when nothing new finished). */
export function observeDone(clock: UnitClock, done: number, now: number): UnitClock {
  return done === clock.done ? clock : { ...clock, done, doneAt: now };
}

/**
 * Time left: the mean time per unit finished while watching times the units left, less the time
 * since the last one finished; undefined until UNITS_FOR_ETA units finished.
 */
export function etaMs(clock: UnitClock, total: number, now: number): number | undefined {
  const finished = clock.done - clock.doneAtStart;
  if (finished < UNITS_FOR_ETA) return undefined;
  const perUnit = (clock.doneAt - clock.startedAt) / finished;
  return Math.max(0, perUnit * Math.max(0, total - clock.done) - (now - clock.doneAt));
}

/** Whole percent done, never 100 before the last unit: floor(100 · done / total). */
export function percentDone(done: number, total: number): number {
  return total > 0 ? Math.floor((100 * Math.min(done, total)) / total) : 0;
}

/** "25% · 2/8 trials · 1m05s elapsed · ETA 3m15s" ("ETA —" until two units finished). */
export function liveProgressText(clock: UnitClock, total: number, unit: string, now: number): string {
  const eta = etaMs(clock, total, now);
  return `${percentDone(clock.done, total)}% · ${clock.done}/${total} ${unit} · ${formatClock(now - clock.startedAt)} elapsed · ETA ${eta === undefined ? '—' : formatClock(eta)}`;
}

import { copyFileSync, renameSync } from 'node:fs';
import { writeFileAtomic } from '../store/atomicFile';
import { JournalTail } from '../store/journal';
import { applyLifecycle, initialLifecycle, LIFECYCLE_TYPES } from './lifecycle';
import { RecordError, type AnyRunKind, type JournalRecord } from './runKind';

/** What repairing a journal would do: the records kept, and each line dropped with why. */
export interface RepairPlan {
  readonly kept: readonly JournalRecord[];
  readonly dropped: readonly { readonly line: number; readonly reason: string }[];
  /** Lines kept out because they repeat a record already kept (the same trial twice). */
  readonly repeats: number;
}

/**
 * Plans a clean journal for a run: every record its kind accepts, once, in order; lines that are
 * not JSON, not records, or cannot belong to the run are dropped; repeats of a trial (or epoch,
 * or limit) already kept are dropped too. Reads only.
 */
export function planJournalRepair(kind: AnyRunKind, spec: unknown, journal: string): RepairPlan {
  const state = kind.initialState(spec);
  const lifecycle = initialLifecycle();
  const kept: JournalRecord[] = [];
  const dropped: { line: number; reason: string }[] = [];
  let repeats = 0;
  for (const line of new JournalTail(journal).read().lines) {
    const record = line.value as JournalRecord;
    try {
      if (line.problem) throw new RecordError(line.problem);
      if (!record || typeof record !== 'object' || Array.isArray(record) || typeof record.type !== 'string') throw new RecordError('not a journal record');
      if (LIFECYCLE_TYPES.has(record.type)) {
        applyLifecycle(lifecycle, record);
        kept.push(record);
        continue;
      }
      const before = stateSize(kind, spec, state);
      kind.apply(state, record, spec, undefined);
      // A kind record that did not change what the run has done repeats one already kept.
      if (stateSize(kind, spec, state) === before && isUnitRecord(record)) repeats++;
      else kept.push(record);
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      dropped.push({ line: line.line, reason: e.message });
    }
  }
  return { kept, dropped, repeats };
}

/** Records that finish a unit of work (a repeat of one is dropped); other kind records (trial_started) are kept. */
function isUnitRecord(record: JournalRecord): boolean {
  return record.type.endsWith('_finished');
}

function stateSize(kind: AnyRunKind, spec: unknown, state: unknown): number {
  return kind.progress(spec, state).done;
}

/** Replaces the journal with the plan's records, keeping the original as `<journal>.bak-<time>`; returns the backup's path. */
export function applyJournalRepair(journal: string, plan: RepairPlan): string {
  const backup = `${journal}.bak-${new Date().toISOString().replace(/[-:]/g, '').replace('.', '-')}`;
  copyFileSync(journal, backup);
  writeFileAtomic(`${journal}.repaired`, plan.kept.map((r) => JSON.stringify(r) + '\n').join(''));
  renameSync(`${journal}.repaired`, journal);
  return backup;
}

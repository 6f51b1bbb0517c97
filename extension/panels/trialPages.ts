import type { TrialItem, TrialRecord, TrialRow } from '../../contract/runs';
import type { TrialPage } from '../../contract/protocol';

/** The engine's page size limit for getTrials. */
export const enginePageSize = 5000;

/** A listed trial as the webviews take it (its description, error and time included: the table shows them). */
export function trialRecordOf(item: TrialItem): TrialRecord {
  const { trial, key, genome, arch, metrics, feasible, cached, durationMs, at, description, error, curve } = item;
  return { trial, key, genome, arch, metrics, feasible, cached, durationMs, ...(at ? { at } : {}), description, ...(error ? { error } : {}), ...(curve ? { curve } : {}) };
}

/** The trial as the table, plot and progress views take it: without genome and architecture (see `TrialRow`). */
export function trialRowOf(record: TrialRecord): TrialRow {
  const { genome: _genome, arch: _arch, ...row } = record;
  return row;
}

/**
 * Every trial of an experiment, fetched in pages of at most 5000. Trials finishing meanwhile
 * are picked up as long as the listing keeps growing; live notifications cover the rest.
 */
export async function fetchAllTrials(getPage: (offset: number, limit: number) => Promise<TrialPage>): Promise<TrialItem[]> {
  const trials: TrialItem[] = [];
  for (;;) {
    const page = await getPage(trials.length, enginePageSize);
    trials.push(...page.items);
    if (page.items.length === 0 || trials.length >= page.total) return trials;
  }
}

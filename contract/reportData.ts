/** What an offline report embeds, and its check (the page validates it before use). */
import type { ConstraintSpec } from './metrics';
import type { RunSummary, TrialRecord } from './runs';
import { constraintCheck, runSummaryCheck, trainingPointCheck, trialRecordCheck, type TrainingPoint } from './webviewMessages';
import { arrayOf, object, str, type Check } from './validate';

export interface ReportData {
  readonly summary: RunSummary;
  readonly trials: readonly TrialRecord[];
  readonly constraints: readonly ConstraintSpec[];
  readonly axes: { readonly x: string; readonly y: string };
  /** Legend text of the run in the progress view, e.g. the strategy. */
  readonly label: string;
  readonly training: readonly TrainingPoint[];
}

export const reportDataElementId = 'nas-report-data';

export const reportDataCheck: Check<ReportData> = object({
  summary: runSummaryCheck,
  trials: arrayOf(trialRecordCheck),
  constraints: arrayOf(constraintCheck),
  axes: object({ x: str, y: str }),
  label: str,
  training: arrayOf(trainingPointCheck),
});

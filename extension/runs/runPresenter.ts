import type { RunSummary } from '../../contract/runs';
import type { ItemNode } from './explorerNodes';

/**
 * How the editor shows one kind of run: the rows below it in the explorer, what its tooltip
 * and end-of-run message say about its results, and the menus it offers. Everything the
 * editor knows about a kind beyond the common summary lives in the kind's presenter
 * (presenters.ts lists them; a new kind does not compile until it has one).
 */
export interface RunPresenter<S extends RunSummary> {
  /** What tooltips call the kind: "architecture search". */
  readonly title: string;
  /** Rows below the run, after its Status line and any error. */
  children(summary: S): ItemNode[];
  /** Markdown lines of the run's tooltip about what it found. */
  tooltip(summary: S): string[];
  /** The sentence a notification adds when the run ends: "Best: fc64 (val_accuracy 0.9812)." */
  outcome(summary: S): string | undefined;
  /** Where its results are when it has no results view (Open Results says so). */
  resultsElsewhere?(summary: S): string;
  /** An icon for the run instead of its status icon (a trained supernet). */
  icon?(summary: S): string | undefined;
  /** Words added to the run row's context value that menus match, e.g. 'exportable'. */
  menuFlags?(summary: S): string[];
}

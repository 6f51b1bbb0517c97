import type { RunSummary } from '../contract/runs';
import type { RunEvents, RunView } from '../server/runs/runKind';

/** Live console output of a running run. */
export interface RunPrinter {
  readonly events: RunEvents;
  /** Clears the live status line. */
  close(): void;
}

/**
 * How the CLI shows one kind of run: live while it runs, as lines and a table when it ends or on
 * `show`, as one JSON object for scripts, and as a row of `list`.
 */
export interface RunConsole {
  printer(view: RunView<unknown, unknown>, out: (line: string) => void, stream: NodeJS.WriteStream): RunPrinter;
  /** What the run found: printed when it ends (`top` rows) and by `show` (more rows). */
  result(view: RunView<unknown, unknown>, summary: RunSummary, top: number): string[];
  /** `show`: the lines after the header (the epochs of a supernet, the result of a search). */
  show(view: RunView<unknown, unknown>, summary: RunSummary): string[];
  /** The last line of `run --json` / `resume --json`. */
  json(view: RunView<unknown, unknown>, summary: RunSummary): Record<string, unknown>;
  /** `show --json`: the summary with everything the run holds. */
  showJson(view: RunView<unknown, unknown>, summary: RunSummary): Record<string, unknown>;
  /** The "best" column of `list`. */
  listResult(summary: RunSummary): string;
}

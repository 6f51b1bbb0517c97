/**
 * The rows of the Experiments explorer as plain data: a run, and the rows below it that its
 * kind's presenter lists. No `vscode` here, so what the explorer says is unit-tested;
 * runsTree.ts turns these into TreeItems.
 */
import type { RequestType } from 'vscode-languageserver-protocol';
import type { RunSummary } from '../../contract/runs';

/** Sends one request to the engine (EngineClient.request). */
export type EngineRequest = <P, R>(type: RequestType<P, R, void>, params: P) => Promise<R>;

export interface RunNode {
  readonly kind: 'run';
  readonly summary: RunSummary;
}

/** A row below a run: a detail line, a trial, a sub-network, a "more" link. */
export interface ItemNode {
  readonly kind: 'item';
  readonly runId: string;
  /** Unique among the run's rows (with the run id, the row's tree id). */
  readonly key: string;
  readonly label: string;
  readonly description?: string;
  /** A codicon name, e.g. "star-full". */
  readonly icon: string;
  /** Markdown; the label and description when absent. */
  readonly tooltip?: string;
  /** What package.json menus match with `viewItem`: 'trial', 'best', 'subnet'. */
  readonly contextValue?: string;
  /** Runs on click. */
  readonly command?: { readonly command: string; readonly title: string; readonly arguments: readonly unknown[] };
  /** The trial the row stands for (Open Trial Graph on it). */
  readonly trial?: number;
  /** The limit of a specialized sub-network's row (Export Sub-network on it). */
  readonly limit?: number;
  /** Rows asked of the engine when the row is expanded (a search's trials, a page at a time). */
  readonly expand?: (request: EngineRequest) => Promise<readonly ItemNode[]>;
}

export type ExplorerNode = RunNode | ItemNode;

/** A detail row: `label` and `description`, with an icon. */
export function detail(runId: string, label: string, description: string | undefined, icon: string, extra: Partial<ItemNode> = {}): ItemNode {
  return { kind: 'item', runId, key: label, label, ...(description === undefined ? {} : { description }), icon, ...extra };
}

/** The run a node belongs to. */
export function runIdOf(node: ExplorerNode): string {
  return node.kind === 'run' ? node.summary.id : node.runId;
}

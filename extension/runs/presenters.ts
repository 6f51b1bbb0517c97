import type { RunKindId, RunSummary } from '../../contract/runs';
import { proxylessPresenter } from './proxylessPresenter';
import { ensemblePresenter } from './ensemblePresenter';
import type { RunPresenter } from './runPresenter';
import { scalingPresenter } from './scalingPresenter';
import { quantizationPresenter } from './quantizationPresenter';
import { searchPresenter } from './searchPresenter';
import { specializationPresenter } from './specializationPresenter';
import { supernetPresenter } from './supernetPresenter';

/** Every run kind's presenter: a kind added to RunKindId does not compile until it is here. */
const presenters: { readonly [K in RunKindId]: RunPresenter<Extract<RunSummary, { kind: K }>> } = {
  search: searchPresenter,
  supernet: supernetPresenter,
  specialization: specializationPresenter,
  proxyless: proxylessPresenter,
  scaling: scalingPresenter,
  ensemble: ensemblePresenter,
  quantization: quantizationPresenter,
};

/** The presenter of a run's kind; none for a folder whose kind cannot be read. */
export function presenterOf(summary: RunSummary): RunPresenter<RunSummary> | undefined {
  if (summary.kind === 'unreadable') return undefined;
  // Sound: presenters[k] takes exactly the summaries whose kind is k.
  return presenters[summary.kind] as RunPresenter<RunSummary>;
}

import { adanetObjective, ensembleAccuracy, penalties, type EnsembleInputs, type Mixture, type ObjectiveValue } from './adanetObjective';
import type { SplitLabels, SplitLogits } from './memberLogits';
import { initialMixture, trainMixture } from './mixtureWeights';
import type { ObjectiveSpec } from './ensembleSpec';

/** A frozen subnetwork: its logits on every split and its complexity r(h). */
export interface FrozenMember {
  readonly logits: SplitLogits;
  readonly complexity: number;
}

/** An ensemble scored as AdaNet scores it. */
export interface ScoredEnsemble {
  readonly mixture: Mixture;
  /** F on the training examples (what the mixture weights minimized). */
  readonly objective: ObjectiveValue;
  /** F on the held-out examples: what selects among candidates (the reference's Evaluator). */
  readonly heldOut: ObjectiveValue;
  readonly valAccuracy: number;
  readonly testAccuracy?: number;
}

function inputsOf(members: readonly FrozenMember[], labels: SplitLabels, split: keyof SplitLabels, classes: number): EnsembleInputs {
  return { logits: members.map((m) => m.logits[split]), labels: labels[split], classes };
}

/** Scores an ensemble whose mixture weights are fixed. */
export function scoreEnsemble(members: readonly FrozenMember[], mixture: Mixture, labels: SplitLabels, classes: number, objective: ObjectiveSpec): ScoredEnsemble {
  const costs = penalties(members.map((m) => m.complexity), objective.lambda, objective.beta);
  return {
    mixture,
    objective: adanetObjective(inputsOf(members, labels, 'train', classes), mixture, costs),
    heldOut: adanetObjective(inputsOf(members, labels, 'validation', classes), mixture, costs),
    valAccuracy: ensembleAccuracy(inputsOf(members, labels, 'validation', classes), mixture),
    ...(labels.test.length > 0 ? { testAccuracy: ensembleAccuracy(inputsOf(members, labels, 'test', classes), mixture) } : {}),
  };
}

/**
 * The ensemble of the previous members and one candidate, its mixture weights learned on the
 * training examples from 1/N (or, warm-started, from the previous ensemble's weights).
 */
export function fitCandidateEnsemble(
  previous: readonly FrozenMember[],
  previousMixture: Mixture | undefined,
  candidate: FrozenMember,
  labels: SplitLabels,
  classes: number,
  objective: ObjectiveSpec,
): ScoredEnsemble {
  const members = [...previous, candidate];
  const costs = penalties(members.map((m) => m.complexity), objective.lambda, objective.beta);
  const start = initialMixture(members.length, classes, objective, previousMixture);
  const mixture = trainMixture(inputsOf(members, labels, 'train', classes), start, costs, objective);
  return scoreEnsemble(members, mixture, labels, classes, objective);
}

/** What an iteration decides: the candidate that joins (by index), or none when the previous ensemble is better on held-out data. */
export function chooseCandidate(candidates: readonly ScoredEnsemble[], previous: ScoredEnsemble | undefined, forceGrow: boolean): number | undefined {
  if (candidates.length === 0) return undefined;
  const best = candidates.reduce((b, c, i) => (c.heldOut.objective < candidates[b].heldOut.objective ? i : b), 0);
  if (previous && !forceGrow && previous.heldOut.objective <= candidates[best].heldOut.objective) return undefined;
  return best;
}

import type { StrategyDefinition } from '../core/strategy';
import { randomSearch } from './randomSearch';
import { regularizedEvolution } from './regularizedEvolution';

/** Every selectable strategy, in the order the New Experiment wizard lists them. */
export const strategies: readonly StrategyDefinition[] = [randomSearch, regularizedEvolution];

export function findStrategy(type: string): StrategyDefinition | undefined {
  return strategies.find((s) => s.type === type);
}

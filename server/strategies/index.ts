import type { StrategyDefinition } from '../core/strategy';
import { cooperativeCoevolution } from './cooperativeCoevolution';
import { mdenas } from './mdenas';
import { nsga2 } from './nsga2';
import { predictorLocalSearch } from './predictorLocalSearch';
import { randomSearch } from './randomSearch';
import { regularizedEvolution } from './regularizedEvolution';
import { reinforce } from './reinforce';

/** Every selectable strategy, in the order the New Experiment wizard lists them. */
export const strategies: readonly StrategyDefinition[] = [
  randomSearch,
  regularizedEvolution,
  reinforce,
  mdenas,
  predictorLocalSearch,
  nsga2,
  cooperativeCoevolution,
];

import type { EvaluatorDefinition } from '../core/evaluator';
import type { SpaceDefinition } from '../core/searchSpace';
import { strategies } from '../strategies';
import { layersSpace } from '../spaces/layers/layersSpace';
import { trainEvaluator } from '../evaluators/train/trainEvaluator';

/** Every search space a spec can name, by `space.type`. */
export const spaces: readonly SpaceDefinition[] = [layersSpace];

/** Every evaluator a spec can name, by `evaluator.type`. */
export const evaluators: readonly EvaluatorDefinition[] = [trainEvaluator];

export { strategies };

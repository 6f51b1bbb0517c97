import type { EvaluatorDefinition } from '../core/evaluator';
import type { SpaceDefinition } from '../core/searchSpace';
import { strategies } from '../strategies';
import { layersSpace } from '../spaces/layers/layersSpace';
import { trainEvaluator } from '../evaluators/train/trainEvaluator';
import { ofaPredictorEvaluator } from '../evaluators/ofaPredictor/ofaPredictorEvaluator';
import { ofaMbv3Space } from '../spaces/ofa/ofaMbv3Space';
import { nb201SpaceDefinition } from '../spaces/nb201/nb201Space';
import { tabularEvaluator } from '../evaluators/tabular/tabularEvaluator';
import { supernetEvaluator } from '../evaluators/supernet/supernetEvaluator';
import { ofaSmallSpace } from '../supernet/ofaSmallSpace';

/** Every search space a spec can name, by `space.type`. */
export const spaces: readonly SpaceDefinition[] = [layersSpace, ofaMbv3Space, nb201SpaceDefinition, ofaSmallSpace];

/** Every evaluator a spec can name, by `evaluator.type`. */
export const evaluators: readonly EvaluatorDefinition[] = [trainEvaluator, ofaPredictorEvaluator, tabularEvaluator, supernetEvaluator];

export { strategies };

import { SpecError } from '../core/errors';
import { hashString, Rng } from '../core/rng';
import type { SearchSpace } from '../core/searchSpace';
import type { Strategy } from '../core/strategy';
import { trainEvaluator } from '../evaluators/train/trainEvaluator';
import { optionsOf, type Component } from '../experiment/spec';
import { spaces, strategies } from '../experiment/registry';
import type { LayerStackArch } from '../spaces/layers/layerSpec';
import type { EnsembleSpec, SearchGenerator } from './ensembleSpec';
import type { GeneratedCandidate } from './subnetworkGenerator';

/** Spaces whose architectures the training stack builds: the train evaluator's. */
export const TRAINABLE_SPACES: readonly string[] = trainEvaluator.spaces;

/** The generator's search space, its networks taking the spec's input and classes unless its options say otherwise. */
export function generatorSpace(generator: Pick<SearchGenerator, 'space'>, network: EnsembleSpec['network']): SearchSpace {
  const definition = spaces.find((d) => d.type === generator.space.type);
  if (!definition || !TRAINABLE_SPACES.includes(definition.type)) {
    throw new SpecError(`the training stack builds networks of the ${TRAINABLE_SPACES.map((s) => `"${s}"`).join(', ')} space; "${generator.space.type}" is not one`, ['type']);
  }
  const defaults = definition.optionsSchema.properties ?? {};
  return definition.create({ ...('input' in defaults ? { input: network.input } : {}), ...('classes' in defaults ? { classes: network.classes } : {}), ...optionsOf(generator.space) });
}

/** Hidden layers of a layer stack (convolutions and ReLU dense layers): the depth in AdaNet's r(h) = √depth. */
export function hiddenDepth(arch: LayerStackArch): number {
  return arch.layers.filter((l) => l.type === 'conv2d' || (l.type === 'dense' && l.activation === 'relu')).length;
}

/** What proposing needs of an ensemble spec. */
type SearchingSpec = Pick<EnsembleSpec, 'network' | 'seed' | 'maxIterations'> & { readonly generator: SearchGenerator };

/** What the strategy learns of an iteration: each candidate's ensemble score on the held-out examples. */
export interface ToldIteration {
  readonly candidates: readonly { readonly heldOutObjective: number }[];
}

function createStrategy(spec: SearchingSpec, space: SearchSpace): Strategy {
  const { generator } = spec;
  const definition = strategies.find((d) => d.type === generator.strategy.type)!;
  const rng = new Rng(hashString(`${spec.seed}/generator`));
  return definition.create(optionsOf(generator.strategy as Component), { space, rng, budget: spec.maxIterations * generator.candidates, objectiveCount: 1 });
}

/**
 * The candidates of iteration `past.length` proposed by a search strategy over a trainable
 * space (AdaNet's generator is any source of subnetworks): a fresh strategy, seeded by the run,
 * replays the finished iterations (their proposals told the negated held-out objective of the
 * ensemble each candidate would make, so a strategy maximizes what AdaNet selects by), then
 * proposes the next `candidates`. Same seed and same past, same proposals: a resumed run asks
 * for the candidates it asked for before the kill.
 */
export function searchCandidates(spec: SearchingSpec, past: readonly ToldIteration[]): GeneratedCandidate[] {
  const space = generatorSpace(spec.generator, spec.network);
  const strategy = createStrategy(spec, space);
  const { candidates } = spec.generator;
  for (const iteration of past) {
    const asked = Array.from({ length: candidates }, () => strategy.ask());
    asked.forEach((genome, k) => {
      const scored = iteration.candidates[k];
      if (scored) strategy.tell(genome, { objectives: [-scored.heldOutObjective], feasible: true });
    });
  }
  return Array.from({ length: candidates }, () => {
    const arch = space.toArch(strategy.ask()) as LayerStackArch;
    const depth = hiddenDepth(arch);
    return { arch, depth, complexity: Math.sqrt(depth) };
  });
}

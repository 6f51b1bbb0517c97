import type { DatasetSpec } from '../data/datasetSpec';
import { resolveTrainOptions, type TrainOptions } from '../evaluators/train/trainOptions';
import { defaultSpecName, lazyValidator, parseSpecText, type SpecDiagnostic, type ValidationContext, withParseWarnings } from '../experiment/specText';
import { buildEnsembleSchema } from './ensembleSchema';
import type { BlockSpec, BlocksGenerator, EnsembleSpec, SearchGenerator } from './ensembleSpec';
import type { MixtureWeightType } from './mixtureWeights';
import { optionsOf, type Component } from '../experiment/spec';
import { strategies } from '../experiment/registry';
import { generatorSpace, searchCandidates } from './searchGenerator';
import { depthLimit } from './subnetworkGenerator';

/** Spec files of AdaNet ensemble runs. */
export const ENSEMBLE_SPEC_SUFFIX = /\.ensemble\.json$/i;

const schemaValidator = lazyValidator(buildEnsembleSchema);

const DEFAULT_ITERATIONS = 5;

interface RawSpec {
  name?: string;
  description?: string;
  network?: { input?: [number, number, number]; classes?: number };
  dataset?: DatasetSpec;
  training?: Omit<TrainOptions, 'dataset'>;
  generator?: {
    type?: 'blocks' | 'search';
    block?: { type: 'dense'; units?: number } | { type: 'conv'; filters?: number; kernel?: number };
    initialDepth?: number;
    maxDepth?: number;
    dropout?: number;
    space?: Component;
    strategy?: Component;
    candidates?: number;
  };
  objective?: { lambda?: number; beta?: number; mixtureWeights?: MixtureWeightType; learnMixtureWeights?: boolean; useBias?: boolean; warmStart?: boolean; steps?: number; learningRate?: number };
  maxIterations?: number;
  forceGrow?: boolean;
  seed?: number;
}

function resolveBlock(raw: RawSpec['generator']): BlockSpec {
  const block = raw?.block;
  return block?.type === 'conv' ? { type: 'conv', filters: block.filters ?? 16, kernel: block.kernel ?? 3 } : { type: 'dense', units: block?.units ?? 64 };
}

type Anchor = Extract<ReturnType<typeof parseSpecText>, { ok: true }>['anchor'];
type Network = EnsembleSpec['network'];

function blocksGenerator(raw: RawSpec, network: Network, anchor: Anchor, diagnostics: SpecDiagnostic[]): BlocksGenerator {
  const generator = {
    type: 'blocks' as const,
    block: resolveBlock(raw.generator),
    initialDepth: raw.generator?.initialDepth ?? 0,
    maxDepth: raw.generator?.maxDepth ?? 8,
    dropout: raw.generator?.dropout ?? 0,
  };
  for (const option of ['space', 'strategy', 'candidates'] as const) {
    if (raw.generator?.[option] !== undefined) diagnostics.push(anchor.error(`"${option}" belongs to a search generator ("type": "search")`, ['generator', option]));
  }
  const limit = depthLimit({ generator, network });
  if (generator.initialDepth > limit) {
    const why = generator.block.type === 'conv' && limit < generator.maxDepth ? `conv blocks halve the ${network.input[0]}x${network.input[1]} input: at most ${limit} fit` : `maxDepth is ${generator.maxDepth}`;
    diagnostics.push(anchor.error(`initialDepth ${generator.initialDepth} is deeper than any candidate may be (${why})`, ['generator', 'initialDepth']));
  }
  return generator;
}

/**
 * A search generator: a trainable space and a strategy, checked as an experiment checks them,
 * and a first proposal that takes the spec's input and predicts its classes.
 */
function searchGenerator(raw: RawSpec, network: Network, anchor: Anchor, diagnostics: SpecDiagnostic[]): SearchGenerator | undefined {
  const g = raw.generator!;
  for (const option of ['block', 'initialDepth', 'maxDepth', 'dropout'] as const) {
    if (g[option] !== undefined) diagnostics.push(anchor.error(`"${option}" belongs to the blocks generator; a search generator's candidates come from its "space"`, ['generator', option]));
  }
  if (!g.space || !g.strategy) {
    diagnostics.push(anchor.error('a search generator needs a "space" and a "strategy"', ['generator']));
    return undefined;
  }
  const generator: SearchGenerator = { type: 'search', space: g.space, strategy: g.strategy, candidates: g.candidates ?? 2 };
  try {
    const space = generatorSpace(generator, network);
    const budget = (raw.maxIterations ?? DEFAULT_ITERATIONS) * generator.candidates;
    const strategy = strategies.find((d) => d.type === generator.strategy.type)!;
    for (const e of strategy.check?.(optionsOf(generator.strategy), { budget, objectiveCount: 1, space }) ?? []) diagnostics.push(anchor.fromError(e, ['generator', 'strategy'], optionsOf(generator.strategy), '.'));
    const [first] = searchCandidates({ generator, network, seed: raw.seed ?? 0, maxIterations: raw.maxIterations ?? DEFAULT_ITERATIONS }, []);
    const classifier = first.arch.layers.at(-1);
    if (first.arch.input.join('x') !== network.input.join('x') || classifier?.type !== 'dense' || classifier.units !== network.classes) {
      diagnostics.push(anchor.error(`the space's networks take [${first.arch.input.join(', ')}] and predict ${classifier?.type === 'dense' ? classifier.units : '?'} classes, but "network" is [${network.input.join(', ')}] with ${network.classes} classes`, ['generator', 'space']));
    }
  } catch (e) {
    diagnostics.push(anchor.fromError(e, ['generator', 'space'], optionsOf(generator.space), '.'));
  }
  return generator;
}

/** Validates `*.ensemble.json` text: the schema, then a generator whose first candidate fits the input. */
export function validateEnsembleSpecText(text: string, context: ValidationContext): { readonly spec?: EnsembleSpec; readonly diagnostics: readonly SpecDiagnostic[] } {
  const parsed = parseSpecText(text, schemaValidator(), 'an ensemble spec');
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const raw = parsed.value as unknown as RawSpec;
  const network = { input: raw.network?.input ?? ([28, 28, 1] as const), classes: raw.network?.classes ?? 10 };
  const diagnostics: SpecDiagnostic[] = [];
  const generator = raw.generator?.type === 'search' ? searchGenerator(raw, network, parsed.anchor, diagnostics) : blocksGenerator(raw, network, parsed.anchor, diagnostics);
  if (diagnostics.length > 0) return withParseWarnings(parsed, { diagnostics });
  const { dataset, ...training } = resolveTrainOptions({ ...raw.training, dataset: raw.dataset });
  const o = raw.objective ?? {};
  return withParseWarnings(parsed, {
    diagnostics,
    spec: {
      name: defaultSpecName(raw.name, context.file, ENSEMBLE_SPEC_SUFFIX, 'ensemble'),
      ...(raw.description !== undefined ? { description: raw.description } : {}),
      network,
      dataset,
      training,
      generator: generator!,
      objective: {
        lambda: o.lambda ?? 0,
        beta: o.beta ?? 0,
        type: o.mixtureWeights ?? 'scalar',
        learn: o.learnMixtureWeights ?? true,
        useBias: o.useBias ?? false,
        warmStart: o.warmStart ?? false,
        steps: o.steps ?? 300,
        learningRate: o.learningRate ?? 0.01,
      },
      maxIterations: raw.maxIterations ?? DEFAULT_ITERATIONS,
      forceGrow: raw.forceGrow ?? false,
      seed: raw.seed ?? 0,
    },
  });
}

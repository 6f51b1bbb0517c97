import type { DatasetSpec } from '../data/datasetSpec';
import { resolveTrainOptions, type TrainOptions } from '../evaluators/train/trainOptions';
import { defaultSpecName, lazyValidator, parseSpecText, type SpecDiagnostic, type ValidationContext, withParseWarnings } from '../experiment/specText';
import { buildEnsembleSchema } from './ensembleSchema';
import type { BlockSpec, EnsembleSpec } from './ensembleSpec';
import type { MixtureWeightType } from './mixtureWeights';
import { depthLimit } from './subnetworkGenerator';

/** Spec files of AdaNet ensemble runs. */
export const ENSEMBLE_SPEC_SUFFIX = /\.ensemble\.json$/i;

const schemaValidator = lazyValidator(buildEnsembleSchema);

interface RawSpec {
  name?: string;
  description?: string;
  network?: { input?: [number, number, number]; classes?: number };
  dataset?: DatasetSpec;
  training?: Omit<TrainOptions, 'dataset'>;
  generator?: { block?: { type: 'dense'; units?: number } | { type: 'conv'; filters?: number; kernel?: number }; initialDepth?: number; maxDepth?: number; dropout?: number };
  objective?: { lambda?: number; beta?: number; mixtureWeights?: MixtureWeightType; learnMixtureWeights?: boolean; useBias?: boolean; warmStart?: boolean; steps?: number; learningRate?: number };
  maxIterations?: number;
  forceGrow?: boolean;
  seed?: number;
}

function resolveBlock(raw: RawSpec['generator']): BlockSpec {
  const block = raw?.block;
  return block?.type === 'conv' ? { type: 'conv', filters: block.filters ?? 16, kernel: block.kernel ?? 3 } : { type: 'dense', units: block?.units ?? 64 };
}

/** Validates `*.ensemble.json` text: the schema, then a generator whose first candidate fits the input. */
export function validateEnsembleSpecText(text: string, context: ValidationContext): { readonly spec?: EnsembleSpec; readonly diagnostics: readonly SpecDiagnostic[] } {
  const parsed = parseSpecText(text, schemaValidator(), 'an ensemble spec');
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const raw = parsed.value as unknown as RawSpec;
  const network = { input: raw.network?.input ?? ([28, 28, 1] as const), classes: raw.network?.classes ?? 10 };
  const generator = {
    type: 'blocks' as const,
    block: resolveBlock(raw.generator),
    initialDepth: raw.generator?.initialDepth ?? 0,
    maxDepth: raw.generator?.maxDepth ?? 8,
    dropout: raw.generator?.dropout ?? 0,
  };
  const diagnostics: SpecDiagnostic[] = [];
  const limit = depthLimit({ generator, network });
  if (generator.initialDepth > limit) {
    const why = generator.block.type === 'conv' && limit < generator.maxDepth ? `conv blocks halve the ${network.input[0]}x${network.input[1]} input: at most ${limit} fit` : `maxDepth is ${generator.maxDepth}`;
    diagnostics.push(parsed.anchor.error(`initialDepth ${generator.initialDepth} is deeper than any candidate may be (${why})`, ['generator', 'initialDepth']));
  }
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
      generator,
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
      maxIterations: raw.maxIterations ?? 5,
      forceGrow: raw.forceGrow ?? false,
      seed: raw.seed ?? 0,
    },
  });
}

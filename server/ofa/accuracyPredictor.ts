import type { Genome } from '../core/searchSpace';
import { DataError } from '../core/errors';
import { Rng } from '../core/rng';
import { FEATURE_SIZE, R_INDEX, type OfaMbv3Space } from '../spaces/ofa/ofaMbv3Space';
import type { Mlp } from './mlp';
import { loadPredictor } from './predictorFile';

/** Random sub-networks a loaded predictor is tried on, besides the smallest and largest per resolution. */
const PLAUSIBILITY_SAMPLES = 64;

/**
 * Predicted top-1 accuracy (a fraction) of OFA MobileNetV3 sub-networks: an MLP over OFA's
 * 128-d architecture encoding, either OFA's released predictor or one trained by NAS Studio.
 */
export class AccuracyPredictor {
  constructor(
    readonly mlp: Mlp,
    readonly space: OfaMbv3Space,
    readonly source = 'predictor',
  ) {
    if (mlp.inputSize !== FEATURE_SIZE || mlp.outputSize !== 1) {
      throw new DataError(
        `an OFA MobileNetV3 accuracy predictor maps ${FEATURE_SIZE} features to 1 value; this one maps ${mlp.inputSize} to ${mlp.outputSize}`,
        source,
      );
    }
  }

  /** Loads weights and checks they predict accuracies (see `checkPredictsFractions`). */
  static async load(file: string, space: OfaMbv3Space): Promise<AccuracyPredictor> {
    const predictor = new AccuracyPredictor(await loadPredictor(file), space, file);
    predictor.checkPredictsFractions();
    return predictor;
  }

  predict(genome: Genome): number {
    return this.mlp.predictOne(this.space.encode(genome));
  }

  predictMany(genomes: readonly Genome[]): Float64Array {
    const out = new Float64Array(genomes.length);
    for (let i = 0; i < genomes.length; i++) out[i] = this.mlp.predictOne(this.space.encode(genomes[i]));
    return out;
  }

  /**
   * Well-formed weights can still be no accuracy predictor (another model's, percent outputs, a
   * diverged training): searching with them would report 8.7e305 or -3 as accuracies. A predictor
   * must give a fraction in [0, 1] for the smallest and the largest sub-network at every
   * resolution of the space and for a fixed sample of others.
   */
  private checkPredictsFractions(): void {
    const { space } = this;
    const probes: Genome[] = space.resolutions.flatMap((_, r) => [
      space.decisions.map((_d, i) => (i === R_INDEX ? r : 0)),
      space.decisions.map((d, i) => (i === R_INDEX ? r : d.choices.length - 1)),
    ]);
    const rng = new Rng('accuracy predictor check');
    for (let i = 0; i < PLAUSIBILITY_SAMPLES; i++) probes.push(space.sample(rng));
    for (const genome of probes) {
      const accuracy = this.predict(genome);
      if (accuracy >= 0 && accuracy <= 1) continue;
      const percentHint = accuracy >= 2 && accuracy <= 100 ? ' (a percentage? the weights must predict fractions, 0.8 for 80 %)' : '';
      throw new DataError(
        `not an accuracy predictor: it predicts ${accuracy} for the sub-network ${space.describe(genome)}, ` +
          `but accuracies are fractions in [0, 1]${percentHint}; use weights trained to predict top-1 accuracy, like OFA's acc_predictor.json`,
        this.source,
      );
    }
  }
}

import type { Genome } from '../core/searchSpace';
import { DataError } from '../core/errors';
import { FEATURE_SIZE, type OfaMbv3Space } from '../spaces/ofa/ofaMbv3Space';
import type { Mlp } from './mlp';
import { loadPredictor } from './predictorFile';

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

  static async load(file: string, space: OfaMbv3Space): Promise<AccuracyPredictor> {
    return new AccuracyPredictor(await loadPredictor(file), space, file);
  }

  predict(genome: Genome): number {
    return this.mlp.predictOne(this.space.encode(genome));
  }

  predictMany(genomes: readonly Genome[]): Float64Array {
    const out = new Float64Array(genomes.length);
    for (let i = 0; i < genomes.length; i++) out[i] = this.mlp.predictOne(this.space.encode(genomes[i]));
    return out;
  }
}

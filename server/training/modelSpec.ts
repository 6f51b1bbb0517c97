import type { TrainableModel } from './model';
import { MobileNet, type MobileNetConfig } from './mobileNet';

/**
 * A serialisable description of a network and its initial weights (by seed): what a training
 * worker thread needs to build an identical replica.
 */
export interface ModelSpec {
  kind: 'mobilenet';
  config: MobileNetConfig;
  seed: number;
}

export interface DisposableModel extends TrainableModel {
  dispose(): void;
}

export function buildModel(spec: ModelSpec): DisposableModel {
  switch (spec.kind) {
    case 'mobilenet':
      return new MobileNet(spec.config, spec.seed);
  }
}

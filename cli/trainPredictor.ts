import { parseArgs } from 'node:util';
import { loadTrainingSamples, trainPredictor } from '../server/ofa/predictorTraining';
import { savePredictor } from '../server/ofa/predictorFile';
import { OfaMbv3Space } from '../server/spaces/ofa/ofaMbv3Space';
import { type CommandIo, UsageError, parseInteger, parseNumberList, processIo, guardCommand } from './commandSupport';

export const TRAIN_PREDICTOR_USAGE = `usage: nas-studio train-predictor --samples FILE --out FILE [--hidden 400,400,400] [--epochs 100]
                                   [--batch-size 64] [--learning-rate 0.001] [--held-out 0.2]
                                   [--resolutions 160,176,192,208,224] [--seed N] [--json]
  Trains an OFA MobileNetV3 accuracy predictor on measured (architecture, accuracy) samples
  (a JSON array or JSON lines of {ks, e, d, r, accuracy}) and writes it in the
  acc_predictor.json format for specialize --predictor. Reports held-out rank correlation.`;

/** `nas-studio train-predictor ...`; returns the process exit code. */
export async function trainPredictorCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, TRAIN_PREDICTOR_USAGE, async (signal) => {
    const { values } = parseArgs({
      args: argv,
      options: {
        samples: { type: 'string' },
        out: { type: 'string' },
        hidden: { type: 'string', default: '400,400,400' },
        epochs: { type: 'string' },
        'batch-size': { type: 'string' },
        'learning-rate': { type: 'string' },
        'held-out': { type: 'string' },
        resolutions: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (!values.samples || !values.out) throw new UsageError('--samples FILE and --out FILE are required');
    const hidden = parseNumberList(values.hidden, 'hidden');
    if (hidden.some((h) => !Number.isInteger(h) || h < 1)) throw new UsageError('--hidden must list positive integer layer widths');
    const learningRate = values['learning-rate'] === undefined ? undefined : Number(values['learning-rate']);
    if (learningRate !== undefined && !(learningRate > 0)) throw new UsageError('--learning-rate must be a positive number');
    const heldOutFraction = values['held-out'] === undefined ? undefined : Number(values['held-out']);
    const space = new OfaMbv3Space(values.resolutions ? { resolutions: parseNumberList(values.resolutions, 'resolutions') } : {});
    const samples = await loadTrainingSamples(values.samples, space);
    const result = await trainPredictor(space, samples, {
      hidden,
      signal,
      ...definedOnly({
        epochs: parseInteger(values.epochs, 'epochs', 1),
        batchSize: parseInteger(values['batch-size'], 'batch-size', 1),
        learningRate,
        heldOutFraction,
        seed: parseInteger(values.seed, 'seed', 0),
      }),
    });
    const { heldOut } = result;
    await savePredictor(result.mlp, values.out, `NAS Studio predictor trained on ${result.trainCount} samples of ${values.samples}; held-out Spearman ${heldOut.spearman.toFixed(4)}`);
    const say = values.json ? io.err : io.out;
    say(`trained ${result.mlp.sizes.join('-')} on ${result.trainCount} samples (train RMSE ${result.train.rmse.toFixed(5)})`);
    say(`held out ${heldOut.count}: Spearman ${heldOut.spearman.toFixed(4)}, Kendall ${heldOut.kendall.toFixed(4)}, RMSE ${heldOut.rmse.toFixed(5)}`);
    say(`wrote ${values.out}`);
    if (values.json) io.out(JSON.stringify({ out: values.out, sizes: result.mlp.sizes, trainCount: result.trainCount, train: result.train, heldOut }));
  });
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

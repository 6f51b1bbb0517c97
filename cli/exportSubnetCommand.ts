import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SpecError } from '../server/core/errors';
import { archOption } from './archOption';
import { formatPath } from '../server/experiment/specText';
import { initBackend } from '../server/runtime/backend';
import { exportSubnetModel } from '../server/supernet/subnetModelExport';
import type { SubnetArch } from '../server/supernet/ofaSmallConfig';
import { resolveSubnet } from '../server/supernet/subnetChoice';
import type { SupernetSpec } from '../server/supernet/supernetSpec';
import { openTrainedSupernet } from '../server/supernet/trainedSupernet';
import { backendOption, type CommandIo, guardCommand, processIo, UsageError } from './commandSupport';
import { openRuns, rootOption } from './root';
import { formatPercent } from '../contract/format';

export const EXPORT_SUBNET_USAGE = `usage: nas-studio export-subnet RUN --arch largest|smallest|JSON|FILE --out DIR [--root DIR]
                                 [--backend auto|wasm|cpu|tensorflow] [--json]
  Extracts a sub-network of a trained supernet (RUN: run id or folder) as a TF.js Layers model
  (DIR/model.json + weights.bin, loadable with tf.loadLayersModel) with DIR/subnet.json. The
  architecture is {"ks": [...], "e": [...], "d": [...], "r": N} as JSON text or a file (e.g. a search's
  exports/best.arch.json). Batch norms are recalibrated first; prints validation accuracy, params,
  FLOPs and batch-1 latency, and checks that the reloaded files predict what the supernet predicts.`;

/** The architecture named by --arch, checked against the supernet's choices. */
function parseArch(value: string, spec: SupernetSpec): SubnetArch {
  try {
    return resolveSubnet(archOption(value), spec.supernet);
  } catch (e) {
    if (e instanceof SpecError) throw new UsageError(`--arch ${formatPath(e.path)}: ${e.message}`);
    throw e;
  }
}

/** `nas-studio export-subnet RUN --arch ... --out DIR`. */
export async function exportSubnetCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, EXPORT_SUBNET_USAGE, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...rootOption, arch: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new UsageError('expected one supernet run id or folder');
    if (!values.arch || !values.out) throw new UsageError('--arch and --out DIR are required');
    const preference = backendOption(values.backend);
    const location = openRuns(values.root).find(positionals[0]);
    if (location.layout !== 'folder') throw new UsageError(`${positionals[0]} is not a supernet training run`);
    const trained = openTrainedSupernet(location.folder.dir);
    const arch = parseArch(values.arch, trained.spec);
    const backend = await initBackend(trained.spec.training.backend === 'auto' ? preference : trained.spec.training.backend);
    const result = await exportSubnetModel(trained, arch, resolve(values.out), backend);
    const say = values.json ? io.err : io.out;
    say(`${result.description}: val accuracy ${formatPercent(result.valAccuracy)}, ${result.params.toLocaleString('en-US')} params, ${(result.flops / 1e6).toFixed(2)} MFLOPs, ${result.latencyMs.toFixed(2)} ms per image (batch 1, ${backend.detail})`);
    say(`reloaded ${result.modelJson}: max |logit difference| from the supernet ${result.reloadMaxDifference.toExponential(2)}`);
    say(`wrote ${result.dir}`);
    if (values.json) io.out(JSON.stringify(result));
  });
}

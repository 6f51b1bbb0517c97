import { resolve } from 'node:path';
import { NasError, SpecError } from '../core/errors';
import { formatPath } from '../experiment/specText';
import type { SubnetChoice, SubnetExport } from '../../contract/protocol';
import { WorkerPool } from '../runtime/workerPool';
import type { RunFolder } from '../store/runFolder';
import type { SubnetExportJob } from './subnetModelExport';
import { resolveSubnet } from './subnetChoice';
import { openTrainedSupernet } from './trainedSupernet';

/**
 * Exports a sub-network of a trained supernet run from the engine: the architecture is checked
 * here, the TensorFlow.js work runs in a worker thread of its own (so the engine keeps answering),
 * and aborting terminates that worker.
 */
export async function exportSubnetInWorker(folder: RunFolder, choice: SubnetChoice, outDir: string, signal: AbortSignal, log: (message: string) => void): Promise<SubnetExport> {
  const trained = openTrainedSupernet(folder.dir);
  let arch;
  try {
    arch = resolveSubnet(choice, trained.spec.supernet);
  } catch (e) {
    if (e instanceof SpecError) throw new NasError('invalid-request', `arch ${formatPath(e.path)}: ${e.message}`);
    throw e;
  }
  const pool = new WorkerPool<SubnetExportJob, SubnetExport>('subnetExportWorker', 1, log);
  try {
    return await pool.run({ run: folder.dir, arch, out: resolve(outDir), backend: trained.spec.training.backend }, { signal });
  } finally {
    await pool.close();
  }
}

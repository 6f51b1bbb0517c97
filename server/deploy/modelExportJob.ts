import type { BackendChoice } from '../../contract/backends';
import type { ExportModelParams, ModelExport } from '../../contract/modelExport';
import { RunService } from '../runs/runService';
import { exportModel } from './exportModel';
import { openExportSource } from './exportSources';

/** An export for a worker thread (`modelExportWorker`): the runs' root, the backend and the request. */
export interface ModelExportJob {
  readonly root: string;
  readonly backend: BackendChoice;
  readonly params: ExportModelParams;
}

/** Opens the trial or sub-network the request names and exports it (default folder: the run's exports/<model>-<format>). */
export async function runModelExportJob(job: ModelExportJob): Promise<ModelExport> {
  const { params } = job;
  const source = await openExportSource(new RunService(job.root), {
    model: params.id,
    ...(params.trial !== undefined ? { trial: params.trial } : {}),
    ...(params.arch !== undefined ? { arch: params.arch } : {}),
  });
  try {
    return await exportModel(source.model, params.format, params.outDir ?? `${source.defaultOut}-${params.format}`, source.about, source.quantized);
  } finally {
    source.model.dispose();
  }
}


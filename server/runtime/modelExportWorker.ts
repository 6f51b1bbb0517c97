/** Worker-thread entry point that exports trained models for the engine (nas/exportModel). */
import type { ModelExport } from '../../contract/modelExport';
import { runModelExportJob, type ModelExportJob } from '../deploy/modelExportJob';
import { servePoolJobs } from './poolWorker';

servePoolJobs<ModelExportJob, ModelExport>((job) => job.backend, runModelExportJob);

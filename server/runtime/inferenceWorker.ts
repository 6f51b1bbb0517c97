/** Worker-thread entry point of parallel inference (server/inference/parallelInference.ts): one shard of a batch per job. */
import { runInferenceJob, type InferenceJob } from '../inference/inferenceJob';
import { servePoolJobs } from './poolWorker';

servePoolJobs<InferenceJob, Float32Array>((job) => job.backend, runInferenceJob);

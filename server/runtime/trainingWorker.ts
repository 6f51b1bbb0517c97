/**
 * Worker-thread entry point that trains architectures (one job at a time), so training
 * never blocks the engine's message loop and several architectures train in parallel.
 */
import type { Metrics } from '../../contract/metrics';
import { runTrainJob, type TrainJob } from '../evaluators/train/trainJob';
import { servePoolJobs } from './poolWorker';

servePoolJobs<TrainJob, Metrics>((job) => job.options.backend, runTrainJob);

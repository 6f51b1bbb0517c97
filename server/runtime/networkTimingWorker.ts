/**
 * Worker-thread entry point that times whole networks of a ProxylessNAS space at batch 1, in
 * interleaved rounds, on a thread that trains nothing (the derived network against reference
 * networks, server/proxyless/relativeLatency.ts).
 */
import { measureNetworks, type NetworkTimingJob } from '../proxyless/latencyValidation';
import { servePoolJobs } from './poolWorker';

servePoolJobs<NetworkTimingJob, number[]>((job) => job.backend, async (job) => measureNetworks(job.archs, job.repeats));

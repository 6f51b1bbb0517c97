/**
 * Worker-thread entry point of AdaNet ensemble runs: trains candidate subnetworks (keeping their
 * models and logits), fits and scores an iteration's candidate ensembles, exports the ensemble.
 */
import { backendOf, runEnsembleJob, type EnsembleJob } from '../ensemble/ensembleJobs';
import { servePoolJobs } from './poolWorker';

servePoolJobs<EnsembleJob, Awaited<ReturnType<typeof runEnsembleJob>>>(backendOf, runEnsembleJob);

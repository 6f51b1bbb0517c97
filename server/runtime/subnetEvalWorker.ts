/** Worker-thread entry point that evaluates sub-networks of a trained supernet (the `supernet` evaluator). */
import type { Metrics } from '../../contract/metrics';
import { runSubnetEvalJob, type SubnetEvalJob } from '../evaluators/supernet/subnetEvalJob';
import { servePoolJobs } from './poolWorker';

servePoolJobs<SubnetEvalJob, Metrics>((job) => job.options.backend, runSubnetEvalJob);

/**
 * Worker-thread entry point of quantization runs: holds one run's session (model, data, agent)
 * across its jobs, so scoring policies and training the agent never block the engine.
 */
import { NasError } from '../core/errors';
import type { QuantizationJob, QuantizationReply } from '../quantize/quantizationJobs';
import { QuantizationSession } from '../quantize/quantizationSession';
import { servePoolJobs } from './poolWorker';

let session: QuantizationSession | undefined;

function open(): QuantizationSession {
  if (!session) throw new NasError('internal', 'the quantization worker got a job before "open"');
  return session;
}

servePoolJobs<QuantizationJob, QuantizationReply>(
  (job) => (job.type !== 'open' ? 'auto' : job.spec.backend === 'auto' ? job.backend : job.spec.backend),
  async (job, hooks) => {
    switch (job.type) {
      case 'open': {
        session?.dispose();
        session = undefined;
        const opened = await QuantizationSession.open(job, hooks);
        session = opened.session;
        return opened.reply;
      }
      case 'baseline':
        return open().baseline(job.weight, job.activation);
      case 'episode':
        return open().episode(job.episode);
      case 'finish':
        return open().finish(job.episode, job.policy, job.exports);
    }
  },
);

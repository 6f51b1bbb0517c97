import * as tf from '@tensorflow/tfjs';
import { measureLatency } from '../../evaluators/measureLatency';
import { measureLayers, lutLayers } from '../../ofa/lutMeasurement';
import { measureNetwork } from '../../ofa/latencyValidation';
import { initBackend } from '../backend';
import type { BackendChoice } from '../../../contract/backends';
import type { LatencyJob, LatencyResult } from './queueProtocol';

/** What a device worker measures for a latency job, on this machine's TensorFlow.js backend. */
export async function runLatencyJob(
  job: LatencyJob,
  context: { readonly backend: BackendChoice; readonly signal: AbortSignal; readonly worker: string; readonly device: string; progress(fraction: number, message: string): void },
): Promise<LatencyResult> {
  const backend = (await initBackend(context.backend)).detail;
  const who = { backend, worker: context.worker, device: context.device };
  switch (job.kind) {
    case 'table': {
      const tables: [number, [string, { mean: number; std?: number; count?: number }][]][] = [];
      for (const [k, r] of job.resolutions.entries()) {
        const entries = await measureLayers(lutLayers(r), {
          repeats: job.repeats,
          warmup: job.warmup,
          signal: context.signal,
          progress: (done, total, key) => context.progress((k + done / total) / job.resolutions.length, `r${r} ${done}/${total} ${key}`),
        });
        tables.push([r, [...entries]]);
      }
      return { ...who, tables };
    }
    case 'ofa-network':
      return { ...who, ms: measureNetwork(job.arch, { repeats: job.repeats, warmup: job.warmup }) };
    case 'model': {
      const model = await tf.models.modelFromJSON({ modelTopology: job.topology } as tf.io.ModelJSON);
      try {
        return { ...who, ms: measureLatency(model, job.inputShape as [number, number, number], job.repeats) };
      } finally {
        model.dispose();
      }
    }
  }
}

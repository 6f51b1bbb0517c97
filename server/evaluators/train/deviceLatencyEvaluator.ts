import type { Metrics } from '../../../contract/metrics';
import type { EvaluationContext, Evaluator } from '../../core/evaluator';
import type { Genome, SearchSpace } from '../../core/searchSpace';
import { DeviceLatency, type DeviceSettings } from '../../runtime/queue/deviceLatency';
import type { LayerStackArch } from '../../spaces/layers/layerSpec';
import { buildLayerStackModel } from './buildModel';

/** The architecture's TF.js model topology (model.json's modelTopology): all a device needs to time it. */
function topologyOf(arch: LayerStackArch): unknown {
  const model = buildLayerStackModel(arch, 1);
  try {
    return model.toJSON(null, false);
  } finally {
    model.dispose();
  }
}

/**
 * A `train` evaluator whose latency_ms comes from a target device (spec `"latency": {"device"}`):
 * after each trial trains here (or on queue workers), the device's own workers time the
 * architecture at batch 1 with random weights (latency does not depend on their values).
 */
export async function withDeviceLatency(
  inner: Evaluator,
  settings: DeviceSettings & { readonly repeats: number; readonly run: string },
  space: SearchSpace,
  log: (message: string) => void,
): Promise<Evaluator> {
  let device: DeviceLatency;
  try {
    device = await DeviceLatency.open(settings, log);
  } catch (e) {
    await inner.dispose();
    throw e;
  }
  log(`latency_ms is measured on device "${settings.device}" (its workers' queue on ${settings.redis})`);
  return {
    metrics: inner.metrics,
    concurrency: inner.concurrency,
    async evaluate(genome: Genome, context: EvaluationContext): Promise<Metrics> {
      const metrics = await inner.evaluate(genome, context);
      const arch = space.toArch(genome) as LayerStackArch;
      const result = await device.measure(
        { kind: 'model', topology: topologyOf(arch), inputShape: [...arch.input], repeats: settings.repeats },
        { label: `trial ${context.trial}`, key: `${settings.run}-t${context.trial}-latency`, signal: context.signal, log: (m) => context.log(m) },
      );
      context.log(`latency ${result.ms!.toFixed(2)} ms on device ${result.device} (${result.worker}, ${result.backend})`);
      return { ...metrics, latency_ms: result.ms! };
    },
    async dispose() {
      await inner.dispose();
      await device.dispose();
    },
  };
}

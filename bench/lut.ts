// Fidelity of a measured latency table against whole networks measured end to end (issue 16):
// measures an OFA MobileNetV3 table on this machine (`nas-studio lut`), then N random sub-networks
// end to end on the same backend, and compares: share within ±10 % and mean absolute percentage
// error, for the table's plain sums and with the learned correction (5-fold cross-validated).
// Each network's own layers are timed in the same rounds as the network (the same-moment layer
// sums), which separates what is not additive from what the machine's load changed meanwhile.
//
// Usage: npm run bench:lut [-- --json] [--networks 100] [--resolutions 160,192,224] [--repeats 20]
//        [--warmup 5] [--seed 0] [--lut DIR (skip measuring the table)] [--backend wasm]
// The last line with --json: {"networks": N, "within_10pct": F, "mape": F} (the corrected figures).
import { mkdtempSync } from 'node:fs';
import { loadavg, availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendChoice } from '../contract/backends';
import { tableTerms } from '../server/ofa/latencyCorrection';
import { LatencyTable } from '../server/ofa/latencyTable';
import { randomNetworks, validateNetworks } from '../server/ofa/latencyValidation';
import { measureLatencyTables } from '../server/ofa/lutMeasurement';
import { initBackend } from '../server/runtime/backend';
import { json, log, option } from './benchArgs';

async function main(): Promise<void> {
  const networks = Number(option('networks', '100'));
  const resolutions = option('resolutions', '160,192,224').split(',').map(Number);
  const timing = { repeats: Number(option('repeats', '20')), warmup: Number(option('warmup', '5')) };
  const backend = option('backend', 'wasm') as BackendChoice;
  const loadBefore = loadavg()[0];
  const info = await initBackend(backend);
  let dir = option('lut', '');
  const started = performance.now();
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'nas-bench-lut-'));
    const m = await measureLatencyTables(dir, resolutions, { backend, ...timing });
    log(`table: ${m.entries} layers at ${resolutions.join(', ')} measured in ${((performance.now() - started) / 1000).toFixed(1)} s (${dir})`);
  }
  const table = await LatencyTable.load(dir, resolutions);
  const archs = randomNetworks(networks, Number(option('seed', '0')), resolutions);
  const report = await validateNetworks(archs, (arch) => tableTerms(arch, (r, key) => table.query(r, key)), {
    ...timing,
    progress: (done, n) => {
      log(`${done}/${networks} r${n.arch.r}: table ${n.predicted.toFixed(2)} ms, layers now ${n.layerSum?.toFixed(2)} ms, measured ${n.measured.toFixed(2)} ms, load ${loadavg()[0].toFixed(1)}`);
    },
  });
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`.padStart(9);
  log('');
  log(`${networks} random OFA MobileNetV3 sub-networks, batch 1, ${info.detail}`);
  log(`${'predictor'.padEnd(36)} ${'within ±10 %'.padStart(13)} ${'MAPE'.padStart(9)}`);
  log(`${'table sums'.padEnd(36)} ${pct(report.raw.within10).padStart(13)} ${pct(report.raw.mape)}`);
  if (report.layerSums) log(`${'same-moment layer sums'.padEnd(36)} ${pct(report.layerSums.within10).padStart(13)} ${pct(report.layerSums.mape)}`);
  log(`${'learned correction (5-fold CV)'.padEnd(36)} ${pct(report.corrected.within10).padStart(13)} ${pct(report.corrected.mape)}`);
  const c = report.correction;
  log(`correction: ${c.intercept.toFixed(3)} ms + ${c.fixedScale.toFixed(3)} x fixed layers + ${c.blockScale.toFixed(3)} x blocks + ${c.blockOverhead.toFixed(3)} ms per block`);
  const load = Math.max(loadBefore, loadavg()[0]);
  log(`load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after, on ${availableParallelism()} cores${load > 1.5 ? ': other jobs share the machine; end-to-end timings are noisy' : ''}; ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
  if (json) console.log(JSON.stringify({ networks, within_10pct: report.corrected.within10, mape: report.corrected.mape }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

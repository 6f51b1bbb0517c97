import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_CHOICES, isBackendChoice, type BackendChoice } from '../contract/backends';
import { tableFidelityLine } from '../contract/runText';
import { initBackend } from '../server/runtime/backend';
import { InvalidSpecError } from '../server/runs/runService';
import { measureSupernetLayers, writeSupernetTable } from '../server/proxyless/latencyTable';
import { loadLatencyModel } from '../server/proxyless/latencyModel';
import { fitAndValidate, writeProxylessCorrection } from '../server/proxyless/latencyCorrection';
import { measuredNetworks, measureNetworks, randomChoices } from '../server/proxyless/latencyValidation';
import { archOfChoices } from '../server/proxyless/proxylessArch';
import { mixedBlocks } from '../server/proxyless/proxylessSpace';
import { MIN_CORRECTION_NETWORKS } from '../server/proxyless/proxylessSpec';
import { validateProxylessSpecText } from '../server/proxyless/validateProxyless';
import { CORRECTION_FILE, tableTerms, writeCorrectionFile } from '../server/ofa/latencyCorrection';
import { LatencyTable, writeLut } from '../server/ofa/latencyTable';
import { NasError } from '../server/core/errors';
import { checkDeviceName, DeviceLatency } from '../server/runtime/queue/deviceLatency';
import { DEFAULT_QUEUE } from '../server/runtime/queue/queueProtocol';
import { RedisConfigError } from '../server/runtime/queue/redisUrl';
import { randomNetworks, validateNetworks, validationFile } from '../server/ofa/latencyValidation';
import { measureLatencyTables, measurementNote } from '../server/ofa/lutMeasurement';
import { LATENCY_QUANTILE } from '../server/ofa/robustLatency';
import { DEFAULT_RESOLUTIONS } from '../server/spaces/ofa/mbv3Network';
import { writeFileAtomic } from '../server/store/atomicFile';
import { type CommandIo, UsageError, parseInteger, parseNumberList, processIo, guardCommand, readSpecFile } from './commandSupport';

export const LUT_USAGE = `usage: nas-studio lut --out DIR [--resolutions 160,176,192,208,224 | 160:224:4]
                       [--proxyless SPEC [--validate N]] [--repeats 20] [--warmup 5] [--backend auto|tensorflow|wasm|cpu]
                       [--device NAME --redis URL [--queue NAME]]
       nas-studio lut --validate N --lut DIR [--out DIR] [--resolutions ...] [--seed S]
                       [--repeats 20] [--warmup 5] [--backend ...] [--device NAME --redis URL] [--json]
  Measures every distinct OFA MobileNetV3 layer on this machine with TensorFlow.js and writes
  <resolution>_lookup_table.yaml files in OFA's format, usable with specialize --lut DIR.
  --proxyless SPEC: the layers of a *.proxyless.json spec's supernet instead (one table, for the
  input size), for its "latency": {"table": DIR} when the search runs on another machine. With
  --validate N (at least ${MIN_CORRECTION_NETWORKS}), N random networks of its space are then measured end to end as the
  search measures its derived network, and the correction learned from them is written into the
  table folder (--out, or --lut DIR for a table measured before), which searches then use.
  With --validate N: measures N random whole sub-networks end to end on the same backend and
  compares each with the table's prediction (share within ±10 %, mean absolute percentage error),
  learns a correction of the table's sums (nn-Meter style: fixed layers, blocks, per-block
  overhead; figures cross-validated) and writes validation.json and ${CORRECTION_FILE} into
  --out (default: the table folder, whose predictions then use the correction).
  With --device NAME the measuring is done by \`nas-studio worker --redis URL --device NAME\` on that
  device (a laptop, a Raspberry Pi) through the BullMQ queue on Redis, not on this machine.`;

const PROGRESS_EVERY = 24;
const percent = (v: number) => `${(v * 100).toFixed(1)} %`;

/** `nas-studio lut ...`; returns the process exit code. */
export async function lutCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, LUT_USAGE, async (signal) => {
    const { values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        lut: { type: 'string' },
        proxyless: { type: 'string' },
        validate: { type: 'string' },
        seed: { type: 'string' },
        resolutions: { type: 'string' },
        repeats: { type: 'string' },
        warmup: { type: 'string' },
        backend: { type: 'string', default: 'auto' },
        json: { type: 'boolean', default: false },
        device: { type: 'string' },
        redis: { type: 'string' },
        queue: { type: 'string', default: DEFAULT_QUEUE },
      },
    });
    if ((values.device === undefined) !== (values.redis === undefined)) throw new UsageError('--device NAME and --redis URL go together: the device\'s workers take jobs from that Redis');
    let device: DeviceLatency | undefined;
    try {
      if (values.device !== undefined) {
        try {
          checkDeviceName(values.device);
          device = await DeviceLatency.open({ redis: values.redis!, queue: values.queue, device: values.device }, (m) => io.err(m));
        } catch (e) {
          if (e instanceof RedisConfigError) throw new UsageError(`--redis: ${e.message}`);
          if (e instanceof NasError && e.code === 'invalid-request') throw new UsageError(`--device: ${e.message}`);
          throw e;
        }
      }
      return await lutWork(values, io, signal, device);
    } finally {
      await device?.dispose();
    }
  });
}

type LutValues = { out?: string; lut?: string; proxyless?: string; validate?: string; seed?: string; resolutions?: string; repeats?: string; warmup?: string; backend: string; json: boolean };

async function lutWork(values: LutValues, io: CommandIo, signal: AbortSignal, device: DeviceLatency | undefined): Promise<void> {
  const backend = values.backend;
  if (!isBackendChoice(backend)) throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}`);
  const resolutions = values.resolutions ? parseNumberList(values.resolutions, 'resolutions') : undefined;
  if (resolutions?.some((r) => !Number.isInteger(r) || r < 32)) throw new UsageError('--resolutions must be integers >= 32');
  const timing = { repeats: parseInteger(values.repeats, 'repeats', 1), warmup: parseInteger(values.warmup, 'warmup', 0) };
  const started = performance.now();
  if (values.proxyless) return proxylessTable(values, io, signal, device, timing, resolutions);
  if (values.validate !== undefined) {
    const count = parseInteger(values.validate, 'validate', 2)!;
    if (!values.lut) throw new UsageError('--validate needs the table to check: --lut DIR');
    const table = await LatencyTable.load(resolve(values.lut), resolutions);
    const seed = parseInteger(values.seed, 'seed', 0) ?? 0;
    const archs = randomNetworks(count, seed, table.resolutions);
    let where = device ? `device ${device.device}` : (await initBackend(backend)).detail;
    const report = await validateNetworks(archs, (arch) => tableTerms(arch, (r, key) => table.query(r, key)), {
      ...timing,
      signal,
      ...(device
        ? {
            measure: async (arch, index) => {
              const result = await device.measure({ kind: 'ofa-network', arch, ...timing }, { label: `network ${index}`, key: `lut-validate-${seed}-n${index}`, signal, log: (m) => io.err(`network ${index}: ${m}`) });
              where = `device ${result.device} (${result.worker}, ${result.backend})`;
              return result.ms!;
            },
          }
        : {}),
      progress: (done, n) => {
        if (done % 10 === 0 || done === count) io.err(`${done}/${count} r${n.arch.r}: table ${n.predicted.toFixed(2)} ms, measured ${n.measured.toFixed(2)} ms`);
      },
    });
    const out = resolve(values.out ?? values.lut);
    writeFileAtomic(join(out, 'validation.json'), JSON.stringify(validationFile(report, table.dir, where), null, 2) + '\n');
    writeCorrectionFile(out, report.correction, where);
    const say = values.json ? io.err : io.out;
    say(`${count} networks on ${where} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    say(`table sums:     ${percent(report.raw.within10)} within ±10 %, mean absolute error ${percent(report.raw.mape)}`);
    if (report.layerSums) say(`layer sums now: ${percent(report.layerSums.within10)} within ±10 %, mean absolute error ${percent(report.layerSums.mape)} (each network's layers timed alone in the same rounds)`);
    say(`with correction: ${percent(report.corrected.within10)} within ±10 %, mean absolute error ${percent(report.corrected.mape)} (5-fold cross-validated)`);
    say(`wrote ${join(out, 'validation.json')}, ${join(out, CORRECTION_FILE)}`);
    say(`scatter plot: "NAS Studio: Show Latency Validation" on ${out}`);
    if (values.json) io.out(JSON.stringify({ networks: count, within_10pct: report.corrected.within10, mape: report.corrected.mape, raw: { within_10pct: report.raw.within10, mape: report.raw.mape } }));
    return;
  }
  if (!values.out) throw new UsageError('--out DIR is required');
  if (device) {
    const wanted = resolutions ?? [...DEFAULT_RESOLUTIONS];
    let shown = 0;
    const result = await device.measure({ kind: 'table', resolutions: wanted, ...timing }, {
      label: 'the latency table',
      key: `lut-${wanted.join('-')}-${Date.now()}`,
      signal,
      log: (m) => io.err(m),
      progress: (fraction, message) => {
        if (fraction - shown >= 0.05) io.err(`${(100 * (shown = fraction)).toFixed(0)} % ${message}`);
      },
    });
    const note = `measured by NAS Studio on device ${result.device} (${result.worker}, ${result.backend}), batch 1; mean = ${LATENCY_QUANTILE * 100}th percentile (ms)`;
    let entries = 0;
    for (const [r, table] of result.tables ?? []) {
      entries += table.length;
      io.out(`wrote ${await writeLut(values.out, r, new Map(table), note)}`);
    }
    io.out(`measured ${entries} layers on device ${result.device} (${result.worker}, ${result.backend}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return;
  }
  const measurement = await measureLatencyTables(values.out, resolutions ?? [...DEFAULT_RESOLUTIONS], {
    backend,
    signal,
    ...timing,
    progress: (done, total, key) => {
      if (done % PROGRESS_EVERY === 0 || done === total) io.err(`${done}/${total} ${key}`);
    },
  });
  io.out(`measured ${measurement.entries} layers on ${measurement.backend.detail} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const file of measurement.files) io.out(`wrote ${file}`);
}

/**
 * `--proxyless SPEC`: the table of the spec's supernet measured into --out, or the one in --lut;
 * with --validate N, N random networks of the space measured end to end as a search measures its
 * derived network, and the correction learned from them written into the table folder.
 */
async function proxylessTable(
  values: LutValues,
  io: CommandIo,
  signal: AbortSignal,
  device: DeviceLatency | undefined,
  timing: { repeats?: number; warmup?: number },
  resolutions: number[] | undefined,
): Promise<void> {
  if (resolutions) throw new UsageError('--resolutions is for OFA tables; a --proxyless table is for the spec\'s input size');
  if (device) throw new UsageError('--proxyless tables are measured on this machine: run `nas-studio lut --proxyless` on the device itself');
  if ((values.out === undefined) === (values.lut === undefined)) throw new UsageError('--proxyless SPEC takes --out DIR (measure a table) or --lut DIR with --validate N (check one measured before)');
  if (values.lut && values.validate === undefined) throw new UsageError('--lut DIR with --proxyless is for --validate N');
  const specPath = resolve(values.proxyless!);
  const text = readSpecFile(specPath);
  const validation = validateProxylessSpecText(text, { file: specPath, baseDir: resolve(specPath, '..') });
  if (!validation.spec) throw new InvalidSpecError(specPath, text, validation.diagnostics);
  const spec = validation.spec;
  const config = spec.supernet;
  const blocks = mixedBlocks(config);
  const info = await initBackend(values.backend as BackendChoice);
  const started = performance.now();
  const dir = resolve(values.lut ?? values.out!);
  if (values.out) {
    const options = {
      ...timing,
      signal,
      progress: (done: number, total: number, key: string) => {
        if (done % PROGRESS_EVERY === 0 || done === total) io.err(`${done}/${total} ${key}`);
      },
    };
    const entries = await measureSupernetLayers(config, blocks, options);
    const file = await writeSupernetTable(dir, config, entries, measurementNote(info, options));
    io.out(`measured ${entries.size} layers on ${info.detail} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    io.out(`wrote ${file}`);
  }
  if (values.validate === undefined) return;
  const count = parseInteger(values.validate, 'validate', MIN_CORRECTION_NETWORKS)!;
  const raw = await loadLatencyModel(dir, config, blocks, { raw: true });
  const choices = randomChoices(blocks, count, parseInteger(values.seed, 'seed', 0) ?? 0);
  io.err(`timing ${count} random networks of the space end to end, in ${spec.derived.latencyRepeats} rounds`);
  const measured = measureNetworks(choices.map((c) => archOfChoices(config, blocks, c)), spec.derived.latencyRepeats);
  const fit = fitAndValidate(measuredNetworks(raw, blocks, choices, measured));
  const file = writeProxylessCorrection(dir, fit, info.detail);
  const say = values.json ? io.err : io.out;
  say(tableFidelityLine({ networks: count, raw: fit.raw, corrected: fit.corrected }));
  say(`wrote ${file}: searches naming this table use the correction`);
  if (values.json) io.out(JSON.stringify({ networks: count, within_10pct: fit.corrected.within10, mape: fit.corrected.mape, raw: { within_10pct: fit.raw.within10, mape: fit.raw.mape } }));
}

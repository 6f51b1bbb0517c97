import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_CHOICES, isBackendChoice } from '../contract/backends';
import { InvalidSpecError } from '../server/runs/runService';
import { measureLatencyTables, measurementNote, type MeasureOptions } from '../server/ofa/lutMeasurement';
import { initBackend } from '../server/runtime/backend';
import { measureSupernetLayers, writeSupernetTable } from '../server/proxyless/latencyTable';
import { mixedBlocks } from '../server/proxyless/proxylessSpace';
import { validateProxylessSpecText } from '../server/proxyless/validateProxyless';
import { DEFAULT_RESOLUTIONS } from '../server/spaces/ofa/mbv3Network';
import { type CommandIo, UsageError, parseInteger, parseNumberList, processIo, guardCommand, readSpecFile } from './commandSupport';

export const LUT_USAGE = `usage: nas-studio lut --out DIR [--resolutions 160,176,192,208,224 | 160:224:4]
                       [--proxyless SPEC] [--repeats 20] [--warmup 5] [--backend auto|tensorflow|wasm|cpu]
  Measures every distinct OFA MobileNetV3 layer on this machine with TensorFlow.js and writes
  <resolution>_lookup_table.yaml files in OFA's format, usable with specialize --lut DIR.
  --proxyless SPEC: the layers of a *.proxyless.json spec's supernet instead (one table, for the
  input size), for its "latency": {"table": DIR} when the search runs on another machine.`;

const PROGRESS_EVERY = 24;

/** `nas-studio lut ...`; returns the process exit code. */
export async function lutCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, LUT_USAGE, async (signal) => {
    const { values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        resolutions: { type: 'string' },
        proxyless: { type: 'string' },
        repeats: { type: 'string' },
        warmup: { type: 'string' },
        backend: { type: 'string', default: 'auto' },
      },
    });
    if (!values.out) throw new UsageError('--out DIR is required');
    const backend = values.backend;
    if (!isBackendChoice(backend)) throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}`);
    if (values.proxyless && values.resolutions) throw new UsageError('--resolutions is for OFA tables; a --proxyless table is for the spec\'s input size');
    const started = performance.now();
    const options: MeasureOptions = {
      signal,
      repeats: parseInteger(values.repeats, 'repeats', 1),
      warmup: parseInteger(values.warmup, 'warmup', 0),
      progress: (done, total, key) => {
        if (done % PROGRESS_EVERY === 0 || done === total) io.err(`${done}/${total} ${key}`);
      },
    };
    if (values.proxyless) {
      const specPath = resolve(values.proxyless);
      const text = readSpecFile(specPath);
      const validation = validateProxylessSpecText(text, { file: specPath, baseDir: resolve(specPath, '..') });
      if (!validation.spec) throw new InvalidSpecError(specPath, text, validation.diagnostics);
      const config = validation.spec.supernet;
      const info = await initBackend(backend);
      const entries = await measureSupernetLayers(config, mixedBlocks(config), options);
      const file = await writeSupernetTable(values.out, config, entries, measurementNote(info, options));
      io.out(`measured ${entries.size} layers on ${info.detail} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      io.out(`wrote ${file}`);
      return;
    }
    const resolutions = values.resolutions ? parseNumberList(values.resolutions, 'resolutions') : [...DEFAULT_RESOLUTIONS];
    if (resolutions.some((r) => !Number.isInteger(r) || r < 32)) throw new UsageError('--resolutions must be integers >= 32');
    const measurement = await measureLatencyTables(values.out, resolutions, { ...options, backend });
    io.out(`measured ${measurement.entries} layers on ${measurement.backend.detail} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const file of measurement.files) io.out(`wrote ${file}`);
  });
}

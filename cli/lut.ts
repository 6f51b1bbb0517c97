import { parseArgs } from 'node:util';
import { BACKEND_CHOICES, isBackendChoice } from '../contract/backends';
import { measureLatencyTables } from '../server/ofa/lutMeasurement';
import { DEFAULT_RESOLUTIONS } from '../server/spaces/ofa/mbv3Network';
import { type CommandIo, UsageError, parseInteger, parseNumberList, processIo, guardCommand } from './commandSupport';

export const LUT_USAGE = `usage: nas-studio lut --out DIR [--resolutions 160,176,192,208,224 | 160:224:4]
                       [--repeats 20] [--warmup 5] [--backend auto|tensorflow|wasm|cpu]
  Measures every distinct OFA MobileNetV3 layer on this machine with TensorFlow.js and writes
  <resolution>_lookup_table.yaml files in OFA's format, usable with specialize --lut DIR.`;

const PROGRESS_EVERY = 24;

/** `nas-studio lut ...`; returns the process exit code. */
export async function lutCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, LUT_USAGE, async (signal) => {
    const { values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        resolutions: { type: 'string' },
        repeats: { type: 'string' },
        warmup: { type: 'string' },
        backend: { type: 'string', default: 'auto' },
      },
    });
    if (!values.out) throw new UsageError('--out DIR is required');
    const backend = values.backend;
    if (!isBackendChoice(backend)) throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}`);
    const resolutions = values.resolutions ? parseNumberList(values.resolutions, 'resolutions') : [...DEFAULT_RESOLUTIONS];
    if (resolutions.some((r) => !Number.isInteger(r) || r < 32)) throw new UsageError('--resolutions must be integers >= 32');
    const started = performance.now();
    const measurement = await measureLatencyTables(values.out, resolutions, {
      backend,
      signal,
      repeats: parseInteger(values.repeats, 'repeats', 1),
      warmup: parseInteger(values.warmup, 'warmup', 0),
      progress: (done, total, key) => {
        if (done % PROGRESS_EVERY === 0 || done === total) io.err(`${done}/${total} ${key}`);
      },
    });
    io.out(`measured ${measurement.entries} layers on ${measurement.backend.detail} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const file of measurement.files) io.out(`wrote ${file}`);
  });
}

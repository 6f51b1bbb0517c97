import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, isExportFormat } from '../contract/modelExport';
import { exportModel } from '../server/deploy/exportModel';
import { openExportSource } from '../server/deploy/exportSources';
import { initBackend } from '../server/runtime/backend';
import { archOption } from './archOption';
import { backendOption, type CommandIo, EXIT_FAILURE, guardCommand, parseInteger, processIo, UsageError } from './commandSupport';
import { openRuns, rootOption } from './root';

export const EXPORT_USAGE = `usage: nas-studio export MODEL --format onnx|tfjs|pytorch [--trial N | --arch largest|smallest|JSON|FILE]
                         [--out DIR] [--root DIR] [--backend auto|wasm|cpu|tensorflow] [--json]
  Exports a trained model. MODEL is a search run with --trial N (a trial of the 'train' or
  'supernet' evaluator), a supernet training run with --arch (its sub-network, batch norms
  recalibrated), a quantization run or its exports/model folder (ONNX only: integer weights with
  DequantizeLinear, k-means codebooks with Gather, activations through QuantizeLinear/DequantizeLinear),
  or a TF.js Layers model folder. Writes DIR/model.onnx (ONNX opset 17), DIR/model.json
  + weights.bin (TF.js), or DIR/model.py + weights.bin (PyTorch, loads with torch alone); ONNX and
  PyTorch take [batch, channels, height, width]. Default DIR: the run's exports/<trial-N|subnet-...>-<format>.
  Then runs the files (onnxruntime, PyTorch, TF.js) on random inputs and prints the largest difference
  from the TF.js model's outputs (exit 1 above 1e-4); a missing runtime skips that check and says so.`;

/** Largest difference from TF.js an export may show and still count as the same model. */
const TOLERANCE = 1e-4;

/** `nas-studio export MODEL --format F`. */
export async function exportCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, EXPORT_USAGE, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...rootOption, format: { type: 'string' }, trial: { type: 'string' }, arch: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new UsageError('expected one MODEL: a run id or folder, or a TF.js model folder');
    if (!isExportFormat(values.format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (values.trial !== undefined && values.arch !== undefined) throw new UsageError('--trial and --arch exclude each other');
    const format = values.format;
    const trial = parseInteger(values.trial, 'trial', 0);
    const backend = await initBackend(backendOption(values.backend));
    const source = await openExportSource(openRuns(values.root), {
      model: positionals[0],
      ...(trial !== undefined ? { trial } : {}),
      ...(values.arch !== undefined ? { arch: archOption(values.arch) } : {}),
    });
    const out = resolve(values.out ?? `${source.defaultOut}-${format}`);
    const result = await exportModel(source.model, format, out, source.about, source.quantized);
    source.model.dispose();
    const say = values.json ? io.err : io.out;
    say(`${source.about.title}`);
    say(`wrote ${result.files.join(', ')} (input [batch, ${result.inputShape.join(', ')}], output [batch, ${result.outputShape.join(', ')}])`);
    const q = result.quantization;
    if (q) say(`quantized (${q.quantizer}): ${result.file} ${q.fileBytes} bytes; kernels packed at their bit widths ${q.packedBytes} bytes (${(q.float32Bytes / q.packedBytes).toFixed(2)}x smaller than float32)`);
    if ('skipped' in result.check) say(`not checked: ${result.check.skipped}`);
    else say(`checked in ${result.check.runtime} on ${result.check.inputs} random inputs: max |difference| from TF.js (${backend.detail}) ${result.check.maxDifference.toExponential(2)}`);
    if (values.json) io.out(JSON.stringify(result));
    if ('maxDifference' in result.check && !(result.check.maxDifference <= TOLERANCE)) {
      io.err(`error: the exported model's outputs differ from the TF.js model's by ${result.check.maxDifference} (more than ${TOLERANCE})`);
      return EXIT_FAILURE;
    }
  });
}

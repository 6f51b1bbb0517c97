import { parseArgs } from 'node:util';
import type { EfficiencySpec } from '../server/ofa/efficiencyModel';
import type { FinderSpec } from '../server/specialize/finders';
import { exportSubnet } from '../server/specialize/exportSubnet';
import { type SpecializationResult, specialize } from '../server/specialize/specialize';
import { type CommandIo, UsageError, parseInteger, parseNumberList, processIo, guardCommand } from './commandSupport';

export const SPECIALIZE_USAGE = `usage: nas-studio specialize --predictor PATH (--lut DIR | --flops-table PATH | --flops)
                            (--limit X | --limits 15,20,25 | --limits 15:60:5)
                            [--resolutions 160,176,192,208,224 | 160:224:4] [--seed N]
                            [--finder guided|ofa-evolution] [--evaluations N] [--out FILE] [--json]
  Picks the OFA MobileNetV3 sub-network with the best predicted accuracy within each limit
  (milliseconds with --lut, MFLOPs otherwise). Several limits give a Pareto sweep.
  --out FILE writes the result as JSON (ks, e, d, r for OFA's set_active_subnet, predicted
  accuracy, latency or FLOPs); --json prints the whole result as one JSON object on the last line.`;

/** `nas-studio specialize ...`; returns the process exit code. */
export async function specializeCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, SPECIALIZE_USAGE, async (signal) => {
    const { values } = parseArgs({
      args: argv,
      options: {
        predictor: { type: 'string' },
        lut: { type: 'string' },
        'flops-table': { type: 'string' },
        flops: { type: 'boolean', default: false },
        limit: { type: 'string' },
        limits: { type: 'string' },
        resolutions: { type: 'string' },
        seed: { type: 'string' },
        finder: { type: 'string', default: 'guided' },
        evaluations: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (!values.predictor) throw new UsageError('--predictor PATH is required (weights in the acc_predictor.json format)');
    const models = [values.lut !== undefined, values['flops-table'] !== undefined, values.flops].filter(Boolean).length;
    if (models !== 1) throw new UsageError('give exactly one efficiency model: --lut DIR, --flops-table PATH or --flops');
    const efficiency: EfficiencySpec =
      values.lut !== undefined ? { kind: 'lut', dir: values.lut } : values['flops-table'] !== undefined ? { kind: 'flops-table', path: values['flops-table'] } : { kind: 'flops' };
    if ((values.limit === undefined) === (values.limits === undefined)) throw new UsageError('give either --limit X or --limits LIST');
    const limits = values.limit !== undefined ? parseNumberList(values.limit, 'limit') : parseNumberList(values.limits!, 'limits');
    if (values.limit !== undefined && limits.length !== 1) throw new UsageError('--limit takes one number; use --limits for a sweep');
    const finder = finderSpec(values.finder, parseInteger(values.evaluations, 'evaluations', 1));

    const result = await specialize(
      {
        predictor: values.predictor,
        efficiency,
        limits,
        seed: parseInteger(values.seed, 'seed', 0) ?? 0,
        finder,
        ...(values.resolutions ? { resolutions: parseNumberList(values.resolutions, 'resolutions') } : {}),
      },
      { signal },
    );
    if (values.out) await exportSubnet(result, values.out);
    for (const line of resultTable(result)) (values.json ? io.err : io.out)(line);
    if (values.out) (values.json ? io.err : io.out)(`wrote ${values.out}`);
    if (values.json) io.out(JSON.stringify(result));
  });
}

function finderSpec(name: string, evaluations: number | undefined): FinderSpec {
  if (name === 'guided') return { type: 'guided', ...(evaluations !== undefined ? { evaluations } : {}) };
  if (name === 'ofa-evolution') {
    if (evaluations !== undefined) throw new UsageError('--evaluations applies to the guided finder only');
    return { type: 'ofa-evolution' };
  }
  throw new UsageError(`--finder must be "guided" or "ofa-evolution", got "${name}"`);
}

/** Human-readable lines: a header naming the inputs, then one row per limit. */
export function resultTable(result: SpecializationResult): string[] {
  const { metric, label } = result.efficiency;
  const sweep = result.subnets.length > 1;
  // With analytic FLOPs as the constraint the separate FLOPs column would repeat it.
  const flopsColumn = metric !== 'mflops';
  const header = ['limit', 'pred. acc %', metric, ...(flopsColumn ? ['MFLOPs'] : []), 'MParams', 's', ...(sweep ? ['pareto'] : []), 'architecture'];
  const rows = result.subnets.map((s) => [
    String(s.limit),
    (s.predictedAccuracy * 100).toFixed(2),
    s.efficiency.toFixed(2),
    ...(flopsColumn ? [s.mflops.toFixed(1)] : []),
    s.mparams.toFixed(2),
    s.seconds.toFixed(2),
    ...(sweep ? [s.pareto ? 'yes' : 'no'] : []),
    s.description,
  ]);
  const widths = header.map((_, c) => Math.max(header[c].length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padStart(widths[c]))).join('  ');
  return [`${result.finder} search, ${label}, predictor ${result.predictor}, seed ${result.seed}`, line(header), ...rows.map(line)];
}

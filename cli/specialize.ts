import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EfficiencySpec } from '../server/ofa/efficiencyModel';
import { formatPath } from '../server/experiment/specText';
import { runKind } from '../server/runs/registry';
import { InvalidSpecError } from '../server/runs/runService';
import type { FinderSpec } from '../server/specialize/finders';
import { specializationResult, type SpecializationState } from '../server/specialize/specializationRun';
import type { SpecializationSpec } from '../server/specialize/specializationSpec';
import { writeSpecializedSubnets } from '../server/specialize/specializedSubnetFile';
import type { RunView } from '../server/runs/runKind';
import { type CommandIo, EXIT_OK, UsageError, parseInteger, parseNumberList, processIo, guardCommand } from './commandSupport';
import { executeWithConsole } from './executeRun';
import { openRuns, rootOption } from './root';

export const SPECIALIZE_USAGE = `usage: nas-studio specialize --predictor PATH (--lut DIR | --flops-table PATH | --flops)
                            (--limit X | --limits 15,20,25 | --limits 15:60:5)
                            [--resolutions 160,176,192,208,224 | 160:224:4] [--seed N] [--name NAME]
                            [--finder guided|ofa-evolution] [--evaluations N] [--root DIR] [--out FILE] [--json]
  Picks the OFA MobileNetV3 sub-network with the best predicted accuracy within each limit
  (milliseconds with --lut, MFLOPs otherwise); several limits give a Pareto sweep (at most 1000).
  The sweep is a run under --root: nas-studio list/show/resume/report work on it, and a sweep cut
  off resumes with the limits not done yet. --out FILE writes the result as JSON (ks, e, d, r for
  OFA's set_active_subnet, predicted accuracy, latency or FLOPs); --json prints the whole result as
  one JSON object on the last line.`;

/** `nas-studio specialize ...`; returns the process exit code. */
export async function specializeCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, SPECIALIZE_USAGE, async (signal) => {
    const { values } = parseArgs({
      args: argv,
      options: {
        ...rootOption,
        predictor: { type: 'string' },
        lut: { type: 'string' },
        'flops-table': { type: 'string' },
        flops: { type: 'boolean', default: false },
        limit: { type: 'string' },
        limits: { type: 'string' },
        resolutions: { type: 'string' },
        seed: { type: 'string' },
        name: { type: 'string' },
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
    if (values.out === '') throw new UsageError('--out must name a file');
    const spec = {
      ...(values.name !== undefined ? { name: values.name } : {}),
      predictor: values.predictor,
      efficiency,
      limits,
      seed: parseInteger(values.seed, 'seed', 0) ?? 0,
      finder: finderSpec(values.finder, parseInteger(values.evaluations, 'evaluations', 1)),
      ...(values.resolutions ? { resolutions: parseNumberList(values.resolutions, 'resolutions', 64) } : {}),
    };
    const service = openRuns(values.root);
    let location;
    try {
      ({ location } = await service.create({ kind: runKind('specialization')!, text: JSON.stringify(spec), baseDir: process.cwd(), label: 'the command line' }));
    } catch (e) {
      if (e instanceof InvalidSpecError) throw new UsageError(e.diagnostics.filter((d) => d.severity === 'error').map((d) => inFlagTerms(d.message, d.path)).join('; '));
      throw e;
    }
    const code = await executeWithConsole(service, location, { json: values.json, backend: 'auto', signal, io });
    if (code === EXIT_OK && values.out) {
      const run = service.read(location);
      if (run.readable) {
        const view = run.view as RunView<SpecializationSpec, SpecializationState>;
        await writeSpecializedSubnets(specializationResult(view.spec, view.state), resolve(values.out));
        (values.json ? io.err : io.out)(`wrote ${values.out}`);
      }
    }
    return code;
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

/** The options of the specialization spec the flags set, as the user typed them. */
const FLAGS: Readonly<Record<string, string>> = { predictor: '--predictor', limits: '--limits', seed: '--seed', resolutions: '--resolutions', name: '--name', 'finder.evaluations': '--evaluations', efficiency: 'the efficiency model' };

/** A spec problem told in terms of the command line ("--evaluations must be <= 200000 ..."). */
function inFlagTerms(message: string, path: readonly (string | number)[]): string {
  const option = formatPath(path);
  const flag = Object.entries(FLAGS).find(([key]) => option === key || option.startsWith(`${key}[`) || option.startsWith(`${key}.`));
  return flag ? message.split(flag[0]).join(flag[1]).replace(/\[\d+\]/, '') : `${option}: ${message}`;
}

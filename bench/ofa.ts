// Once-for-All specialization benchmark: OFA's own EvolutionFinder (ported step for step) against
// NAS Studio's guided local search, same predictor and efficiency files, same seeds, interleaved so
// both see the same machine load.
// Usage: npm run bench:ofa -- --predictor PATH (--lut DIR | --flops-table PATH | --flops)
//          [--limits 15,20,25,30,35,40,50,60] [--seeds 5] [--evaluations N] [--only guided|ofa-evolution] [--json]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EfficiencySpec } from '../server/ofa/efficiencyModel';
import { createFinder } from '../server/specialize/finders';
import { type SpecializationContext, type SpecializedSubnet, prepareSpecialization, searchLimit } from '../server/specialize/specialize';

interface Run {
  readonly subnet: SpecializedSubnet;
  readonly cpuSeconds: number;
}

interface Summary {
  readonly mean: number;
  readonly std: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly efficiency: number;
  readonly evaluations: number;
}

const sharedData = process.env.NAS_SHARED_DATA ?? resolve(__dirname, '../../shared/data');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      predictor: { type: 'string', default: resolve(sharedData, 'ofa/acc_predictor.json') },
      lut: { type: 'string' },
      'flops-table': { type: 'string' },
      flops: { type: 'boolean', default: false },
      limits: { type: 'string', default: '15,20,25,30,35,40,50,60' },
      seeds: { type: 'string', default: '5' },
      evaluations: { type: 'string' },
      only: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const efficiency: EfficiencySpec = values['flops-table']
    ? { kind: 'flops-table', path: values['flops-table'] }
    : values.flops
      ? { kind: 'flops' }
      : { kind: 'lut', dir: values.lut ?? resolve(sharedData, 'ofa/note10') };
  const limits = values.limits.split(',').map(Number);
  const seeds = Number(values.seeds);
  const guidedSpec = { type: 'guided' as const, ...(values.evaluations ? { evaluations: Number(values.evaluations) } : {}) };
  const finders = [
    { name: 'ofa-evolution', title: "OFA's EvolutionFinder (reference)", spec: { type: 'ofa-evolution' as const } },
    { name: 'guided', title: 'NAS Studio guided local search', spec: guidedSpec },
  ].filter((f) => !values.only || f.name === values.only);

  const base = await prepareSpecialization({ predictor: values.predictor, efficiency, limits, seed: 0 });
  const log = (line: string) => (values.json ? process.stderr : process.stdout).write(line + '\n');
  log(`predictor ${values.predictor}; ${base.model.label}; limits ${limits.join(', ')} ${base.model.unit}; ${seeds} seeds; node ${process.version}`);

  const results = new Map<string, Map<number, Summary>>(finders.map((f) => [f.name, new Map()]));
  for (const limit of limits) {
    const runs = new Map<string, Run[]>(finders.map((f) => [f.name, []]));
    for (let seed = 0; seed < seeds; seed++) {
      for (const f of finders) {
        const context: SpecializationContext = { ...base, seed, finder: createFinder(f.spec) };
        const cpu = process.cpuUsage();
        const subnet = await searchLimit(context, limit);
        const used = process.cpuUsage(cpu);
        runs.get(f.name)!.push({ subnet, cpuSeconds: (used.user + used.system) / 1e6 });
      }
    }
    for (const f of finders) results.get(f.name)!.set(limit, summarize(runs.get(f.name)!));
    log(row(limit, finders.map((f) => results.get(f.name)!.get(limit)!), base.model.unit));
  }

  log('');
  log(table(limits, finders, results, base.model.unit));
  if (values.json) {
    const main = results.get(finders[finders.length - 1].name)!;
    const reference = finders.length > 1 ? results.get(finders[0].name)! : undefined;
    const json = Object.fromEntries(
      limits.map((limit) => {
        const s = main.get(limit)!;
        const r = reference?.get(limit);
        return [
          String(limit),
          {
            mean: round(s.mean, 4),
            std: round(s.std, 4),
            seconds: round(s.seconds, 3),
            efficiency: round(s.efficiency, 3),
            evaluations: Math.round(s.evaluations),
            ...(r
              ? { reference: { mean: round(r.mean, 4), std: round(r.std, 4), seconds: round(r.seconds, 3), efficiency: round(r.efficiency, 3), evaluations: Math.round(r.evaluations) }, speedup: round(r.seconds / s.seconds, 1), cpu_speedup: round(r.cpuSeconds / s.cpuSeconds, 1) }
              : {}),
          },
        ];
      }),
    );
    process.stdout.write(JSON.stringify(json) + '\n');
  }
}

function summarize(runs: readonly Run[]): Summary {
  const accuracies = runs.map((r) => r.subnet.predictedAccuracy * 100);
  const mean = average(accuracies);
  const std = Math.sqrt(average(accuracies.map((a) => (a - mean) ** 2)));
  return {
    mean,
    std,
    seconds: average(runs.map((r) => r.subnet.seconds)),
    cpuSeconds: average(runs.map((r) => r.cpuSeconds)),
    efficiency: average(runs.map((r) => r.subnet.efficiency)),
    evaluations: average(runs.map((r) => r.subnet.evaluations)),
  };
}

function row(limit: number, summaries: readonly Summary[], unit: string): string {
  return `${limit} ${unit}: ` + summaries.map((s) => `${s.mean.toFixed(3)} ± ${s.std.toFixed(3)} % @ ${s.efficiency.toFixed(2)} ${unit}, ${s.seconds.toFixed(2)} s`).join('  |  ');
}

function table(limits: readonly number[], finders: readonly { name: string; title: string }[], results: Map<string, Map<number, Summary>>, unit: string): string {
  const header = ['limit', ...finders.flatMap((f) => [`${f.name} acc %`, `${unit}`, 's/search', 'evals'])];
  if (finders.length > 1) header.push('speedup (wall)', 'speedup (CPU)');
  const lines = [header];
  for (const limit of limits) {
    const cells = [String(limit)];
    for (const f of finders) {
      const s = results.get(f.name)!.get(limit)!;
      cells.push(`${s.mean.toFixed(3)} ± ${s.std.toFixed(3)}`, s.efficiency.toFixed(2), s.seconds.toFixed(2), String(Math.round(s.evaluations)));
    }
    if (finders.length > 1) {
      const [reference, ours] = finders.map((f) => results.get(f.name)!.get(limit)!);
      cells.push(`${(reference.seconds / ours.seconds).toFixed(1)}x`, `${(reference.cpuSeconds / ours.cpuSeconds).toFixed(1)}x`);
    }
    lines.push(cells);
  }
  const widths = header.map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  return [
    ...finders.map((f) => `${f.name}: ${f.title}`),
    ...lines.map((l, i) => {
      const text = l.map((cell, c) => cell.padStart(widths[c])).join('  ');
      return i === 0 ? `${text}\n${'-'.repeat(text.length)}` : text;
    }),
  ].join('\n');
}

function average(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});

// Reading runs at scale (issue 10): a search run with 100,000 finished trials, and 50 of them.
//   npm run bench:journal -- [--trials 100000] [--runs 50] [--repeats 3] [--json]
// Measures, each in a fresh `nas-studio` process as a user runs them:
//   show_100k_s  `nas-studio show ID` of the 100k-trial run (median wall time), as a run leaves
//                its folder (state.json holds the folded journal); also reported without it;
//   list_50_s    `nas-studio list` over 50 such runs;
// and in-process, what the engine pays per finished trial while a run runs (fold the appended
// record, summarize): update_us_1k and update_us_100k, microseconds per trial with 1,000 and
// 100,000 trials already in the run. With --json the last stdout line is
//   {"show_100k_s", "list_50_s", "update_us_1k", "update_us_100k"}.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Rng } from '../server/core/rng';
import { RunService } from '../server/runs/runService';
import { writeStateCache } from '../server/runs/stateCache';
import { Nb201Space } from '../server/spaces/nb201/nb201Space';
import type { RunLocation } from '../server/store/runStore';

type FolderLocation = Extract<RunLocation, { layout: 'folder' }>;
import { json, log, option } from './benchArgs';

const CLI = resolve(import.meta.dirname, '../bin/nas-studio.js');
const trials = Number(option('trials', '100000'));
const runs = Number(option('runs', '50'));
const repeats = Number(option('repeats', '3'));
/** Trials appended per measured round of state updates, and the budget room the runs leave for them. */
const UPDATES = 1000;

const space = new Nb201Space();
const spec = {
  name: 'scale',
  space: { type: 'nb201' },
  evaluator: { type: 'tabular', table: '/nowhere/nb201.csv' },
  strategy: { type: 'random' },
  objectives: [{ metric: 'acc', goal: 'maximize' }, { metric: 'lat_ms', goal: 'minimize' }],
  constraints: [{ metric: 'lat_ms', max: 9 }],
  report: ['params'],
  budget: { trials: trials + 2 * UPDATES },
  seed: 0,
};

/** The journal line of one finished trial, as the search loop writes it. */
function trialLine(trial: number, rng: Rng): string {
  const genome = space.sample(rng);
  const metrics = { acc: 50 + 45 * rng.next(), lat_ms: 2 + 10 * rng.next(), params: Math.round(1e5 * rng.next()) };
  const record = {
    type: 'trial_finished',
    at: new Date(Date.UTC(2026, 11, 6) + trial * 1000).toISOString(),
    elapsedMs: trial * 1000,
    trial,
    key: space.key(genome),
    genome,
    arch: space.toArch(genome),
    metrics,
    feasible: metrics.lat_ms <= 9,
    cached: false,
    durationMs: 950,
  };
  return JSON.stringify(record) + '\n';
}

/** A run folder whose journal holds `count` finished trials (written in bulk: the fixture, not what is measured). */
async function buildRun(service: RunService, name: string, count: number): Promise<FolderLocation> {
  const folder = service.store.create({ kind: 'search', name, createdAt: new Date().toISOString(), source: '', baseDir: tmpdir() }, { ...spec, name });
  const rng = new Rng(`${name}`);
  const chunks: string[] = [JSON.stringify({ type: 'started', at: new Date().toISOString(), pid: 1, budget: spec.budget.trials }) + '\n'];
  for (let t = 0; t < count; t++) chunks.push(trialLine(t, rng));
  chunks.push(JSON.stringify({ type: 'stopped', at: new Date().toISOString() }) + '\n');
  writeFileSync(folder.journal, chunks.join(''));
  const location: FolderLocation = { layout: 'folder', id: folder.id, folder };
  // What a run's writer leaves when it stops: the journal folded, in state.json.
  service.reader.read(location);
  writeStateCache(folder, service.reader.stateCache(location)!);
  return location;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall time of a CLI command, in seconds. */
function timeCli(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    times.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`nas-studio ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return median(times);
}

/**
 * Microseconds the engine spends per finished trial (fold the new record, summarize) in runs of
 * 1,000 and `trials` trials. Rounds of UPDATES appends alternate between the two runs after a
 * warm-up, and the median round counts, so both see the same machine.
 */
async function updateCosts(root: string): Promise<{ small: number; large: number }> {
  const service = new RunService(root);
  const rng = new Rng('updates');
  const runsBySize = [
    { location: await buildRun(service, 'update-1k', 1000), next: 1000, rounds: [] as number[] },
    { location: await buildRun(service, `update-${trials}`, trials), next: trials, rounds: [] as number[] },
  ];
  const round = (run: (typeof runsBySize)[number]) => {
    let spent = 0;
    for (let i = 0; i < UPDATES / 4; i++) {
      appendFileSync(run.location.folder.journal, trialLine(run.next++, rng));
      const t0 = performance.now();
      service.summary(run.location);
      spent += performance.now() - t0;
    }
    return (1000 * spent) / (UPDATES / 4);
  };
  for (const run of runsBySize) {
    service.summary(run.location); // the engine has the run folded already
    round(run); // warm-up
  }
  for (let r = 0; r < 3; r++) for (const run of runsBySize) run.rounds.push(round(run));
  return { small: median(runsBySize[0].rounds), large: median(runsBySize[1].rounds) };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'nas-bench-journal-'));
  try {
    const service = new RunService(join(root, 'runs'));
    log(`building a run with ${trials.toLocaleString('en-US')} finished trials in ${root}`);
    const big = await buildRun(service, 'big', trials);
    const megabytes = statSync(big.folder.journal).size / 1e6;
    const show = timeCli(['show', big.id, '--root', service.root]);
    log(`show: ${show.toFixed(2)} s (journal ${megabytes.toFixed(1)} MB, state.json ${(statSync(big.folder.stateCache).size / 1e6).toFixed(1)} MB)`);
    rmSync(big.folder.stateCache);
    const uncached = timeCli(['show', big.id, '--root', service.root]);
    log(`show without state.json (a run of NAS Studio 0.1, or a repaired journal): ${uncached.toFixed(2)} s`);
    service.reader.read(big);
    writeStateCache(big.folder, service.reader.stateCache(big)!);
    for (let i = 1; i < runs; i++) cpSync(big.folder.dir, join(service.root, `copy-${String(i).padStart(2, '0')}`), { recursive: true });
    const list = timeCli(['list', '--root', service.root]);
    log(`list over ${runs} runs of ${trials.toLocaleString('en-US')} trials: ${list.toFixed(2)} s`);
    const { small, large } = await updateCosts(join(root, 'updates'));
    log(`per-trial state update while running: ${small.toFixed(1)} µs with 1,000 trials, ${large.toFixed(1)} µs with ${trials.toLocaleString('en-US')}`);
    if (json) console.log(JSON.stringify({ show_100k_s: Number(show.toFixed(3)), list_50_s: Number(list.toFixed(3)), update_us_1k: Number(small.toFixed(1)), update_us_100k: Number(large.toFixed(1)), show_100k_uncached_s: Number(uncached.toFixed(3)) }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();

/**
 * Runs a quantization run to its end, resuming where its journal stops: the worker reopens the
 * model (kept in checkpoints/) and the agent as it was after the last journaled episode, so no
 * journaled baseline or episode is repeated and the search continues as if never interrupted.
 * Each episode's agent checkpoint is written before its record is journaled.
 */
import { formatPercent } from '../../contract/format';
import type { EpisodeInfo } from '../../contract/runs';
import { WorkerPool } from '../runtime/workerPool';
import type { ActiveRun, FinishReason } from '../runs/runKind';
import { readAgentCheckpoint, writeAgentCheckpoint } from './agentCheckpoint';
import { bitRangesOf } from './bitPolicy';
import { FLOAT_BITS } from './quantizableLayers';
import type { BaselineReply, EpisodeReply, FinishReply, OpenReply, QuantizationJob, QuantizationReply } from './quantizationJobs';
import type { BaselineRecord, EpisodeRecord, FinalRecord, PreparedRecord } from './quantizationRecords';
import type { QuantizationSpec } from './quantizationSpec';
import type { QuantizationState } from './quantizationState';

type Run = ActiveRun<QuantizationSpec, QuantizationState>;

export function episodeInfo(e: EpisodeRecord): EpisodeInfo {
  return { episode: e.episode, policy: e.policy, accuracy: e.accuracy, cost: e.cost, sizeBits: e.sizeBits, bitOps: e.bitOps, reward: e.reward, explored: e.explored };
}

/**
 * The uniform policies drawn with the episodes: each weight bit width for the layers the agent
 * chooses; activations at the same width when they cost something, else 8 bits (within the
 * activation range either way).
 */
export function baselineBits(spec: QuantizationSpec, activationsCost: boolean): { weight: number; activation: number }[] {
  const ranges = bitRangesOf(spec);
  const widths = Array.from({ length: ranges.weight.max - ranges.weight.min + 1 }, (_, i) => ranges.weight.min + i);
  if (spec.quantizer === 'kmeans') return widths.map((weight) => ({ weight, activation: FLOAT_BITS }));
  const clamp = (bits: number) => Math.min(ranges.activation.max, Math.max(ranges.activation.min, bits));
  return widths.map((weight) => ({ weight, activation: clamp(activationsCost ? weight : 8) }));
}

export async function runQuantization(run: Run): Promise<FinishReason> {
  const { spec, folder, header, events, signal } = run;
  const now = () => new Date().toISOString();
  const done = run.state.episodes.length;
  const pool = new WorkerPool<QuantizationJob, QuantizationReply>('quantizeWorker', 1, (m) => events.log(m));
  const progress = (fraction: number, message: string) => events.progress({ fraction, done: run.view().state.episodes.length, total: spec.episodes, unit: 'episodes', message });
  /** One job; `episode` places its progress within the run (other jobs count as done work so far). */
  const job = async <R extends QuantizationReply>(request: QuantizationJob, label: string, episode?: number): Promise<R> => {
    const at = (f: number) => (episode === undefined ? run.view().state.episodes.length : episode + f) / spec.episodes;
    progress(at(0), label);
    return (await pool.run(request, { signal, progress: (f, m) => progress(at(f), m ? `${label}: ${m}` : label) })) as R;
  };
  try {
    const opened = await job<OpenReply>(
      {
        type: 'open',
        spec,
        baseDir: header.baseDir,
        checkpoints: folder.checkpoints,
        backend: run.backend,
        originalAccuracy: run.state.prepared?.originalAccuracy,
        agent: done > 0 ? readAgentCheckpoint(folder.checkpoints, done) : undefined,
      },
      'preparing the model',
    );
    if (!run.state.prepared) {
      run.append<PreparedRecord>({ type: 'prepared', at: now(), ...opened });
      events.log(`${opened.layers.length} quantizable layers; float model ${formatPercent(opened.originalAccuracy)} on ${opened.heldOut} held-out examples; budget ${opened.target.toPrecision(4)} ${opened.unit} (${opened.backend})`);
    }
    for (const { weight, activation } of baselineBits(spec, spec.budget.kind !== 'size')) {
      if (run.view().state.baselines.some((b) => b.weight === weight && b.activation === activation)) continue;
      const baseline = await job<BaselineReply>({ type: 'baseline', weight, activation }, `uniform W${weight}${activation < FLOAT_BITS ? `A${activation}` : ''}`);
      run.append<BaselineRecord>({ type: 'baseline', at: now(), ...baseline });
      events.log(`uniform W${weight}${activation < FLOAT_BITS ? `A${activation}` : ''}: ${formatPercent(baseline.accuracy)} at ${baseline.cost.toPrecision(4)} ${opened.unit}`);
    }
    for (let episode = done; episode < spec.episodes; episode++) {
      const reply = await job<EpisodeReply>({ type: 'episode', episode }, `episode ${episode + 1}/${spec.episodes}`, episode);
      writeAgentCheckpoint(folder.checkpoints, episode + 1, reply.agent);
      const record: EpisodeRecord = { type: 'episode', at: now(), ...reply.episode };
      run.append(record);
      events.finished({ unit: 'episodes', episode: episodeInfo(record) });
    }
    const state = run.view().state;
    if (!state.final && state.best) {
      const best = state.best;
      const final = await job<FinishReply>({ type: 'finish', episode: best.episode, policy: best.policy, exports: folder.exports }, `exporting episode ${best.episode}'s policy`);
      run.append<FinalRecord>({ type: 'final', at: now(), ...final });
    }
    return 'budget';
  } finally {
    await pool.close();
  }
}

/**
 * The agent's state after each episode, in checkpoints/: agent-<episodes>.bin (every float array
 * of its networks and optimizers, in order) then agent-<episodes>.json (the rest, and the
 * layout of the .bin), each written atomically, the .json last: a .json names a complete
 * checkpoint. The last two are kept, so the one matching the journal survives a crash between
 * writing a checkpoint and journaling its episode.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, errorMessage } from '../core/errors';
import { writeFileAtomic } from '../store/atomicFile';
import type { AgentSnapshot } from './quantizationJobs';
import type { DdpgState } from './rl/ddpgAgent';

const name = (episodes: number, ext: 'bin' | 'json') => `agent-${String(episodes).padStart(6, '0')}.${ext}`;

/** The DDPG state's float arrays, in a fixed order. */
type Groups = Record<'actor' | 'actorTarget' | 'critic' | 'criticTarget' | 'actorM' | 'actorV' | 'criticM' | 'criticV', readonly Float32Array[]>;

function groups(ddpg: DdpgState): Groups {
  return {
    actor: ddpg.actor,
    actorTarget: ddpg.actorTarget,
    critic: ddpg.critic,
    criticTarget: ddpg.criticTarget,
    actorM: ddpg.actorOptimizer.m,
    actorV: ddpg.actorOptimizer.v,
    criticM: ddpg.criticOptimizer.m,
    criticV: ddpg.criticOptimizer.v,
  };
}

interface Meta {
  readonly version: 1;
  readonly episodes: number;
  readonly rng: number[];
  readonly ddpg?: {
    readonly layout: Readonly<Record<keyof Groups, number[]>>;
    readonly actorStep: number;
    readonly criticStep: number;
    readonly memory: DdpgState['memory'];
    readonly movingAverage: number | null;
  };
}

export function writeAgentCheckpoint(checkpoints: string, episodes: number, agent: AgentSnapshot): void {
  mkdirSync(checkpoints, { recursive: true });
  let ddpg: Meta['ddpg'];
  if (agent.ddpg) {
    const all = groups(agent.ddpg);
    const arrays = Object.values(all).flat();
    const data = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
    let offset = 0;
    for (const a of arrays) {
      data.set(a, offset);
      offset += a.length;
    }
    writeFileAtomic(join(checkpoints, name(episodes, 'bin')), new Uint8Array(data.buffer));
    const layout = Object.fromEntries(Object.entries(all).map(([k, list]) => [k, list.map((a) => a.length)])) as Record<keyof Groups, number[]>;
    ddpg = { layout, actorStep: agent.ddpg.actorOptimizer.step, criticStep: agent.ddpg.criticOptimizer.step, memory: agent.ddpg.memory, movingAverage: agent.ddpg.movingAverage };
  }
  const meta: Meta = { version: 1, episodes, rng: agent.rng, ...(ddpg ? { ddpg } : {}) };
  writeFileAtomic(join(checkpoints, name(episodes, 'json')), JSON.stringify(meta));
  const keep = new Set([episodes, episodes - 1].flatMap((n) => [name(n, 'bin'), name(n, 'json')]));
  for (const f of readdirSync(checkpoints)) if (/^agent-\d+\.(bin|json)$/.test(f) && !keep.has(f)) unlinkSync(join(checkpoints, f));
}

/** The agent after exactly `episodes` episodes; DataError when that checkpoint is missing or damaged. */
export function readAgentCheckpoint(checkpoints: string, episodes: number): AgentSnapshot {
  const metaFile = join(checkpoints, name(episodes, 'json'));
  if (!existsSync(metaFile)) throw new DataError(`the agent's checkpoint after episode ${episodes} is missing; the run cannot continue its search`, metaFile);
  try {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
    if (!meta.ddpg) return { rng: meta.rng };
    const bytes = readFileSync(join(checkpoints, name(episodes, 'bin')));
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    let offset = 0;
    const take = (lengths: readonly number[]) => lengths.map((n) => data.slice(offset, (offset += n)));
    const l = meta.ddpg.layout;
    const ddpg: DdpgState = {
      actor: take(l.actor),
      actorTarget: take(l.actorTarget),
      critic: take(l.critic),
      criticTarget: take(l.criticTarget),
      actorOptimizer: { step: meta.ddpg.actorStep, m: take(l.actorM), v: take(l.actorV) },
      criticOptimizer: { step: meta.ddpg.criticStep, m: take(l.criticM), v: take(l.criticV) },
      memory: meta.ddpg.memory,
      movingAverage: meta.ddpg.movingAverage,
    };
    if (offset !== data.length) throw new Error(`it holds ${data.length} floats, its layout ${offset}`);
    return { rng: meta.rng, ddpg };
  } catch (e) {
    throw new DataError(`the agent's checkpoint after episode ${episodes} cannot be read: ${errorMessage(e)}`, metaFile);
  }
}

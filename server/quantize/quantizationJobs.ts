/**
 * What the engine asks of the quantization worker thread, which holds the model, the data and
 * the agent for a whole run (one job at a time, in order), and what it answers.
 */
import type { BackendChoice } from '../../contract/backends';
import type { QuantizableLayer, LayerBits } from './quantizableLayers';
import type { BaselineRecord, EpisodeRecord, FinalRecord, PreparedRecord } from './quantizationRecords';
import type { QuantizationSpec } from './quantizationSpec';
import type { DdpgState } from './rl/ddpgAgent';

/** The agent's state after some episodes: its random stream and, for the DDPG agent, the rest. */
export interface AgentSnapshot {
  readonly rng: number[];
  readonly ddpg?: DdpgState;
}

export type QuantizationJob =
  | {
      readonly type: 'open';
      readonly spec: QuantizationSpec;
      readonly baseDir: string;
      /** checkpoints/ of the run: the original model is kept there once loaded or retrained. */
      readonly checkpoints: string;
      readonly backend: BackendChoice;
      /** The float model's held-out accuracy, once journaled. */
      readonly originalAccuracy?: number;
      readonly agent?: AgentSnapshot;
    }
  | { readonly type: 'baseline'; readonly weight: number; readonly activation: number }
  | { readonly type: 'episode'; readonly episode: number }
  | { readonly type: 'finish'; readonly episode: number; readonly policy: readonly LayerBits[]; readonly exports: string };

type Stamped<R> = Omit<R, 'type' | 'at'>;

export type OpenReply = Stamped<PreparedRecord> & { readonly layers: readonly QuantizableLayer[] };
export type BaselineReply = Stamped<BaselineRecord>;
export type EpisodeReply = { readonly episode: Stamped<EpisodeRecord>; readonly agent: AgentSnapshot };
export type FinishReply = Stamped<FinalRecord>;

export type QuantizationReply = OpenReply | BaselineReply | EpisodeReply | FinishReply;

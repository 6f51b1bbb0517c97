/**
 * Collective operations between data-parallel replicas (worker threads) over one
 * SharedArrayBuffer: a generation-counting barrier and an all-gather of float32 vectors, which the
 * gradient average and cross-replica batch norm are built on.
 */
export interface CrossReplica {
  readonly rank: number;
  readonly size: number;
  /**
   * Every replica's `values` (same length on all replicas), in rank order. Blocks until all have
   * contributed. The arrays stay valid until this replica's next-but-one exchange.
   */
  allGather(values: Float32Array): Float32Array[];
  /** Element-wise sum over replicas, added in rank order so that every replica gets identical bits. */
  allReduceSum(values: Float32Array): Float32Array;
}

const COUNT = 0;
const GENERATION = 1;
const CONTROL_BYTES = 64;
/** Busy-wait iterations before sleeping: replicas run in lockstep, so the wait is usually short. */
const SPINS = 20000;

/** Bytes of SharedArrayBuffer needed for `size` replicas exchanging up to `slotFloats` floats each. */
export function crossReplicaBytes(size: number, slotFloats: number): number {
  return CONTROL_BYTES + 2 * size * slotFloats * 4;
}

/**
 * Slots are double-buffered by exchange parity, so one barrier per exchange suffices: a replica
 * writes parity p again only after the next exchange's barrier, which every replica reaches only
 * after it has read the previous parity-p exchange.
 */
export class SharedMemoryReplicas implements CrossReplica {
  private readonly control: Int32Array;
  private readonly slotFloats: number;
  private parity = 0;

  constructor(
    private readonly buffer: SharedArrayBuffer,
    readonly rank: number,
    readonly size: number,
  ) {
    this.control = new Int32Array(buffer, 0, CONTROL_BYTES / 4);
    this.slotFloats = Math.floor((buffer.byteLength - CONTROL_BYTES) / 4 / (2 * size));
  }

  private barrier(): void {
    const generation = Atomics.load(this.control, GENERATION);
    if (Atomics.add(this.control, COUNT, 1) === this.size - 1) {
      Atomics.store(this.control, COUNT, 0);
      Atomics.add(this.control, GENERATION, 1);
      Atomics.notify(this.control, GENERATION);
      return;
    }
    for (let i = 0; i < SPINS; i++) if (Atomics.load(this.control, GENERATION) !== generation) return;
    while (Atomics.load(this.control, GENERATION) === generation) Atomics.wait(this.control, GENERATION, generation);
  }

  private slot(parity: number, rank: number, length: number): Float32Array {
    if (length > this.slotFloats) throw new RangeError(`cross-replica exchange of ${length} floats exceeds the ${this.slotFloats}-float slot`);
    return new Float32Array(this.buffer, CONTROL_BYTES + (parity * this.size + rank) * this.slotFloats * 4, length);
  }

  /**
   * Starts an exchange of `length` floats without copying: write this replica's vector into `own`,
   * then `gather()` waits for all replicas and returns every replica's vector (shared views, valid
   * until this replica's next-but-one exchange).
   */
  exchange(length: number): { own: Float32Array; gather(): Float32Array[] } {
    const parity = this.parity;
    this.parity ^= 1;
    return {
      own: this.slot(parity, this.rank, length),
      gather: () => {
        this.barrier();
        return Array.from({ length: this.size }, (_, r) => this.slot(parity, r, length));
      },
    };
  }

  allGather(values: Float32Array): Float32Array[] {
    const { own, gather } = this.exchange(values.length);
    own.set(values);
    return gather();
  }

  allReduceSum(values: Float32Array): Float32Array {
    const all = this.allGather(values);
    const sum = all[0].slice();
    for (let r = 1; r < all.length; r++) {
      const v = all[r];
      for (let i = 0; i < sum.length; i++) sum[i] += v[i];
    }
    return sum;
  }
}

import { BinaryHeap } from './binaryHeap';

/** Told when an entry joins or leaves the best subset. */
export interface SubsetListener<T> {
  entered(entry: T): void;
  left(entry: T): void;
}

/**
 * The best entries of a growing collection, where how many count as best depends on its size
 * (say, the best half). Two heaps hold the boundary: the worst kept entry and the best of the
 * rest. Adding one entry moves at most two entries across it, and every move is reported, so a
 * model fitted on the best subset is updated in O(log n) heap steps instead of re-sorted and
 * refitted.
 */
export class BestSubset<T> {
  private readonly kept: BinaryHeap<T>;
  private readonly rest: BinaryHeap<T>;

  /**
   * `better(a, b)`: a strict total order (ties broken, e.g. by arrival) so the subset is
   * deterministic. `subsetSize(total)`: how many of `total` entries are kept, at most `total`,
   * growing by at most one per added entry.
   */
  constructor(
    private readonly better: (a: T, b: T) => boolean,
    private readonly subsetSize: (total: number) => number,
    private readonly listener: SubsetListener<T>,
  ) {
    this.kept = new BinaryHeap((a, b) => better(b, a));
    this.rest = new BinaryHeap(better);
  }

  get size(): number {
    return this.kept.size + this.rest.size;
  }

  add(entry: T): void {
    // Every kept entry stays better than every other: the new one goes to the side it belongs to.
    const bestOfRest = this.rest.peek();
    if (bestOfRest !== undefined && this.better(bestOfRest, entry)) this.rest.push(entry);
    else this.keep(entry);
    const target = this.subsetSize(this.size);
    while (this.kept.size > target) {
      const worst = this.kept.pop() as T;
      this.rest.push(worst);
      this.listener.left(worst);
    }
    while (this.kept.size < target && this.rest.size > 0) this.keep(this.rest.pop() as T);
  }

  private keep(entry: T): void {
    this.kept.push(entry);
    this.listener.entered(entry);
  }
}

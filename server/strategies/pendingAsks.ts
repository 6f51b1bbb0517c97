/**
 * Proposals whose tells have not arrived yet, in ask order, each with what the strategy must
 * remember until its tell (the plan behind it). Tells arrive in ask order, so the match is
 * normally the oldest entry. A tell that matches no pending proposal brings an architecture the
 * strategy did not ask for (a warm start's top-k).
 */
export class PendingAsks<Plan> {
  private readonly entries: { readonly key: string; readonly plan: Plan }[] = [];

  add(key: string, plan: Plan): void {
    this.entries.push({ key, plan });
  }

  /** The plan of the oldest pending proposal with this key, no longer pending; undefined if none. */
  take(key: string): Plan | undefined {
    const index = this.entries.findIndex((e) => e.key === key);
    if (index < 0) return undefined;
    return this.entries.splice(index, 1)[0].plan;
  }
}

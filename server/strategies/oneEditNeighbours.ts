import type { Genome, SearchSpace } from '../core/searchSpace';

/** Every genome that differs from `genome` in exactly one decision. */
export function oneEditNeighbours(space: SearchSpace, genome: Genome): Genome[] {
  const out: Genome[] = [];
  space.decisions.forEach((decision, i) => {
    for (let option = 0; option < decision.choices.length; option++) {
      if (option === genome[i]) continue;
      const next = genome.slice();
      next[i] = option;
      out.push(next);
    }
  });
  return out;
}

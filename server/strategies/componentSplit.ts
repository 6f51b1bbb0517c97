import { SpecError } from '../core/errors';
import type { DecisionGroup, SearchSpace } from '../core/searchSpace';

/** How many decision names an error lists before "…". */
const NAMES_SHOWN = 12;

function names(list: readonly string[]): string {
  const shown = list.slice(0, NAMES_SHOWN).map((n) => `"${n}"`).join(', ');
  return list.length > NAMES_SHOWN ? `${shown}, … (${list.length} in all)` : shown;
}

/** The space's natural parts (NB201: its edges; OFA: its stages; layers: its blocks), else one part per decision. */
export function defaultComponents(space: SearchSpace): readonly DecisionGroup[] {
  return space.components ?? space.decisions.map((d, i) => ({ name: d.name, decisions: [i] }));
}

/**
 * What is wrong with a split of the space's decisions into components, given by decision
 * names: unknown names, a decision in two components, decisions in none. Paths are relative to
 * the strategy's options.
 */
export function componentProblems(space: SearchSpace, split: readonly (readonly string[])[]): SpecError[] {
  const problems: SpecError[] = [];
  const index = new Map(space.decisions.map((d, i) => [d.name, i]));
  const owner = new Map<string, number>();
  split.forEach((component, c) =>
    component.forEach((name, k) => {
      const path = ['components', c, k];
      if (!index.has(name)) problems.push(new SpecError(`"${name}" is not a decision of the "${space.id}" space; its decisions are ${names(space.decisions.map((d) => d.name))}`, path));
      else if (owner.has(name)) problems.push(new SpecError(`"${name}" is already in component ${owner.get(name)}: every decision belongs to one component`, path));
      else owner.set(name, c);
    }),
  );
  const missing = space.decisions.map((d) => d.name).filter((n) => !owner.has(n));
  if (missing.length > 0) problems.push(new SpecError(`the components leave out ${names(missing)}: every decision belongs to one component`, ['components']));
  return problems;
}

/** The split as decision groups: the spec's (checked by componentProblems at validation) or the space's default. */
export function resolveComponents(space: SearchSpace, split: readonly (readonly string[])[] | undefined): readonly DecisionGroup[] {
  if (!split) return defaultComponents(space);
  const problems = componentProblems(space, split);
  if (problems.length > 0) throw problems[0];
  const index = new Map(space.decisions.map((d, i) => [d.name, i]));
  return split.map((component) => ({ name: component.join('+'), decisions: component.map((n) => index.get(n)!) }));
}

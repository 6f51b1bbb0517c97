import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import { DataError, MissingFileError, SpecError, errorMessage, type JsonPath } from '../core/errors';
import { searchRun } from '../experiment/searchRun';
import { trialByNumber, type SearchView } from '../experiment/searchQueries';
import { layersGraph } from '../graphs/layersGraph';
import { eraseKind } from '../runs/runKind';
import { RunReader } from '../runs/runReader';
import { runFolder } from '../store/runFolder';
import { PROXYLESS_SPACE, type ProxylessArch } from '../proxyless/proxylessArch';
import { proxylessRun } from '../proxyless/proxylessRun';
import type { ProxylessState } from '../proxyless/proxylessState';
import type { OfaSmallConfig } from '../supernet/ofaSmallConfig';
import { OFA_SMALL_TYPE } from '../supernet/ofaSmallOptions';
import { resolveSubnet } from '../supernet/subnetChoice';
import { supernetRun } from '../supernet/supernetRun';
import type { SupernetSpec } from '../supernet/supernetSpec';
import { checkScalableStack } from './scaledLayerStack';
import { checkScalableMbConv } from './scaledMbConvNetwork';
import { ofaSubnetNetwork } from './ofaSubnetNetwork';
import type { ScalableArch } from './scalableArch';

/** Where the spec says the base network is: exactly one of "file", "run" or "architecture". */
export interface RawBase {
  readonly file?: string;
  readonly run?: string;
  readonly trial?: number;
  /** With a supernet run: which sub-network ("largest", "smallest" or {ks, e, d, r}). */
  readonly subnet?: unknown;
  readonly architecture?: Record<string, unknown>;
}

/** Architecture files may carry what the engine wrote next to the architecture (description, trial, metrics). */
function architectureOnly(value: Record<string, unknown>): Record<string, unknown> {
  const { description: _d, trial: _t, metrics: _m, ...arch } = value;
  return arch;
}

function readArchFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new MissingFileError('architecture file not found', file);
  if (!statSync(file).isFile()) throw new DataError(`${file}: is not a regular file`, file);
  const errors: ParseError[] = [];
  const value: unknown = parse(readFileSync(file, 'utf8'), errors, { allowTrailingComma: true });
  if (errors.length > 0 || !value || typeof value !== 'object' || Array.isArray(value)) throw new DataError(`${file}: is not an architecture (a JSON object)`, file);
  return architectureOnly(value as Record<string, unknown>);
}

/** Runs a base can come from; only these kinds are read, so no other kind's code loads. */
const reader = new RunReader((kind) => (kind === 'search' ? eraseKind(searchRun) : kind === 'proxyless' ? eraseKind(proxylessRun) : kind === 'supernet' ? eraseKind(supernetRun) : undefined));

/**
 * The network a run folder names: a search's best (or given) trial, a ProxylessNAS search's
 * derived network, or the `subnet` of a supernet, as a standalone MBConv network.
 */
function readRunNetwork(dir: string, raw: RawBase): { arch: unknown; from: string } {
  const folder = runFolder(dir);
  if (!existsSync(folder.spec)) throw new MissingFileError('no run in this folder (it has no spec.json)', folder.dir);
  const run = reader.read({ layout: 'folder', id: folder.id, folder });
  if (!run.readable) throw new DataError(`${folder.dir}: is not a search, ProxylessNAS or supernet run NAS Studio can read (${run.summary.damage?.[0] ?? 'unknown problem'})`, folder.dir);
  const kind = run.kind.id;
  if (raw.trial !== undefined && kind !== 'search') throw new SpecError(`"trial" picks a trial of a search run; ${folder.id} is a ${kind} run`, ['trial']);
  if (raw.subnet !== undefined && kind !== 'supernet') throw new SpecError(`"subnet" picks a sub-network of a supernet run; ${folder.id} is a ${kind} run`, ['subnet']);
  if (kind === 'proxyless') {
    const derived = (run.view.state as ProxylessState).derived;
    if (!derived) throw new DataError(`ProxylessNAS run ${folder.id} has not derived its network yet`, folder.dir);
    return { arch: derived.arch, from: `the derived network of run ${folder.id}` };
  }
  if (kind === 'supernet') {
    if (raw.subnet === undefined) throw new SpecError(`run ${folder.id} is a supernet: "subnet" names the sub-network to grow ("largest", "smallest" or {ks, e, d, r})`, ['run']);
    return { arch: subnetOf((run.view.spec as SupernetSpec).supernet, raw.subnet, ['subnet']), from: `sub-network of supernet run ${folder.id}` };
  }
  const view = run.view as SearchView;
  if (raw.trial !== undefined) {
    try {
      return { arch: trialByNumber(view, raw.trial).arch, from: `trial ${raw.trial} of run ${folder.id}` };
    } catch (e) {
      throw new SpecError(errorMessage(e), ['trial']);
    }
  }
  const best = view.state.best;
  if (!best) throw new DataError(`run ${folder.id} has no feasible trial yet to grow`, folder.dir);
  return { arch: best.arch, from: `best trial ${best.trial} of run ${folder.id}` };
}

/** A supernet's sub-network as a standalone MBConv network; SpecError at `at` when the choice is not one of its sub-networks. */
function subnetOf(config: OfaSmallConfig, choice: unknown, at: JsonPath): ProxylessArch {
  try {
    return ofaSubnetNetwork(config, resolveSubnet(choice, config));
  } catch (e) {
    if (e instanceof SpecError) throw new SpecError(e.message, [...at, ...e.path]);
    throw e;
  }
}

/**
 * An architecture file as a scalable network: a layer stack or derived network as it stands; a
 * sub-network written by `export-subnet` (subnet.json, space "ofa-small") through the supernet
 * run it names.
 */
function fileNetwork(file: string, baseDir: string): unknown {
  const arch = readArchFile(file);
  if (arch.space !== OFA_SMALL_TYPE) return arch;
  const run = (arch.supernet as { run?: unknown } | undefined)?.run;
  if (typeof run !== 'string') throw new DataError(`${file}: an ofa-small sub-network without the supernet run it came from ("supernet": {"run": ...}, as export-subnet writes it); name the run in "run" and the sub-network in "subnet" instead`, file);
  const { supernet: _s, input: _i, output: _o, ...subnet } = arch;
  return subnetOf(openSupernetSpec(isAbsolute(run) ? run : resolve(baseDir, run)).supernet, subnet, []);
}

/** The spec of a supernet run folder. */
function openSupernetSpec(dir: string): SupernetSpec {
  const folder = runFolder(dir);
  if (!existsSync(folder.spec)) throw new MissingFileError('the supernet run this sub-network came from is not there (no spec.json)', folder.dir);
  const run = reader.read({ layout: 'folder', id: folder.id, folder });
  if (!run.readable || run.kind.id !== 'supernet') throw new DataError(`${folder.dir}: is not a supernet run NAS Studio can read`, folder.dir);
  return run.view.spec as SupernetSpec;
}

/** A layer stack or an MBConv network NAS Studio can scale and train; SpecError with the path inside the architecture. */
function checkScalable(arch: unknown): ScalableArch {
  const space = (arch as { space?: unknown } | null)?.space;
  if (space === PROXYLESS_SPACE) return checkScalableMbConv(arch);
  if (space === 'ofa-mbv3') {
    throw new SpecError('OFA MobileNetV3 sub-networks (space "ofa-mbv3", as specialization exports them) use squeeze-excite and h-swish, which the training stack does not build; grow an ofa-small sub-network, a derived ProxylessNAS network or a layer stack', ['space']);
  }
  const stack = checkScalableStack(arch);
  layersGraph(stack);
  return stack;
}

/**
 * The base network of a scaling spec, read in full (the run's spec keeps it, so the run never
 * reads these files again) and checked: a trainable layer stack whose layers fit together, or an
 * MBConv network (a derived ProxylessNAS network, a supernet's sub-network).
 * Throws SpecError (paths inside `base`), MissingFileError or DataError (naming the file).
 */
export function resolveBase(raw: RawBase, baseDir: string): { arch: ScalableArch; from: string } {
  const given = (['file', 'run', 'architecture'] as const).filter((k) => raw[k] !== undefined);
  if (given.length !== 1) throw new SpecError(`base needs exactly one of "file", "run" or "architecture"${given.length > 1 ? `, not ${given.join(' and ')}` : ''}`, []);
  if (raw.trial !== undefined && raw.run === undefined) throw new SpecError('"trial" picks a trial of a "run"', ['trial']);
  if (raw.subnet !== undefined && raw.run === undefined) throw new SpecError('"subnet" picks a sub-network of a supernet "run"', ['subnet']);
  const path = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const found =
    raw.file !== undefined
      ? { arch: fileNetwork(path(raw.file), baseDir), from: raw.file, at: ['file'] }
      : raw.run !== undefined
        ? { ...readRunNetwork(path(raw.run), raw), at: ['run'] }
        : { arch: architectureOnly(raw.architecture!), from: 'the spec', at: ['architecture'] };
  try {
    return { arch: checkScalable(found.arch), from: found.from };
  } catch (e) {
    // Problems inside an inline architecture point at it; inside a file or a run, at the option naming it.
    if (e instanceof SpecError && raw.architecture !== undefined) throw new SpecError(e.message, [...found.at, ...e.path]);
    if (e instanceof SpecError) throw new SpecError(`${found.from}: ${e.message}`, found.at);
    throw e;
  }
}

import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CancelledError, NasError, errorMessage } from '../core/errors';
import type { ProgressParams, SpecializationSummary, SpecializeParams } from '../../contract/protocol';
import { exportSubnet } from '../specialize/exportSubnet';
import { specialize, type SpecializationResult } from '../specialize/specialize';
import { writeFileAtomic } from '../store/experimentStore';

export interface SpecializationListener {
  changed(summary: SpecializationSummary): void;
  progress(params: ProgressParams): void;
  log(message: string): void;
}

interface SpecializationRecord extends SpecializationSummary {
  /** Kept to export sub-networks later in exactly the format the CLI writes. */
  readonly result?: SpecializationResult;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'specialization';
}

/**
 * Specialization runs started from the editor: one JSON file each under `folder`, written when
 * the run starts and again when it ends, so the explorer can list them across restarts.
 */
export class SpecializationManager {
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(
    readonly folder: string,
    private readonly listener: SpecializationListener,
  ) {}

  private file(id: string): string {
    return join(this.folder, `${id}.json`);
  }

  private read(id: string): SpecializationRecord {
    const file = this.file(id);
    if (!/^[\w.-]+$/.test(id) || !existsSync(file)) throw new NasError('not-found', `no specialization "${id}"`);
    return JSON.parse(readFileSync(file, 'utf8')) as SpecializationRecord;
  }

  private write(record: SpecializationRecord): void {
    mkdirSync(this.folder, { recursive: true });
    writeFileAtomic(this.file(record.id), JSON.stringify(record, null, 2) + '\n');
  }

  private static summary({ result: _result, ...summary }: SpecializationRecord): SpecializationSummary {
    return summary;
  }

  list(): SpecializationSummary[] {
    if (!existsSync(this.folder)) return [];
    return readdirSync(this.folder)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => {
        try {
          const record = this.read(f.replace(/\.json$/, ''));
          // A run that was going when its engine died did not finish: say so.
          return [SpecializationManager.summary(record.status === 'running' && !this.active.has(record.id) ? { ...record, status: 'stopped' } : record)];
        } catch {
          return [];
        }
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  start(params: SpecializeParams): string {
    const createdAt = new Date().toISOString();
    const name = params.name ?? `ofa-${params.limits.join('-')}${params.efficiency.kind === 'lut' ? 'ms' : 'mflops'}`;
    const id = `${slug(name)}-${createdAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${Math.random().toString(36).slice(2, 6)}`;
    const running: SpecializationRecord = { id, name, status: 'running', createdAt, request: params, subnets: [] };
    this.write(running);
    this.listener.changed(SpecializationManager.summary(running));
    const controller = new AbortController();
    const request = { predictor: params.predictor, efficiency: params.efficiency, limits: params.limits, seed: params.seed ?? 0 };
    const done = specialize(request, {
      signal: controller.signal,
      progress: (fraction, best) =>
        this.listener.progress({
          id,
          fraction,
          trialsDone: 0,
          budget: params.limits.length,
          message: `limit ${best.limit}: ${(best.predictedAccuracy * 100).toFixed(2)} % at ${best.efficiency.toFixed(2)}`,
        }),
    })
      .then((result) => {
        const finished: SpecializationRecord = {
          ...running,
          status: 'finished',
          efficiency: { label: result.efficiency.label, metric: result.efficiency.metric, unit: result.efficiency.unit },
          subnets: result.subnets.map((s) => ({ ...s, arch: { space: 'ofa-mbv3', ...s.arch } })),
          result,
        };
        this.write(finished);
        this.listener.log(`${id}: finished (${result.subnets.map((s) => `${s.limit}: ${(s.predictedAccuracy * 100).toFixed(2)} %`).join(', ')})`);
      })
      .catch((e) => {
        const stopped = e instanceof CancelledError;
        this.write({ ...running, status: stopped ? 'stopped' : 'failed', ...(stopped ? {} : { error: errorMessage(e) }) });
        this.listener.log(`${id}: ${stopped ? 'stopped' : `failed: ${errorMessage(e)}`}`);
      })
      .finally(() => {
        this.active.delete(id);
        this.listener.changed(SpecializationManager.summary(this.read(id)));
      });
    this.active.set(id, { controller, done });
    return id;
  }

  async stop(id: string): Promise<SpecializationSummary> {
    const run = this.active.get(id);
    if (run) {
      run.controller.abort();
      await run.done;
    }
    return SpecializationManager.summary(this.read(id));
  }

  async exportSubnet(id: string, limit: number, path: string): Promise<void> {
    const record = this.read(id);
    if (!record.result) throw new NasError('not-found', `specialization "${id}" has no result (${record.status})`);
    await exportSubnet(record.result, path, limit);
  }

  async shutdown(): Promise<void> {
    for (const run of this.active.values()) run.controller.abort();
    await Promise.all([...this.active.values()].map((r) => r.done));
  }
}

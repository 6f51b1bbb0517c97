// What the suites run INSIDE code-server's extension host share: named tests whose results are
// printed as `[nas-e2e] PASS|FAIL name` lines (the driver, extensionSuite.ts, reads them from the
// page's console), polling, and a small real experiment spec.
import * as vscode from 'vscode';
import type { NasStudioApi } from '../../../extension/extension';

const results: string[] = [];

export async function test(name: string, fn: () => Promise<void>): Promise<void> {
  const t0 = Date.now();
  try {
    await fn();
    results.push(`PASS ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push(`FAIL ${name}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }
}

/** Tells the driver something (it sees `[nas-e2e] <message>` in the page's console as it happens). */
export function signal(message: string): void {
  console.log(`[nas-e2e] ${message}`);
}

/** Prints the results; throws when a test failed (the suite then exits non-zero). */
export function report(): void {
  for (const r of results) signal(r);
  const failed = results.filter((r) => r.startsWith('FAIL'));
  if (failed.length > 0) throw new Error(`${failed.length} extension test(s) failed`);
}

export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The NAS Studio extension, activated. */
export async function activated(): Promise<NasStudioApi> {
  const extension = vscode.extensions.getExtension<NasStudioApi>('nas-studio.nas-studio');
  if (!extension) throw new Error('nas-studio.nas-studio not found');
  return extension.activate();
}

/** A fast but real search: small MLPs trained on a slice of the embedded MNIST. */
export function tinySpec(name: string, trials: number, trainSamples: number): object {
  return {
    name,
    space: { type: 'layers', convBlocks: { max: 0 }, denseLayers: { max: 2, units: [16, 32, 64] }, dropout: [0, 0.25] },
    evaluator: { type: 'train', trainSamples, validationSamples: 256, testSamples: 0, latencyRepeats: 3, workers: 1 },
    strategy: { type: 'regularized-evolution', population: 3, sampleSize: 2 },
    objectives: [{ metric: 'val_accuracy', goal: 'maximize' }],
    budget: { trials },
    seed: 3,
  };
}

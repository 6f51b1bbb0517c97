import { basename } from 'node:path';
import { searchRun } from '../experiment/searchRun';
import { quantizationRun } from '../quantize/quantizationRun';
import { specializationRun } from '../specialize/specializationRun';
import { supernetRun } from '../supernet/supernetRun';
import { eraseKind, type AnyRunKind } from './runKind';

/** Every kind of run, by `id`. A new method is one more entry here (see docs/architecture.md). */
export const runKinds: readonly AnyRunKind[] = [eraseKind(searchRun), eraseKind(supernetRun), eraseKind(specializationRun), eraseKind(quantizationRun)];

export function runKind(id: string): AnyRunKind | undefined {
  return runKinds.find((k) => k.id === id);
}

/** The kind whose spec files end like this file's name (`*.nas.json`, `*.supernet.json`). */
export function runKindOfSpecFile(file: string): AnyRunKind | undefined {
  const name = basename(file).toLowerCase();
  return runKinds.find((k) => k.specSuffix !== undefined && name.endsWith(k.specSuffix));
}

import { basename } from 'node:path';
import { ensembleRun } from '../ensemble/ensembleRun';
import { searchRun } from '../experiment/searchRun';
import { proxylessRun } from '../proxyless/proxylessRun';
import { scalingRun } from '../scaling/scalingRun';
import { quantizationRun } from '../quantize/quantizationRun';
import { specializationRun } from '../specialize/specializationRun';
import { supernetRun } from '../supernet/supernetRun';
import { eraseKind, type AnyRunKind } from './runKind';

/** Every kind of run, by `id`. A new method is one more entry here (see docs/architecture.md). */
export const runKinds: readonly AnyRunKind[] = [eraseKind(searchRun), eraseKind(supernetRun), eraseKind(specializationRun), eraseKind(proxylessRun), eraseKind(scalingRun), eraseKind(ensembleRun), eraseKind(quantizationRun)];

export function runKind(id: string): AnyRunKind | undefined {
  return runKinds.find((k) => k.id === id);
}

/** The kind whose spec files end like this file's name (`*.nas.json`, `*.supernet.json`, `*.proxyless.json`, `*.scaling.json`, `*.ensemble.json`, `*.quantize.json`). */
export function runKindOfSpecFile(file: string): AnyRunKind | undefined {
  const name = basename(file).toLowerCase();
  return runKinds.find((k) => k.specSuffix !== undefined && name.endsWith(k.specSuffix));
}

import type { RunKindId } from '../contract/runs';
import { proxylessConsole } from './proxylessConsole';
import { ensembleConsole } from './ensembleConsole';
import type { RunConsole } from './runConsole';
import { scalingConsole } from './scalingConsole';
import { quantizationConsole } from './quantizationConsole';
import { searchConsole } from './searchConsole';
import { specializationConsole } from './specializationConsole';
import { supernetConsole } from './supernetConsole';

/** The console of each run kind (a new kind adds one). */
export const runConsoles: Readonly<Record<RunKindId, RunConsole>> = {
  search: searchConsole,
  supernet: supernetConsole,
  specialization: specializationConsole,
  proxyless: proxylessConsole,
  scaling: scalingConsole,
  ensemble: ensembleConsole,
  quantization: quantizationConsole,
};

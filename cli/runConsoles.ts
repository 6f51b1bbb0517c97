import type { RunKindId } from '../contract/runs';
import type { RunConsole } from './runConsole';
import { quantizationConsole } from './quantizationConsole';
import { searchConsole } from './searchConsole';
import { specializationConsole } from './specializationConsole';
import { supernetConsole } from './supernetConsole';

/** The console of each run kind (a new kind adds one). */
export const runConsoles: Readonly<Record<RunKindId, RunConsole>> = {
  search: searchConsole,
  supernet: supernetConsole,
  specialization: specializationConsole,
  quantization: quantizationConsole,
};

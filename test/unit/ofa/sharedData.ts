import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Reference data folder (../shared/data from the repository root, or NAS_SHARED_DATA). */
export const sharedData = process.env.NAS_SHARED_DATA ?? resolve(__dirname, '../../../../shared/data');

/** Path of an OFA reference file, or undefined (tests skip with a message) when it is absent. */
export function ofaFile(name: string): string | undefined {
  const path = resolve(sharedData, 'ofa', name);
  return existsSync(path) ? path : undefined;
}

export const SKIP_MESSAGE = `OFA reference data not found under ${sharedData} (set NAS_SHARED_DATA)`;

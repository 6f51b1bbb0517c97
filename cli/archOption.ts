import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SubnetChoice } from '../contract/protocol';
import { errorMessage } from '../server/core/errors';
import { UsageError } from './commandSupport';

/** --arch: `largest`, `smallest`, an architecture as JSON text, or a file holding one (e.g. exports/best.arch.json). */
export function archOption(value: string): SubnetChoice {
  if (value === 'largest' || value === 'smallest') return value;
  const inline = value.trimStart().startsWith('{');
  try {
    return JSON.parse(inline ? value : readFileSync(resolve(value), 'utf8')) as SubnetChoice;
  } catch (e) {
    throw new UsageError(existsSync(resolve(value)) || inline ? `--arch is not valid JSON: ${errorMessage(e)}` : `--arch: no such file ${value}`);
  }
}

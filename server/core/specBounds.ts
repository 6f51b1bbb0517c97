import type { JsonSchema } from './jsonSchema';

/**
 * Upper bounds shared by the options of spec files. Every number and list in a spec has one, so
 * that a typo (an extra zero, 1e309) is an error with a position instead of a run that never
 * ends or a process that runs out of memory. docs/reliability.md lists them.
 */

/** Choices one decision of a search space may list (kernel sizes, widths, resolutions, ...). */
export const MAX_CHOICES = 64;

/** Examples a run may train, validate, test or recalibrate on (ImageNet has 1.28 million). */
export const MAX_SAMPLES = 10_000_000;

/** Timed predictions behind one latency measurement. */
export const MAX_LATENCY_REPEATS = 10_000;

/** Characters of a file or folder path (Linux's PATH_MAX). */
export const MAX_PATH_LENGTH = 4096;

/** An option naming a file or folder: not empty, not too long, and without the NUL character no file system allows. */
export function pathSchema(description: string): JsonSchema {
  return { type: 'string', minLength: 1, maxLength: MAX_PATH_LENGTH, pattern: '^[^\\u0000]*$', patternErrorMessage: 'must not contain a NUL character (no file name can)', description };
}

/** Characters of a short name: a run's display name, a metric, a queue. */
export const MAX_NAME_LENGTH = 200;

/** Characters of a free-text description. */
export const MAX_DESCRIPTION_LENGTH = 10_000;

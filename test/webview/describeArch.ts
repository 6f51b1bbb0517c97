import type { ArchJson } from '../../contract/architecture';

/** Short text for a test architecture (the real one comes from the search space). */
export function describeArch(arch: ArchJson): string {
  return arch.space === 'ofa-mbv3' ? `OFA d=[${(arch.d as number[]).join(',')}] r=${String(arch.r)}` : String(arch.space);
}

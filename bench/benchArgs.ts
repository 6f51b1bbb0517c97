/** Command-line conventions of the benchmarks: `--name value` options, and `--json` (tables to stderr, one JSON line last on stdout). */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

export const json = process.argv.includes('--json');

/** A line of the human-readable output: stdout, or stderr with --json. */
export function log(line: string): void {
  (json ? process.stderr : process.stdout).write(line + '\n');
}

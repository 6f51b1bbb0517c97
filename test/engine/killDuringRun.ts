import { spawn } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(__dirname, '../../bin/nas-studio.js');

/**
 * Runs `nas-studio ARGS` and kills it with SIGKILL (no chance to journal anything) once its
 * output has shown `trials` finished trials; rejects if it ends before. Resolves with what it
 * printed, after it is gone.
 */
export async function killDuringRun(args: string[], cwd: string, trials: number): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      output += d;
      if ((output.match(/ trial \d/g) ?? []).length >= trials) resolve();
    });
    child.once('exit', () => reject(new Error(`run ended before the kill:\n${output}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return output;
}

/**
 * Child process of the spec fuzzer: validates the spec files it is sent exactly as
 * `nas-studio run` / `train` do before they start anything (read the file, validate, print
 * file:line:col diagnostics, map errors to exit codes) and answers with the exit code and what
 * went to stderr. The parent times every request out, so a hang here is seen as a hang.
 */
import { dirname } from 'node:path';
import { type CommandIo, guardCommand, printDiagnostics, readSpecFile, ReportedError } from '../../cli/commandSupport';
import { validateSpecText } from '../../server/experiment/validate';
import { validateSupernetSpecText } from '../../server/supernet/validateSupernet';
import type { SpecKind } from './hostileSpecs';

export interface ValidateRequest {
  readonly id: number;
  readonly kind: SpecKind;
  readonly file: string;
}

export interface ValidateReply {
  readonly id: number;
  readonly exitCode: number;
  readonly stderr: string;
}

process.on('message', (request: ValidateRequest) => {
  void validate(request).then((reply) => process.send?.(reply));
});

async function validate({ id, kind, file }: ValidateRequest): Promise<ValidateReply> {
  const lines: string[] = [];
  const io: CommandIo = { out: () => undefined, err: (line) => lines.push(line) };
  const exitCode = await guardCommand(io, '', async () => {
    const text = readSpecFile(file);
    const context = { file, baseDir: dirname(file) };
    const validation = kind === 'supernet' ? validateSupernetSpecText(text, context) : validateSpecText(text, context);
    printDiagnostics(io, file, text, validation.diagnostics);
    if (!validation.spec) throw new ReportedError();
  });
  return { id, exitCode, stderr: lines.join('\n') };
}

import { type CommandIo, guardCommand, processIo } from './commandSupport';
import { createAndRun } from './runCommand';

export const TRAIN_USAGE = `usage: nas-studio train SPEC [--out DIR] [--root DIR] [--backend auto|wasm|cpu|tensorflow] [--json]
  nas-studio run for *.supernet.json specs: trains the OFA supernet with a line per epoch (phase,
  loss, accuracy of the largest and smallest sub-networks, images/s, ETA), a checkpoint after every
  epoch. A stopped or killed run continues from its last checkpoint with nas-studio resume.
  --json: the last line is one JSON object {"experiment", "status", "training": {"epoch", "epochs", "accuracy", ...}}.`;

/** `nas-studio train`: `run`, for supernet specs only. */
export async function trainCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, TRAIN_USAGE, (signal) => createAndRun(argv, io, signal, 'supernet'));
}

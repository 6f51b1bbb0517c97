import { parseArgs } from 'node:util';
import { NasError } from '../server/core/errors';
import { applyJournalRepair, planJournalRepair } from '../server/runs/journalRepair';
import { describeOwner, liveLockHolder } from '../server/store/runLock';
import { type CommandIo, guardCommand, processIo, UsageError } from './commandSupport';
import { openRuns, rootOption } from './root';

export const REPAIR_USAGE = `usage: nas-studio repair ID|DIR [--root DIR] [--yes]
  Rewrites a damaged run's journal: keeps every record that belongs to the run, once (a repeated
  trial, epoch or limit counts once), drops lines that are not records or cannot belong to it, and
  keeps the original as journal.jsonl.bak-<time>. Without --yes it only says what it would do.`;

/** `nas-studio repair ID`: a clean journal for a damaged run, after saying what changes. */
export async function repairCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, REPAIR_USAGE, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...rootOption, yes: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError('expected one run id or folder');
    const service = openRuns(values.root);
    const location = service.find(positionals[0]);
    if (location.layout !== 'folder') throw new NasError('invalid-request', `${location.id} is a specialization file of NAS Studio 0.1, not a run folder: there is no journal to repair`);
    const run = service.read(location);
    if (!run.readable) throw new NasError('damaged', `the spec snapshot of ${location.id} cannot be read (${run.summary.damage?.[0]}); repair rewrites journals only`);
    const holder = liveLockHolder(location.folder.lock);
    if (holder) throw new NasError('busy', `run ${location.id} is running (${describeOwner(holder)}); stop it first`);
    const plan = planJournalRepair(run.kind, run.view.spec, location.folder.journal);
    if (plan.dropped.length === 0 && plan.repeats === 0) {
      io.out(`${location.id}: the journal is clean (${plan.kept.length} records); nothing to repair`);
      return;
    }
    io.out(`${location.id}: keeping ${plan.kept.length} records; dropping ${plan.repeats} repeated record(s) and ${plan.dropped.length} line(s):`);
    for (const d of plan.dropped.slice(0, 50)) io.out(`  line ${d.line}: ${d.reason}`);
    if (plan.dropped.length > 50) io.out(`  … and ${plan.dropped.length - 50} more`);
    if (!values.yes) {
      io.out(`nothing changed; run again with --yes to rewrite ${location.folder.journal}`);
      return;
    }
    const backup = applyJournalRepair(location.folder.journal, plan);
    service.reader.forget(location);
    const summary = service.summary(location);
    io.out(`rewrote ${location.folder.journal} (original kept as ${backup}); the run is now ${summary.status}, ${summary.progress.done}/${summary.progress.total} ${summary.progress.unit}`);
  });
}

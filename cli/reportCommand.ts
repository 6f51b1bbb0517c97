import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extentLine, runLabel } from '../contract/runText';
import type { TrialRecord } from '../contract/runs';
import { NasError } from '../server/core/errors';
import { toTrialRecord, type FinishedTrial } from '../server/experiment/searchRecords';
import type { SearchView } from '../server/experiment/searchQueries';
import { buildReportHtml, type ReportBundle } from '../server/report/htmlReport';
import { loadReportAssets } from '../server/report/reportAssets';
import { epochPoints } from '../server/report/trainingCurve';
import type { RunView } from '../server/runs/runKind';
import { readRecordsAt } from '../server/store/journal';
import type { SupernetState } from '../server/supernet/supernetState';
import { diskError } from '../server/store/diskErrors';
import { type CommandIo, guardCommand, processIo, UsageError } from './commandSupport';
import { openRuns, rootOption } from './root';

export const REPORT_USAGE =
  "usage: nas-studio report ID|DIR [--root DIR] [--out FILE]\n  One self-contained HTML file that opens offline in any browser: a search's latency/accuracy plot,\n  best architecture's graph and progress; a supernet run's training curves; a ProxylessNAS search's\n  architecture parameters, curves and derived network; a specialization's sub-networks.\n  Default FILE: <run folder>/exports/report.html.";

/** The installed package: dist/cli.js when bundled, cli/ when run from source; both one level down. */
const packageRoot = resolve(__dirname, '..');

/** `nas-studio report ID`: one self-contained HTML file (no network, no server) with the same views as the editor. */
export async function reportCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, REPORT_USAGE, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...rootOption, out: { type: 'string' } } });
    if (positionals.length !== 1) throw new UsageError('expected one run id or folder');
    if (values.out === '') throw new UsageError('--out must name a file');
    const service = openRuns(values.root);
    const location = service.find(positionals[0]);
    const run = service.read(location);
    if (!run.readable) throw new NasError('damaged', `run ${location.id} cannot be read: ${run.summary.damage?.[0]}`);
    const summary = service.summary(location);
    const assets = loadReportAssets(packageRoot);
    const html = buildReportHtml({ summary, bundles: bundlesFor(summary.kind, assets.bundles), css: assets.css, label: runLabel(summary), ...kindData(run.view, summary.kind) });
    const out = resolve(values.out ?? join(run.view.folder.exports, 'report.html'));
    try {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, html);
    } catch (e) {
      throw diskError(e, out);
    }
    io.out(`${out}: report of ${summary.name} (${summary.status}, ${summary.kind === 'search' ? `${summary.trials}/${summary.budget} trials` : extentLine(summary)}), ${Math.round(html.length / 1024)} KiB`);
  });
}

/** The views each kind's report shows (a supernet run has no trials to plot or draw; a specialization is a table; a ProxylessNAS search its own view). */
function bundlesFor(kind: string, bundles: readonly ReportBundle[]): ReportBundle[] {
  if (kind === 'search') return bundles.filter((b) => b.name !== 'proxylessView');
  if (kind === 'supernet') return bundles.filter((b) => b.name === 'reportView' || b.name === 'progressView');
  if (kind === 'proxyless') return bundles.filter((b) => b.name === 'reportView' || b.name === 'proxylessView');
  return bundles.filter((b) => b.name === 'reportView');
}

function kindData(view: RunView<unknown, unknown>, kind: string): { trials: TrialRecord[]; constraints?: SearchView['spec']['constraints']; training?: ReturnType<typeof epochPoints> } {
  if (kind === 'search') {
    const search = view as SearchView;
    return { trials: (readRecordsAt(search.folder.journal, [...search.state.trials.values()]) as FinishedTrial[]).map(toTrialRecord), constraints: search.spec.constraints };
  }
  if (kind === 'supernet') return { trials: [], training: epochPoints((view as RunView<unknown, SupernetState>).state.epochs) };
  return { trials: [] };
}

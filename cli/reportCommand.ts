import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runLabel } from '../extension/summaryText';
import { buildReportHtml } from '../server/report/htmlReport';
import { loadReportAssets } from '../server/report/reportAssets';
import { epochPoints } from '../server/report/trainingCurve';
import { loadExperimentState, summarize, toTrialRecord } from '../server/store/experimentState';
import { type CommandIo, guardCommand, processIo, UsageError } from './commandSupport';
import { findExperiment } from './findExperiment';
import { rootOption } from './root';

export const REPORT_USAGE =
  'usage: nas-studio report ID|DIR [--root DIR] [--out FILE]\n  One self-contained HTML file (latency/accuracy plot, best architecture\'s graph, progress; the\n  training curves of a supernet run) that opens offline in any browser; default FILE:\n  <experiment folder>/exports/report.html.';

/** The installed package: dist/cli.js when bundled, cli/ when run from source; both one level down. */
const packageRoot = resolve(__dirname, '..');

/**
 * `nas-studio report ID`: one self-contained HTML file (no network, no server) with the same
 * views as the editor: the plot with the spec's constraints, the best architecture's graph and
 * the search progress.
 */
export async function reportCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  return guardCommand(io, REPORT_USAGE, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...rootOption, out: { type: 'string' } } });
    if (positionals.length !== 1) throw new UsageError('expected one experiment id or folder');
    const files = findExperiment(positionals[0], values.root);
    const state = loadExperimentState(files);
    const summary = summarize(state);
    const assets = loadReportAssets(packageRoot);
    // A supernet training run has no trials to plot or draw: its report is the training curves.
    const bundles = state.training ? assets.bundles.filter((b) => b.name === 'reportView' || b.name === 'progressView') : assets.bundles;
    const training = state.training ? epochPoints(state.training.epochs) : undefined;
    const html = buildReportHtml({ summary, trials: state.trials.map(toTrialRecord), bundles, css: assets.css, constraints: summary.constraints, label: runLabel(summary), training });
    const out = resolve(values.out ?? join(files.exports, 'report.html'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, html);
    const extent = summary.training ? `epoch ${summary.training.epoch}/${summary.training.epochs}` : `${summary.trials}/${summary.budget} trials`;
    io.out(`${out}: report of ${summary.name} (${summary.status}, ${extent}), ${Math.round(html.length / 1024)} KiB`);
  });
}

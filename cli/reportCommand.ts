import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runLabel } from '../extension/summaryText';
import { buildReportHtml } from '../server/report/htmlReport';
import { loadReportAssets } from '../server/report/reportAssets';
import { ExperimentStore } from '../server/store/experimentStore';
import { loadExperimentState, summarize, toTrialRecord } from '../server/store/experimentState';
import { flagString, parseArgs, UsageError } from './args';
import { experimentsRoot } from './root';

const USAGE = 'nas-studio report ID|DIR [--root DIR] [--out FILE]';

/** The installed package: dist/cli.js when bundled, cli/ when run from source; both one level down. */
const packageRoot = resolve(__dirname, '..');

/**
 * `nas-studio report ID`: one self-contained HTML file (no network, no server) with the
 * latency/accuracy plot, the best architecture's graph and the search progress — the same
 * views as the editor. Written to `<experiment>/exports/report.html` unless --out says where.
 */
export async function reportCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, [], ['root', 'out']);
  if (args.positionals.length !== 1) throw new UsageError(`expected one experiment\nusage: ${USAGE}`);
  const files = new ExperimentStore(experimentsRoot(args)).find(args.positionals[0]);
  if (!files) {
    console.error(`no experiment "${args.positionals[0]}" in ${experimentsRoot(args)}`);
    return 2;
  }
  const state = loadExperimentState(files);
  const summary = summarize(state);
  const { bundles, css } = loadReportAssets(packageRoot);
  const html = buildReportHtml({
    summary,
    trials: state.trials.map(toTrialRecord),
    bundles,
    css,
    constraints: summary.constraints,
    label: runLabel(summary),
  });
  const out = resolve(flagString(args, 'out') ?? join(files.exports, 'report.html'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, html);
  console.log(`${out}: report of ${summary.name} (${summary.status}, ${summary.trials}/${summary.budget} trials), ${Math.round(html.length / 1024)} KiB`);
  return 0;
}

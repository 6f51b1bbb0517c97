/**
 * One self-contained HTML file showing a run offline: for a search the latency/accuracy plot,
 * the best architecture's graph and the progress; for a supernet training its curves; for a
 * ProxylessNAS search its architecture parameters, curves and derived network; for a
 * specialization the table of its sub-networks. Views are drawn by the same bundles as the
 * editor panels. Everything is inline; a CSP meta tag allows exactly these scripts and styles
 * (by SHA-256 hash) and nothing from the network. Data is embedded as JSON and parsed, never
 * evaluated.
 */
import { createHash } from 'node:crypto';
import type { ConstraintSpec } from '../../contract/metrics';
import type { QuantizationRunSummary, RunSummary, SpecializationRunSummary, TrialRecord } from '../../contract/runs';
import { formatBits, formatCost } from '../../contract/quantizationText';
import { escapeHtml, jsonScriptElement } from '../../contract/html';
import type { TrainingPoint } from '../../contract/webviewMessages';
import { defaultPlotAxes } from '../../contract/plotAxes';
import { reportDataElementId, type ReportData } from '../../contract/reportData';
import { formatMs, formatPercent } from '../../contract/format';
import { ensembleLine, extentLine, latencyFidelityLine, quantizationLine, scalingLine } from '../../contract/runText';

export interface ReportBundle {
  /** Entry name without extension, e.g. "plotView". */
  readonly name: string;
  readonly js: string;
}

export interface ReportInput {
  readonly summary: RunSummary;
  readonly trials: readonly TrialRecord[];
  /** Must include "reportView" (the stand-in host); views without a bundle are left out. */
  readonly bundles: readonly ReportBundle[];
  readonly css: readonly string[];
  readonly constraints?: readonly ConstraintSpec[];
  readonly axes?: { readonly x: string; readonly y: string };
  /** Legend text of the run in the progress view (default: the experiment name). */
  readonly label?: string;
  readonly training?: readonly TrainingPoint[];
}

/** Views in page order, with their section titles. */
type ReportView = 'plot' | 'graph' | 'progress' | 'proxyless';

/** The views a report holds, by its run's kind (other kinds are reported as tables only). */
const SECTIONS: Partial<Record<RunSummary['kind'], readonly (readonly [ReportView, string])[]>> = {
  search: [
    ['plot', 'Latency / accuracy'],
    ['graph', 'Best architecture'],
    ['progress', 'Progress'],
  ],
  supernet: [['progress', 'Progress']],
  proxyless: [['proxyless', 'Architecture parameters']],
};

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Inline script text must not contain a closing tag or a comment opener for the HTML parser. */
function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export function buildReportHtml(input: ReportInput): string {
  const host = input.bundles.find((b) => b.name === 'reportView');
  if (!host) throw new Error('buildReportHtml needs the "reportView" bundle (dist/webviews/reportView.js)');
  const shown = (SECTIONS[input.summary.kind] ?? []).filter(([view]) => input.bundles.some((b) => b.name === `${view}View`));
  const scripts = shown.length === 0 ? [] : [host, ...shown.map(([view]) => input.bundles.find((b) => b.name === `${view}View`) as ReportBundle)].map((b) => inlineScript(b.js));
  const styles = input.css.map((css) => css.replace(/<\/(style)/gi, '<\\/$1'));
  const { summary } = input;
  const data: ReportData = {
    summary,
    trials: input.trials,
    constraints: input.constraints ?? [],
    axes: input.axes ?? (summary.kind === 'search' ? defaultPlotAxes(summary, input.trials) : { x: '', y: '' }),
    label: input.label ?? summary.name,
    training: input.training ?? [],
  };
  const csp = [
    "default-src 'none'",
    'img-src data: blob:',
    `style-src ${styles.map(sha256).join(' ')}`,
    `script-src ${scripts.map(sha256).join(' ')}`,
    'font-src data:',
  ].join('; ');
  const facts = [`${summary.status}`, ...kindFacts(summary), ...(input.constraints ?? []).map((c) => [c.min !== undefined ? `${c.metric} ≥ ${c.min}` : '', c.max !== undefined ? `${c.metric} ≤ ${c.max}` : ''].filter(Boolean).join(', '))];
  const best =
    summary.kind === 'search' && summary.best
      ? `<p>Best: trial ${summary.best.trial} · ${escapeHtml(summary.best.description)} · ${Object.entries(summary.best.metrics)
          .map(([k, v]) => `${escapeHtml(k)} ${Number(v.toPrecision(5))}`)
          .join(' · ')}</p>`
      : '';
  const table = summary.kind === 'specialization' ? subnetTable(summary) : summary.kind === 'quantization' ? policyTable(summary) : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="NAS Studio">
<title>${escapeHtml(summary.name)} · NAS Studio report</title>
${styles.map((css) => `<style>${css}</style>`).join('\n')}
</head>
<body>
<header class="nas-report-header">
<h1>${escapeHtml(summary.name)}</h1>
<p>${facts.map(escapeHtml).join(' · ')}</p>
${best}<p class="nas-status">Run ${escapeHtml(summary.id)} · created ${escapeHtml(summary.createdAt)} · updated ${escapeHtml(summary.updatedAt)}</p>
</header>
${table}${shown.map(([view, title]) => `<section class="nas-report-section" aria-label="${title}" data-nas-view="${view}"></section>`).join('\n')}
${shown.length > 0 ? jsonScriptElement(reportDataElementId, data) : ''}
${scripts.map((js) => `<script>${js}</script>`).join('\n')}
</body>
</html>
`;
}

/** The header facts of each kind of run. */
function kindFacts(summary: RunSummary): string[] {
  switch (summary.kind) {
    case 'search':
      return [`${summary.trials} of ${summary.budget} trials`, summary.objectives.map((o) => `${o.goal} ${o.metric}`).join(', ')];
    case 'supernet': {
      const t = summary.training;
      return [`epoch ${t.epoch} of ${t.epochs}`, ...(t.accuracy !== undefined && t.smallestAccuracy !== undefined ? [`validation accuracy: largest ${formatPercent(t.accuracy)}, smallest ${formatPercent(t.smallestAccuracy)}`] : [])];
    }
    case 'specialization':
      return [`${summary.progress.done} of ${summary.progress.total} limits`, summary.efficiency.label];
    case 'proxyless':
      return [`epoch ${summary.epoch} of ${summary.epochs}`, `${summary.latencyLoss} to ${formatMs(summary.targetMs)}`, ...(summary.derived ? [`derived ${summary.derived.description}: ${latencyFidelityLine(summary.derived)}`] : [])];
    case 'scaling':
      return [`${summary.trials} of ${summary.total} networks`, `base: ${summary.base.description} (${summary.base.from})`, ...(scalingLine(summary) ? [scalingLine(summary)!] : [])];
    case 'ensemble':
      return [extentLine(summary), ...(ensembleLine(summary) ? [ensembleLine(summary)!] : [])];
    case 'quantization':
      return [`${summary.episodes} of ${summary.progress.total} episodes`, `${summary.quantizer} quantization of ${summary.model}`, `budget ${summary.budget.text}`, ...(quantizationLine(summary) ? [quantizationLine(summary)!] : [])];
    case 'unreadable':
      return [`damaged: ${summary.damage?.join('; ') ?? ''}`];
  }
}

/** A specialization's sub-networks, one row per limit. */
function subnetTable(summary: SpecializationRunSummary): string {
  const { unit, metric } = summary.efficiency;
  const rows = summary.subnets.map(
    (s) =>
      `<tr><td>${s.limit} ${escapeHtml(unit)}</td><td>${formatPercent(s.predictedAccuracy)}</td><td>${s.efficiency.toFixed(2)} ${escapeHtml(unit)}</td><td>${s.mflops.toFixed(1)}</td><td>${s.mparams.toFixed(2)}</td><td>${s.pareto ? 'yes' : 'no'}</td><td>${escapeHtml(s.description)}</td></tr>`,
  );
  return `<section class="nas-report-section" aria-label="Sub-networks"><table class="nas-report-table"><thead><tr><th>limit</th><th>predicted accuracy</th><th>${escapeHtml(metric)}</th><th>MFLOPs</th><th>MParams</th><th>Pareto</th><th>architecture</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>\n`;
}

/** A quantization's best policy, one row per layer, with its accuracy and cost against the uniform baselines. */
function policyTable(summary: QuantizationRunSummary): string {
  const best = summary.result ?? summary.best;
  if (!best || !summary.layers) return '';
  const layers = summary.layers.map((l, i) => `<tr><td>${escapeHtml(l.name)}</td><td>${l.kind}</td><td>${l.weights}</td><td>${formatBits(best.policy[i])}</td></tr>`);
  const row = (label: string, p: { accuracy: number; cost: number }) => `<tr><td>${escapeHtml(label)}</td><td>${formatPercent(p.accuracy)}</td><td>${escapeHtml(formatCost(summary.budget.kind, p.cost))}</td></tr>`;
  const policies = [row(`HAQ (episode ${best.episode + 1})`, best), ...summary.baselines.map((b) => row(`uniform ${formatBits(b)}`, b))];
  return (
    `<section class="nas-report-section" aria-label="Policy"><table class="nas-report-table"><thead><tr><th>layer</th><th>kind</th><th>weights</th><th>bits</th></tr></thead><tbody>${layers.join('')}</tbody></table>` +
    `<table class="nas-report-table"><thead><tr><th>policy</th><th>held-out accuracy</th><th>cost</th></tr></thead><tbody>${policies.join('')}</tbody></table></section>\n`
  );
}

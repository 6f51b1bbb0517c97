/**
 * One self-contained HTML file showing an experiment offline: the latency/accuracy plot, the
 * best architecture's graph and the search progress, drawn by the same view bundles as the
 * editor panels. Everything is inline; a CSP meta tag allows exactly these scripts and styles
 * (by SHA-256 hash) and nothing from the network. Data is embedded as JSON and parsed, never
 * evaluated.
 */
import { createHash } from 'node:crypto';
import type { ConstraintSpec } from '../../contract/metrics';
import type { ExperimentSummary, TrialRecord } from '../../contract/protocol';
import { escapeHtml, jsonScriptElement } from '../../contract/html';
import type { TrainingPoint } from '../../contract/webviewMessages';
import { defaultPlotAxes } from '../../contract/plotAxes';
import { reportDataElementId, type ReportData } from '../../contract/reportData';
import { formatPercent } from '../../contract/format';

export interface ReportBundle {
  /** Entry name without extension, e.g. "plotView". */
  readonly name: string;
  readonly js: string;
}

export interface ReportInput {
  readonly summary: ExperimentSummary;
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
const sections = [
  ['plot', 'Latency / accuracy'],
  ['graph', 'Best architecture'],
  ['progress', 'Progress'],
] as const;

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
  const shown = sections.filter(([view]) => input.bundles.some((b) => b.name === `${view}View`));
  const scripts = [host, ...shown.map(([view]) => input.bundles.find((b) => b.name === `${view}View`) as ReportBundle)].map((b) => inlineScript(b.js));
  const styles = input.css.map((css) => css.replace(/<\/(style)/gi, '<\\/$1'));
  const { summary } = input;
  const data: ReportData = {
    summary,
    trials: input.trials,
    constraints: input.constraints ?? [],
    axes: input.axes ?? defaultPlotAxes(summary, input.trials),
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
  const t = summary.training;
  const facts = [
    `${summary.status}`,
    ...(t
      ? [`epoch ${t.epoch} of ${t.epochs}`, ...(t.accuracy !== undefined && t.smallestAccuracy !== undefined ? [`validation accuracy: largest ${formatPercent(t.accuracy)}, smallest ${formatPercent(t.smallestAccuracy)}`] : [])]
      : [`${summary.trials} of ${summary.budget} trials`]),
    summary.objectives.map((o) => `${o.goal} ${o.metric}`).join(', '),
    ...(input.constraints ?? []).map((c) => [c.min !== undefined ? `${c.metric} ≥ ${c.min}` : '', c.max !== undefined ? `${c.metric} ≤ ${c.max}` : ''].filter(Boolean).join(', ')),
  ];
  const best = summary.best
    ? `<p>Best: trial ${summary.best.trial} · ${escapeHtml(summary.best.description)} · ${Object.entries(summary.best.metrics)
        .map(([k, v]) => `${escapeHtml(k)} ${Number(v.toPrecision(5))}`)
        .join(' · ')}</p>`
    : '';
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
${best}<p class="nas-status">Experiment ${escapeHtml(summary.id)} · created ${escapeHtml(summary.createdAt)} · updated ${escapeHtml(summary.updatedAt)}</p>
</header>
${shown.map(([view, title]) => `<section class="nas-report-section" aria-label="${title}" data-nas-view="${view}"></section>`).join('\n')}
${jsonScriptElement(reportDataElementId, data)}
${scripts.map((js) => `<script>${js}</script>`).join('\n')}
</body>
</html>
`;
}

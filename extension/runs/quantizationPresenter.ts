import { formatPercent } from '../../contract/format';
import { formatBits, formatCost } from '../../contract/quantizationText';
import { quantizationLine } from '../../contract/runText';
import type { QuantizationRunSummary } from '../../contract/runs';
import { detail, type ItemNode } from './explorerNodes';
import type { RunPresenter } from './runPresenter';

/** HAQ: the float model, the uniform baselines, the best policy so far and, once finished, the exported model. */
export const quantizationPresenter: RunPresenter<QuantizationRunSummary> = {
  title: 'quantization',
  children(s) {
    const cost = (value: number) => formatCost(s.budget.kind, value);
    const rows: ItemNode[] = [detail(s.id, 'Budget', `${s.budget.text}${s.budget.target !== undefined ? ` (${cost(s.budget.target)})` : ''} · ${s.quantizer}`, 'dashboard')];
    if (s.originalAccuracy !== undefined) rows.push(detail(s.id, 'Float model', `held-out ${formatPercent(s.originalAccuracy)}`, 'circle-outline'));
    for (const b of s.baselines) rows.push(detail(s.id, `Uniform ${formatBits(b)}`, `${formatPercent(b.accuracy)} at ${cost(b.cost)}`, 'symbol-numeric'));
    const best = s.result ?? s.best;
    if (best) {
      const bits = s.layers ? s.layers.map((l, i) => `${l.name} ${formatBits(best.policy[i])}`).join(', ') : best.policy.map(formatBits).join(' ');
      rows.push({ ...detail(s.id, `Best policy (episode ${best.episode + 1})`, `${formatPercent(best.accuracy)} at ${cost(best.cost)}`, 'star-full'), tooltip: bits });
    }
    const r = s.result;
    if (r) {
      const test = r.testAccuracy !== undefined ? `test ${formatPercent(r.testAccuracy)} · ` : '';
      rows.push(detail(s.id, 'Exported model', `${test}${(r.floatBytes / r.packedBytes).toFixed(1)}× smaller packed · ${r.modelDir}`, 'package'));
    }
    return rows;
  },
  tooltip: (s) => [`Model: \`${s.model}\``, `Budget: ${s.budget.text} (${s.quantizer}, ${s.search} search)`, ...(quantizationLine(s) ? [`Best: ${quantizationLine(s)}`] : [])],
  outcome: (s) => (quantizationLine(s) ? `Best: ${quantizationLine(s)}.` : undefined),
  resultsElsewhere: (s) => `The quantized model, policy.json and quantization.json are written to ${s.dir}/exports when it finishes.`,
};

/**
 * The architecture parameters of a ProxylessNAS search as a heatmap, as in the paper's figures of
 * the chosen operations: a row per mixed block, a column per candidate operation, each cell
 * shaded by softmax(α) of that candidate in that block, the most likely candidate of every
 * block outlined. Candidates a block does not offer (Zero where it cannot be skipped) are blank.
 */
import type { ProxylessRunSummary } from '../../contract/runs';
import { html } from '../dom';

/** Every candidate name of the run, in the order the blocks list them (MBConvs kernel-major, Zero last). */
export function candidateColumns(blocks: ProxylessRunSummary['blocks']): string[] {
  const names: string[] = [];
  for (const block of blocks) for (const name of block.candidates) if (!names.includes(name)) names.push(name);
  return names;
}

/** `3x3_MBConv6` → `k3 e6`, `Zero` → `skip` (column headers). */
function columnLabel(name: string): string {
  const m = /^(\d+)x\d+_MBConv(\d+)$/.exec(name);
  return m ? `k${m[1]} e${m[2]}` : name === 'Zero' ? 'skip' : name;
}

export function heatmapTable(run: ProxylessRunSummary): HTMLTableElement {
  const columns = candidateColumns(run.blocks);
  const probabilities = run.probabilities;
  const head = html('tr', {}, [html('th', { scope: 'col' }, ['block']), ...columns.map((name) => html('th', { scope: 'col', title: name }, [columnLabel(name)]))]);
  const rows = run.blocks.map((block, b) => {
    const p = probabilities?.[b];
    const best = p ? p.indexOf(Math.max(...p)) : -1;
    const cells = columns.map((name) => {
      const c = block.candidates.indexOf(name);
      if (c < 0) return html('td', { class: 'nas-heat-cell nas-heat-absent', title: `${block.label}: ${name} is not a candidate here` });
      if (!p) return html('td', { class: 'nas-heat-cell', title: `${block.label}, ${name}` }, ['—']);
      const fill = html('span', { class: 'nas-heat-fill' });
      fill.style.opacity = String(p[c]);
      return html('td', { class: `nas-heat-cell${c === best ? ' nas-chosen' : ''}`, title: `${block.label}, ${name}: p = ${p[c].toFixed(4)}`, 'data-candidate': name }, [fill, html('span', { class: 'nas-heat-value' }, [p[c].toFixed(2)])]);
    });
    return html('tr', { 'data-block': block.label }, [html('th', { scope: 'row' }, [block.label]), ...cells]);
  });
  return html('table', { class: 'nas-heatmap', 'aria-label': 'Probability of each candidate operation in each block' }, [html('thead', {}, [head]), html('tbody', {}, rows)]);
}

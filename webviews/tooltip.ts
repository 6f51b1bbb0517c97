import { html } from './dom';

export type TooltipRow = readonly [string, string];

/** A floating box that follows the pointer inside a container; content built from text rows. */
export class Tooltip {
  private readonly element: HTMLDivElement;

  constructor(private readonly container: HTMLElement) {
    this.element = html('div', { class: 'nas-tooltip', role: 'tooltip', hidden: '' });
    container.appendChild(this.element);
  }

  show(title: string, rows: readonly TooltipRow[], clientX: number, clientY: number): void {
    const table = html('table', {}, rows.map(([name, value]) => html('tr', {}, [html('th', {}, [name]), html('td', {}, [value])])));
    this.element.replaceChildren(html('div', { class: 'nas-tooltip-title' }, [title]), table);
    this.element.hidden = false;
    const box = this.container.getBoundingClientRect();
    const tip = this.element.getBoundingClientRect();
    const left = Math.min(clientX - box.left + 14, box.width - tip.width - 4);
    const top = clientY - box.top + 14 + tip.height > box.height ? clientY - box.top - tip.height - 10 : clientY - box.top + 14;
    this.element.style.left = `${Math.max(0, left)}px`;
    this.element.style.top = `${Math.max(0, top)}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}

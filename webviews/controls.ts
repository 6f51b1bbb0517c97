/**
 * Native-looking controls from @vscode-elements/elements (only the components the views use
 * are registered, to keep the bundles small), created without innerHTML.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { custom, html } from './dom';

export function button(label: string, onClick: () => void, options: { secondary?: boolean; title?: string } = {}): HTMLElement {
  const element = custom('vscode-button', { ...(options.secondary ? { secondary: '' } : {}), title: options.title }, [label]);
  element.addEventListener('click', onClick);
  return element;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const element = custom('vscode-checkbox', { label, ...(checked ? { checked: '' } : {}) });
  element.addEventListener('change', () => onChange((element as HTMLElement & { checked: boolean }).checked));
  return element;
}

export interface Select {
  readonly element: HTMLElement;
  /** `label` gives an option's text (default: its value). */
  setOptions(values: readonly string[], selected: string, label?: (value: string) => string): void;
}

/** A labelled single-select whose options can be replaced while it is shown. */
export function select(label: string, onChange: (value: string) => void): Select {
  const element = custom('vscode-single-select', { 'aria-label': label, class: 'nas-select' });
  let current = '';
  let shown = '';
  element.addEventListener('change', () => {
    const value = (element as HTMLElement & { value: string }).value;
    if (value !== current) {
      current = value;
      onChange(value);
    }
  });
  return {
    element: html('label', { class: 'nas-field' }, [html('span', {}, [label]), element]),
    setOptions(values, selected, label = (v) => v) {
      const key = JSON.stringify([values, selected, values.map(label)]);
      if (key === shown) return; // rebuilding options re-renders the control: skip when unchanged
      shown = key;
      current = selected;
      element.replaceChildren(...values.map((v) => custom('vscode-option', { value: v, ...(v === selected ? { selected: '' } : {}) }, [label(v)])));
      (element as HTMLElement & { value: string }).value = selected;
    },
  };
}

export function toolbar(children: readonly Node[]): HTMLDivElement {
  return html('div', { class: 'nas-toolbar', role: 'toolbar' }, children);
}

/** Root element of a view: its slot in the offline report, else the page body. */
export function viewRoot(view: string): HTMLElement {
  return document.querySelector<HTMLElement>(`[data-nas-view="${view}"]`) ?? document.body;
}

/** Shows (or clears, with undefined) an error line at the top of a view. */
export function showError(root: HTMLElement, message: string | undefined): void {
  let banner = root.querySelector<HTMLElement>(':scope > .nas-error');
  if (!message) {
    banner?.remove();
    return;
  }
  if (!banner) {
    banner = html('div', { class: 'nas-error', role: 'alert' });
    root.prepend(banner);
  }
  banner.textContent = message;
}

export function safeFileName(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'nas-studio';
}

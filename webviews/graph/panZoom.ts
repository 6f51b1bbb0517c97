/**
 * Pan and zoom for an SVG layer: wheel scrolls, Ctrl/⌘+wheel zooms about the pointer, drag
 * pans; `fit` shows a content box whole, `fitWidth` fills the width from the top.
 */
export interface Transform {
  readonly x: number;
  readonly y: number;
  readonly scale: number;
}

export class PanZoom {
  private transform: Transform = { x: 0, y: 0, scale: 1 };
  private content = { width: 1, height: 1 };
  private drag: { x: number; y: number; start: Transform } | undefined;

  constructor(
    private readonly surface: HTMLElement,
    private readonly layer: SVGGElement,
  ) {
    surface.addEventListener('wheel', (event) => {
      event.preventDefault();
      if (event.ctrlKey || event.metaKey) {
        const box = surface.getBoundingClientRect();
        this.zoomAt(Math.exp(-event.deltaY * 0.002), event.clientX - box.left, event.clientY - box.top);
      } else {
        this.set({ ...this.transform, x: this.transform.x - event.deltaX, y: this.transform.y - event.deltaY });
      }
    }, { passive: false });
    surface.addEventListener('mousedown', (event) => {
      if (event.button !== 0) return;
      this.drag = { x: event.clientX, y: event.clientY, start: this.transform };
      surface.classList.add('nas-dragging');
    });
    window.addEventListener('mousemove', (event) => {
      if (!this.drag) return;
      const { x, y, start } = this.drag;
      this.set({ ...start, x: start.x + event.clientX - x, y: start.y + event.clientY - y });
    });
    window.addEventListener('mouseup', () => {
      this.drag = undefined;
      surface.classList.remove('nas-dragging');
    });
  }

  setContent(width: number, height: number): void {
    this.content = { width, height };
  }

  get current(): Transform {
    return this.transform;
  }

  set(transform: Transform): void {
    this.transform = transform;
    this.layer.setAttribute('transform', `translate(${transform.x.toFixed(1)},${transform.y.toFixed(1)}) scale(${transform.scale.toFixed(4)})`);
  }

  zoomAt(factor: number, px: number, py: number): void {
    const t = this.transform;
    const scale = Math.min(4, Math.max(0.1, t.scale * factor));
    const k = scale / t.scale;
    this.set({ scale, x: px - (px - t.x) * k, y: py - (py - t.y) * k });
  }

  fit(): void {
    const { clientWidth: w, clientHeight: h } = this.surface;
    const scale = Math.min(1.5, w / this.content.width, h / this.content.height);
    this.set({ scale, x: (w - this.content.width * scale) / 2, y: (h - this.content.height * scale) / 2 });
  }

  fitWidth(): void {
    const w = this.surface.clientWidth;
    const scale = Math.min(1, w / this.content.width);
    this.set({ scale, x: (w - this.content.width * scale) / 2, y: 0 });
  }
}

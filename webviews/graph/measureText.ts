import { cssVar } from '../dom';
import type { MeasureText } from './layoutGraph';

const fonts: Record<Parameters<MeasureText>[1], string> = { label: '600 12px', sublabel: '11px', chip: '10px', edge: '11px' };

/** Text widths in the fonts the CSS gives node labels under `root` (the canvas needs explicit font strings). */
export function textMeasure(root: HTMLElement): MeasureText {
  const context = document.createElement('canvas').getContext('2d');
  return (text, font) => {
    if (!context) return text.length * 7;
    const family = font === 'chip' ? cssVar(root, '--nas-mono') : cssVar(root, '--nas-font');
    context.font = `${fonts[font]} ${family || 'sans-serif'}`;
    return context.measureText(text).width;
  };
}

import type { Scale } from './scale';
import { el, GRID, INK, MUTED, text } from './svg';

export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Grid lines, tick labels, the axis frame and the axis titles around a plot area. */
export function drawAxes(area: PlotArea, x: Scale, y: Scale, xLabel?: string, yLabel?: string, grid = true): string {
  const { left, top, width, height } = area;
  const bottom = top + height;
  const right = left + width;
  const parts: string[] = [];
  const lines: string[] = [];
  for (const t of x.ticks) {
    const px = x(t);
    lines.push(el('line', { x1: px, y1: top, x2: px, y2: bottom }));
    parts.push(el('line', { x1: px, y1: bottom, x2: px, y2: bottom + 5, stroke: INK }));
    parts.push(el('text', { x: px, y: bottom + 19, 'text-anchor': 'middle', 'font-size': 12, fill: MUTED }, text(x.format(t))));
  }
  for (const t of y.ticks) {
    const py = y(t);
    lines.push(el('line', { x1: left, y1: py, x2: right, y2: py }));
    parts.push(el('line', { x1: left - 5, y1: py, x2: left, y2: py, stroke: INK }));
    parts.push(el('text', { x: left - 9, y: py + 4, 'text-anchor': 'end', 'font-size': 12, fill: MUTED }, text(y.format(t))));
  }
  const frame = el('path', { d: `M${left},${top}V${bottom}H${right}`, fill: 'none', stroke: INK, 'stroke-width': 1 });
  if (xLabel) parts.push(el('text', { x: left + width / 2, y: bottom + 42, 'text-anchor': 'middle', 'font-size': 13 }, text(xLabel)));
  if (yLabel) {
    const cx = left - 52;
    const cy = top + height / 2;
    parts.push(el('text', { x: cx, y: cy, 'text-anchor': 'middle', 'font-size': 13, transform: `rotate(-90 ${cx} ${cy})` }, text(yLabel)));
  }
  return (grid ? el('g', { class: 'grid', stroke: GRID, 'stroke-width': 1 }, ...lines) : '') + el('g', { class: 'axes' }, frame, ...parts);
}

// Minimal SVG building: every attribute value and text node goes through escapeXml, so names
// from user data (class names, series names) cannot break the document.

import { writeFileSync } from 'node:fs';
import { fail } from '../validate';

export type Attrs = Record<string, string | number | undefined>;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** A coordinate with at most 2 decimals: enough for screen resolution, and keeps files small. */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

function attrString(attrs: Attrs): string {
  let s = '';
  for (const key of Object.keys(attrs)) {
    const v = attrs[key];
    if (v === undefined) continue;
    s += ` ${key}="${escapeXml(typeof v === 'number' ? num(v) : v)}"`;
  }
  return s;
}

/** An element; children are already-built markup (use text() for plain text). */
export function el(name: string, attrs: Attrs = {}, ...children: string[]): string {
  return children.length === 0 ? `<${name}${attrString(attrs)}/>` : `<${name}${attrString(attrs)}>${children.join('')}</${name}>`;
}

export function text(content: string): string {
  return escapeXml(content);
}

export const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';
export const INK = '#1f2937';
export const MUTED = '#6b7280';
export const GRID = '#e5e7eb';

let idCounter = 0;

/** An id unique within the process, so several charts inlined in one HTML page keep their own
 *  clip paths. */
export function uniqueId(prefix: string): string {
  idCounter++;
  return `${prefix}-${idCounter}`;
}

/** Rough width of a label in pixels, for layout (no font metrics without a browser). */
export function textWidth(label: string, fontSize: number): number {
  return label.length * fontSize * 0.6;
}

/** A complete standalone SVG document with a white background. */
export function svgDocument(width: number, height: number, title: string | undefined, ...body: string[]): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + el(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', 'xmlns:xlink': 'http://www.w3.org/1999/xlink', width, height, viewBox: `0 0 ${num(width)} ${num(height)}`, 'font-family': FONT, fill: INK },
    ...(title === undefined ? [] : [el('title', {}, text(title))]),
    el('rect', { width, height, fill: '#ffffff' }),
    ...body,
  ) + '\n';
}

/** Writes an SVG string to a file (UTF-8). */
export function writeSvg(path: string, svg: string): void {
  if (typeof path !== 'string' || path.length === 0) fail('writeSvg', 'path', 'a non-empty string', path, 'type');
  if (typeof svg !== 'string' || !svg.includes('<svg')) fail('writeSvg', 'svg', 'an SVG document string', svg, 'type');
  writeFileSync(path, svg, 'utf8');
}

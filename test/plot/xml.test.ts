import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeXml, el, num, svgDocument, writeSvg } from '../../lib/plot/svg';
import { parseXml, textOf } from './xml';

describe('the test XML reader', () => {
  it('accepts well-formed markup and decodes entities', () => {
    const root = parseXml('<?xml version="1.0"?>\n<a x="1 &amp; 2"><b/><c>t &lt; u</c></a>');
    expect(root.attrs.x).toBe('1 & 2');
    expect(root.children.map((c) => c.name)).toEqual(['b', 'c']);
    expect(textOf(root)).toBe('t < u');
  });

  it('rejects what an SVG viewer would reject', () => {
    for (const bad of ['<a><b></a>', '<a x=1/>', '<a x="1" x="2"/>', '<a>x & y</a>', '<a>1 < 2</a>', '<a/><b/>', '<a>', '<a x="<"/>']) {
      expect(() => parseXml(bad), bad).toThrow(/^XML: /);
    }
  });
});

describe('svg helpers', () => {
  it('escape user text in attributes and content', () => {
    const markup = el('text', { 'data-name': `a"b'<c>&` }, escapeXml('<script>&'));
    const root = parseXml(markup);
    expect(root.attrs['data-name']).toBe(`a"b'<c>&`);
    expect(root.text).toBe('<script>&');
  });

  it('round coordinates to two decimals without negative zero', () => {
    expect(num(1.23456)).toBe('1.23');
    expect(num(-0.001)).toBe('0');
    expect(num(250)).toBe('250');
  });

  it('writeSvg writes the document and rejects non-SVG text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'blasnet-svg-'));
    try {
      const svg = svgDocument(10, 10, 'tiny');
      writeSvg(join(dir, 'a.svg'), svg);
      expect(readFileSync(join(dir, 'a.svg'), 'utf8')).toBe(svg);
      expect(parseXml(svg).name).toBe('svg');
      expect(() => writeSvg(join(dir, 'b.svg'), 'hello')).toThrow('writeSvg: expected svg to be an SVG document string, received "hello"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

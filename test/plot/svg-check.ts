import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { parseXml, type XmlElement } from './xml';

export const hasRsvg = spawnSync('rsvg-convert', ['--version']).status === 0;

/** Parses an SVG strictly and checks the document element; rsvg-convert renders it when present. */
export function checkSvg(svg: string): XmlElement {
  const root = parseXml(svg);
  expect(root.name).toBe('svg');
  expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
  if (hasRsvg) {
    const r = spawnSync('rsvg-convert', ['--format', 'png'], { input: svg, maxBuffer: 64 << 20 });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.subarray(1, 4).toString()).toBe('PNG');
  }
  return root;
}

/** The (x, y) pairs of an SVG path made of M and L commands, split into subpaths. */
export function subpaths(d: string): [number, number][][] {
  const out: [number, number][][] = [];
  for (const m of d.matchAll(/([ML])\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)) {
    if (m[1] === 'M') out.push([]);
    out[out.length - 1].push([Number(m[2]), Number(m[3])]);
  }
  return out;
}

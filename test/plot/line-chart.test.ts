import { describe, expect, it } from 'vitest';
import { lineChart } from '../../lib/plot/line-chart';
import { checkSvg, subpaths } from './svg-check';
import { find, hasClass, textOf, type XmlElement } from './xml';

function seriesPaths(root: XmlElement): XmlElement[] {
  return find(root, (e) => e.name === 'path' && hasClass(e, 'series'));
}

/** Tick labels of the y axis: right-aligned texts in the axes group, as [value, pixel y]. */
function yTicks(root: XmlElement): [number, number][] {
  return find(root, (e) => e.name === 'text' && e.attrs['text-anchor'] === 'end' && /^-?[\d.e]+$/.test(textOf(e)))
    .map((e) => [Number(textOf(e)), Number(e.attrs.y) - 4]);
}

describe('lineChart', () => {
  const train = [2.0, 1.2, 0.8, 0.6, 0.5];
  const val = [2.1, 1.4, 1.0, 0.9, 0.95];
  const svg = lineChart({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'train', values: train }, { name: 'validation', values: val, dashed: true }] });
  const root = checkSvg(svg);

  it('draws one path per series, named, with one point per value', () => {
    const paths = seriesPaths(root);
    expect(paths.map((p) => p.attrs['data-series'])).toEqual(['train', 'validation']);
    expect(paths.map((p) => subpaths(p.attrs.d)[0].length)).toEqual([5, 5]);
    expect(paths[1].attrs['stroke-dasharray']).toBeDefined();
    expect(paths[0].attrs.stroke).not.toBe(paths[1].attrs.stroke);
    const texts = find(root, (e) => e.name === 'text').map(textOf);
    for (const label of ['Loss', 'epoch', 'loss', 'train', 'validation']) expect(texts).toContain(label);
  });

  it('maps epochs left to right and larger values higher, by one affine map for all series', () => {
    const pts = seriesPaths(root).map((p) => subpaths(p.attrs.d)[0]);
    for (const line of pts) for (let j = 1; j < line.length; j++) expect(line[j][0]).toBeGreaterThan(line[j - 1][0]);
    // Same epoch, same x in both series.
    pts[0].forEach(([x], j) => expect(pts[1][j][0]).toBeCloseTo(x, 1));
    // y pixel = a + b·value with b < 0 (SVG y grows downwards), fitted on two points, checked on all.
    const b = (pts[0][4][1] - pts[0][0][1]) / (train[4] - train[0]);
    const a = pts[0][0][1] - b * train[0];
    expect(b).toBeLessThan(0);
    pts[0].forEach(([, y], j) => expect(y).toBeCloseTo(a + b * train[j], 1));
    pts[1].forEach(([, y], j) => expect(y).toBeCloseTo(a + b * val[j], 1));
    // The y tick labels sit where the same map puts their values.
    const ticks = yTicks(root);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const [v, y] of ticks) expect(y).toBeCloseTo(a + b * v, 0);
    // And the ticks cover the data.
    expect(Math.min(...ticks.map((t) => t[0]))).toBeLessThanOrEqual(0.5);
    expect(Math.max(...ticks.map((t) => t[0]))).toBeGreaterThanOrEqual(2.1);
  });

  it('leaves a gap at NaN, keeping one path per series', () => {
    const r = checkSvg(lineChart({ series: [{ name: 'loss', values: [1, 0.5, Number.NaN, 0.3, 0.2] }] }));
    const paths = seriesPaths(r);
    expect(paths).toHaveLength(1);
    expect(subpaths(paths[0].attrs.d).map((s) => s.length)).toEqual([2, 2]);
  });

  it('draws a series longer than a call can take arguments (no spread into Math.min)', () => {
    const values = Array.from({ length: 300_000 }, (_, i) => 1 + Math.cos(i / 1000));
    const long = checkSvg(lineChart({ series: [{ name: 'steps', values }] }));
    expect(subpaths(seriesPaths(long)[0].attrs.d)[0].length).toBe(values.length);
    const ticks = yTicks(long).map(([v]) => v);
    expect(Math.min(...ticks)).toBeLessThanOrEqual(0.05);
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(1.95);
  });

  it('uses given x values', () => {
    const r = checkSvg(lineChart({ series: [{ name: 'val', values: [3, 2, 1], x: [5, 10, 20] }] }));
    const [p] = subpaths(seriesPaths(r)[0].attrs.d);
    // Equal steps in x give equal steps in pixels: 5→10 is half of 10→20.
    expect((p[2][0] - p[1][0]) / (p[1][0] - p[0][0])).toBeCloseTo(2, 2);
  });

  it('puts equal ratios at equal distances on a log scale', () => {
    const r = checkSvg(lineChart({ yScale: 'log', series: [{ name: 'loss', values: [1, 0.1, 0.01, 0.001] }] }));
    const [p] = subpaths(seriesPaths(r)[0].attrs.d);
    const steps = [p[1][1] - p[0][1], p[2][1] - p[1][1], p[3][1] - p[2][1]];
    expect(steps[0]).toBeGreaterThan(0);
    expect(steps[1]).toBeCloseTo(steps[0], 1);
    expect(steps[2]).toBeCloseTo(steps[0], 1);
  });

  it('marks the best point and reports it in the legend', () => {
    const r = checkSvg(lineChart({ series: [{ name: 'validation', values: [0.9, 0.4, 0.6], mark: 'min' }] }));
    const [best] = find(r, (e) => hasClass(e, 'best'));
    const ring = best.children.find((c) => c.name === 'circle')!;
    const [p] = subpaths(seriesPaths(r)[0].attrs.d);
    expect(Number(ring.attrs.cx)).toBeCloseTo(p[1][0], 1);
    expect(Number(ring.attrs.cy)).toBeCloseTo(p[1][1], 1);
    expect(find(r, (e) => e.name === 'text').map(textOf)).toContain('validation (min 0.4 at 2)');
  });

  it('escapes series names and titles', () => {
    const r = checkSvg(lineChart({ title: 'a < b & c', series: [{ name: '"quoted" <name>', values: [1, 2] }] }));
    expect(seriesPaths(r)[0].attrs['data-series']).toBe('"quoted" <name>');
    expect(find(r, (e) => e.name === 'text').map(textOf)).toContain('a < b & c');
  });

  it('validates its options', () => {
    expect(() => lineChart({ series: [] })).toThrow(TypeError);
    expect(() => lineChart({ series: [] })).toThrow('lineChart: expected options.series to be a non-empty array of { name, values }, received Array(0)');
    expect(() => lineChart({ series: [{ name: 'a', values: [] }] })).toThrow('lineChart: expected options.series[0].values to be a non-empty array of numbers, received Array(0)');
    expect(() => lineChart({ series: [{ name: 'a', values: [Number.NaN] }] })).toThrow('lineChart: expected options.series to be at least one finite value, received none');
    expect(() => lineChart({ series: [{ name: 'a', values: [1, 0] }], yScale: 'log' })).toThrow("lineChart: expected options.series[0].values to be positive numbers for yScale 'log', received 0");
    expect(() => lineChart({ series: [{ name: 'a', values: [1, 2], x: [1] }] })).toThrow(RangeError);
    expect(() => lineChart({ series: [{ name: 'a', values: [1] }], width: 10 })).toThrow('lineChart: expected options.width to be a number ≥ 240, received 10');
    expect(() => lineChart({ series: [{ name: 'a', values: [1], color: 'red' }] })).toThrow("lineChart: expected options.series[0].color to be a colour '#rrggbb', received red");
  });
});

import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zeroContour } from '../../lib/plot/contour';
import { decisionBoundarySvg } from '../../lib/plot/decision-boundary';
import { CATEGORICAL } from '../../lib/plot/palette';
import { crc32 } from '../../lib/plot/png';
import { Tensor } from '../../lib/tensor';
import { checkSvg, subpaths } from './svg-check';
import { find, hasClass, textOf, type XmlElement } from './xml';

/** Decodes the embedded PNG (8-bit RGB, filter 0 rows) into [width, height, rgb]. */
function regionPixels(root: XmlElement): { w: number; h: number; px: (i: number, j: number) => [number, number, number] } {
  const [img] = find(root, (e) => e.name === 'image' && hasClass(e, 'regions'));
  const b64 = img.attrs.href.replace(/^data:image\/png;base64,/, '');
  const png = Buffer.from(b64, 'base64');
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks = new Map<string, Buffer>();
  for (let o = 8; o < png.length;) {
    const len = png.readUInt32BE(o);
    const type = png.subarray(o + 4, o + 8).toString('ascii');
    const data = png.subarray(o + 8, o + 8 + len);
    expect(png.readUInt32BE(o + 8 + len)).toBe(crc32(png.subarray(o + 4, o + 8 + len)));
    chunks.set(type, Buffer.concat([chunks.get(type) ?? Buffer.alloc(0), data]));
    o += 12 + len;
  }
  const ihdr = chunks.get('IHDR')!;
  const w = ihdr.readUInt32BE(0);
  const h = ihdr.readUInt32BE(4);
  expect([ihdr[8], ihdr[9]]).toEqual([8, 2]);
  const raw = inflateSync(chunks.get('IDAT')!);
  expect(raw.length).toBe(h * (1 + 3 * w));
  return { w, h, px: (i, j) => { const o = j * (1 + 3 * w) + 1 + 3 * i; expect(raw[j * (1 + 3 * w)]).toBe(0); return [raw[o], raw[o + 1], raw[o + 2]]; } };
}

/** Which categorical colour a tinted pixel came from: the one whose direction from white matches. */
function classOfPixel([r, g, b]: [number, number, number], k: number): number {
  let best = -1;
  let bestCos = -2;
  for (let c = 0; c < k; c++) {
    const v = parseInt(CATEGORICAL[c].slice(1), 16);
    const d = [255 - (v >> 16), 255 - ((v >> 8) & 255), 255 - (v & 255)];
    const p = [255 - r, 255 - g, 255 - b];
    const cos = (d[0] * p[0] + d[1] * p[1] + d[2] * p[2]) / (Math.hypot(...d) * Math.hypot(...p));
    if (cos > bestCos) { bestCos = cos; best = c; }
  }
  return best;
}

// Eight points symmetric about the origin; class = 1 right of x = 0, except one point placed wrong.
const x = Tensor.from([[-1, -1], [-1, 1], [-0.5, 0], [0.5, 0.2], [1, -1], [1, 1], [0.3, -0.4], [-0.2, 0.8]]);
const y = [0, 0, 0, 1, 1, 1, 1, 1]; // the last point is left of the line but labelled 1
const rightIsOne = (points: Float32Array, m: number) => {
  const out = new Float32Array(m);
  for (let i = 0; i < m; i++) out[i] = points[2 * i] > 0 ? 1 : 0;
  return out;
};

describe('decisionBoundarySvg', () => {
  const res = 40;
  const root = checkSvg(decisionBoundarySvg({ predict: rightIsOne, x, y, resolution: res, classNames: ['left', 'right'], title: 'Half-planes' }));

  it('colours each grid cell with the class predicted at its centre', () => {
    const { w, h, px } = regionPixels(root);
    expect([w, h]).toEqual([res, res]);
    // The window is symmetric about 0 (data spans [-1, 1] in x), so the left half of the columns
    // predicts class 0 and the right half class 1, on every row.
    for (const j of [0, 17, 39]) {
      for (let i = 0; i < res; i++) expect(classOfPixel(px(i, j), 2)).toBe(i < res / 2 ? 0 : 1);
    }
  });

  it('draws the boundary along x = 0', () => {
    const [path] = find(root, (e) => e.name === 'path' && hasClass(e, 'boundary'));
    const [img] = find(root, (e) => e.name === 'image');
    const mid = Number(img.attrs.x) + Number(img.attrs.width) / 2;
    const cell = Number(img.attrs.width) / res;
    const pts = subpaths(path.attrs.d).flat();
    expect(pts.length).toBeGreaterThan(res);
    for (const [px] of pts) expect(Math.abs(px - mid)).toBeLessThanOrEqual(cell / 2 + 0.01);
  });

  it('draws every point in its true class colour and rings the misclassified one', () => {
    const points = find(root, (e) => e.name === 'circle' && hasClass(e, 'point'));
    expect(points).toHaveLength(8);
    expect(points.map((p) => p.attrs.fill)).toEqual(y.map((c) => CATEGORICAL[c]));
    const wrong = points.filter((p) => hasClass(p, 'misclassified'));
    expect(wrong).toHaveLength(1);
    // Point 7 at (-0.2, 0.8): left of centre and above it.
    const cx = (e: XmlElement) => Number(e.attrs.cx);
    const cy = (e: XmlElement) => Number(e.attrs.cy);
    expect(cx(wrong[0])).toBeLessThan(cx(points[3]));
    expect(cy(wrong[0])).toBeLessThan(cy(points[2]));
    const texts = find(root, (e) => e.name === 'text').map(textOf);
    expect(texts).toContain('accuracy 87.5% on the 8 points shown');
    expect(texts).toEqual(expect.arrayContaining(['Half-planes', 'left', 'right', 'misclassified']));
  });

  it('reads k probabilities or scores per point by argmax', () => {
    // Three classes by angle sector; scores are unnormalised (softmax applies).
    const sector = (px: number, py: number) => (py > 0 ? 0 : px < 0 ? 1 : 2);
    const predict = (pts: Float32Array, m: number) => {
      const out = new Float32Array(3 * m);
      for (let i = 0; i < m; i++) out[3 * i + sector(pts[2 * i], pts[2 * i + 1])] = 5;
      return out;
    };
    const pts = Tensor.from([[0, 1], [-1, -1], [1, -1], [0.5, 0.5]]);
    const r = checkSvg(decisionBoundarySvg({ predict, x: pts, y: [0, 1, 2, 0], resolution: 20 }));
    const { px } = regionPixels(r);
    expect(classOfPixel(px(10, 2), 3)).toBe(0); // top middle
    expect(classOfPixel(px(2, 17), 3)).toBe(1); // bottom left
    expect(classOfPixel(px(17, 17), 3)).toBe(2); // bottom right
    expect(find(r, (e) => hasClass(e, 'misclassified'))).toHaveLength(0);
    expect(find(r, (e) => hasClass(e, 'boundary')).length).toBeGreaterThanOrEqual(2);
  });

  it('reads one probability per point as P(class 1), lighter near 0.5', () => {
    const predict = (pts: Float32Array, m: number) => {
      const out = new Float32Array(m);
      for (let i = 0; i < m; i++) out[i] = 1 / (1 + Math.exp(-3 * pts[2 * i]));
      return out;
    };
    const r = checkSvg(decisionBoundarySvg({ predict, x, y, resolution: 40 }));
    const { px } = regionPixels(r);
    const whiteness = (p: number[]) => p[0] + p[1] + p[2];
    expect(classOfPixel(px(39, 5), 2)).toBe(1);
    expect(classOfPixel(px(0, 5), 2)).toBe(0);
    expect(whiteness(px(21, 5))).toBeGreaterThan(whiteness(px(39, 5)));
  });

  it('validates its inputs and what predict returns', () => {
    expect(() => decisionBoundarySvg({ predict: rightIsOne, x: Tensor.from([[1, 2, 3]]), y: [0] })).toThrow('decisionBoundarySvg: expected options.x to be a Tensor of shape [n, 2] with n ≥ 1, received shape [1, 3]');
    expect(() => decisionBoundarySvg({ predict: rightIsOne, x, y: [0, 1] })).toThrow('decisionBoundarySvg: expected options.y to be 8 labels, one per row of x, received 2');
    expect(() => decisionBoundarySvg({ predict: 1 as unknown as typeof rightIsOne, x, y })).toThrow(TypeError);
    expect(() => decisionBoundarySvg({ predict: () => new Float32Array(3), x, y, resolution: 4 })).toThrow('decisionBoundarySvg: expected predict(...) result to be m·k numbers for m = 16 points, received length 3');
    expect(() => decisionBoundarySvg({ predict: (_p, m) => new Float32Array(m).fill(Number.NaN), x, y, resolution: 4 })).toThrow('decisionBoundarySvg: expected predict(...) result[0] to be a finite number, received NaN');
    expect(() => decisionBoundarySvg({ predict: rightIsOne, x, y, resolution: 1 })).toThrow('decisionBoundarySvg: expected options.resolution to be an integer in [2, 1000], received 1');
    expect(() => decisionBoundarySvg({ predict: rightIsOne, x, y, classNames: ['only one'] })).toThrow('decisionBoundarySvg: expected options.classNames to be 2 names, one per class, received 1');
  });
});

describe('zeroContour', () => {
  it('places crossings by linear interpolation', () => {
    // g = column − 1.25 on a 4 × 3 grid: the zero line is the vertical x = 1.25.
    const g = new Float32Array(12);
    for (let j = 0; j < 3; j++) for (let i = 0; i < 4; i++) g[j * 4 + i] = i - 1.25;
    const seg = zeroContour(g, 4, 3);
    expect(seg).toHaveLength(8); // two cell rows, one segment each
    for (let s = 0; s < seg.length; s += 2) expect(seg[s]).toBeCloseTo(1.25, 6);
    expect(seg.filter((_, s) => s % 2 === 1).sort()).toEqual([0, 1, 1, 2]);
  });

  it('splits a saddle into two segments', () => {
    expect(zeroContour(new Float32Array([1, -1, -1, 1]), 2, 2)).toHaveLength(8);
    expect(zeroContour(new Float32Array([1, 1, 1, 1]), 2, 2)).toHaveLength(0);
  });
});

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});

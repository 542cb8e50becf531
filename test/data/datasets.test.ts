import { describe, expect, it } from 'vitest';
import { and, blobs, circles, loadIris, or, spirals, xor } from '../../lib/data/datasets';
import type { Tensor } from '../../lib/tensor';

function counts(y: Tensor, k: number): number[] {
  const c = new Array(k).fill(0);
  for (const v of y.data) c[v]++;
  return c;
}

function radius(x: Tensor, i: number): number {
  return Math.hypot(x.get(i, 0), x.get(i, 1));
}

describe('logic gates', () => {
  it('give the four truth-table rows', () => {
    const inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];
    for (const [make, outputs] of [[xor, [0, 1, 1, 0]], [and, [0, 0, 0, 1]], [or, [0, 1, 1, 1]]] as const) {
      const d = make();
      expect(d.x.toArray()).toEqual(inputs);
      expect(Array.from(d.y.data)).toEqual(outputs);
    }
    // Each call returns fresh tensors: training on one cannot corrupt the next.
    const a = xor();
    a.x.data[0] = 9;
    expect(xor().x.data[0]).toBe(0);
  });
});

describe('circles', () => {
  it('has n points, half per class, on radii 1 and factor without noise', () => {
    const d = circles({ n: 101, noise: 0, factor: 0.3, seed: 3 });
    expect(d.x.shape).toEqual([101, 2]);
    expect(counts(d.y, 2)).toEqual([50, 51]);
    for (let i = 0; i < 101; i++) expect(radius(d.x, i)).toBeCloseTo(d.y.data[i] === 0 ? 1 : 0.3, 5);
  });

  it('keeps noisy radii near their circle, and is shuffled', () => {
    const d = circles({ n: 400, noise: 0.05, factor: 0.5, seed: 1 });
    const mean = [0, 0];
    for (let i = 0; i < 400; i++) mean[d.y.data[i]] += radius(d.x, i) / 200;
    expect(mean[0]).toBeGreaterThan(0.97);
    expect(mean[0]).toBeLessThan(1.03);
    expect(mean[1]).toBeGreaterThan(0.47);
    expect(mean[1]).toBeLessThan(0.53);
    // 2-D Gaussian noise of std 0.05 moves a point by more than 0.25 with probability e^{-12.5} ≈ 4e-6.
    for (let i = 0; i < 400; i++) expect(Math.abs(radius(d.x, i) - (d.y.data[i] === 0 ? 1 : 0.5))).toBeLessThan(0.25);
    const firstHalf = Array.from(d.y.data.subarray(0, 200));
    expect(firstHalf).toContain(0);
    expect(firstHalf).toContain(1);
  });

  it('is deterministic for a seed', () => {
    expect(Array.from(circles({ seed: 9 }).x.data)).toEqual(Array.from(circles({ seed: 9 }).x.data));
    expect(Array.from(circles({ seed: 9 }).x.data)).not.toEqual(Array.from(circles({ seed: 10 }).x.data));
  });

  it('validates options', () => {
    expect(() => circles({ factor: 1 })).toThrow('circles: expected options.factor to be a number in [0, 1), received 1');
    expect(() => circles({ n: 1 })).toThrow('circles: expected options.n to be an integer ≥ 2, received 1');
    expect(() => circles({ noise: -1 })).toThrow(RangeError);
    expect(() => circles({ seed: 'a' as unknown as number })).toThrow(TypeError);
  });
});

describe('spirals', () => {
  it('has balanced classes with radii in [0.1, 1] without noise, mirrored through the origin', () => {
    const d = spirals({ n: 200, noise: 0, seed: 2 });
    expect(d.x.shape).toEqual([200, 2]);
    expect(counts(d.y, 2)).toEqual([100, 100]);
    for (let i = 0; i < 200; i++) {
      const r = radius(d.x, i);
      expect(r).toBeGreaterThan(0.1 - 1e-6);
      expect(r).toBeLessThan(1 + 1e-6);
    }
    // Spiral 1 is spiral 0 rotated by π: for each point of one, its negation lies on the other.
    const key = (a: number, b: number) => `${a.toFixed(4)},${b.toFixed(4)}`;
    const zero = new Set<string>();
    for (let i = 0; i < 200; i++) if (d.y.data[i] === 0) zero.add(key(-d.x.get(i, 0), -d.x.get(i, 1)));
    for (let i = 0; i < 200; i++) if (d.y.data[i] === 1) expect(zero.has(key(d.x.get(i, 0), d.x.get(i, 1)))).toBe(true);
  });

  it('is deterministic for a seed', () => {
    expect(Array.from(spirals({ seed: 4 }).x.data)).toEqual(Array.from(spirals({ seed: 4 }).x.data));
    expect(Array.from(spirals({ seed: 4 }).y.data)).not.toEqual(Array.from(spirals({ seed: 5 }).y.data));
  });
});

describe('blobs', () => {
  it('balances n over the centres and clusters around them', () => {
    const centers = [[0, 0], [10, 0], [0, 10], [10, 10]];
    const d = blobs({ n: 402, centers, std: 0.5, seed: 8 });
    expect(d.x.shape).toEqual([402, 2]);
    expect(counts(d.y, 4)).toEqual([101, 101, 100, 100]);
    const sum = centers.map(() => [0, 0]);
    for (let i = 0; i < 402; i++) {
      sum[d.y.data[i]][0] += d.x.get(i, 0);
      sum[d.y.data[i]][1] += d.x.get(i, 1);
    }
    // The sample mean of ~100 points with std 0.5 is within 0.25 of the centre (5 standard errors).
    centers.forEach((c, k) => {
      const size = counts(d.y, 4)[k];
      expect(Math.abs(sum[k][0] / size - c[0])).toBeLessThan(0.25);
      expect(Math.abs(sum[k][1] / size - c[1])).toBeLessThan(0.25);
    });
  });

  it('draws random centres in [-10, 10]² from the seed and supports more dimensions', () => {
    const d = blobs({ n: 30, centers: 3, std: 0, seed: 1 });
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      expect(Math.abs(d.x.get(i, 0))).toBeLessThanOrEqual(10);
      seen.add(`${d.y.data[i]}:${d.x.get(i, 0)},${d.x.get(i, 1)}`);
    }
    expect(seen.size).toBe(3); // std 0: every point of a class sits on its centre
    expect(blobs({ n: 6, centers: [[1, 2, 3], [4, 5, 6]], seed: 0 }).x.shape).toEqual([6, 3]);
    expect(Array.from(blobs({ seed: 3 }).x.data)).toEqual(Array.from(blobs({ seed: 3 }).x.data));
  });

  it('validates options', () => {
    expect(() => blobs({ n: 2, centers: 3 })).toThrow('blobs: expected options.n to be at least one point per center (≥ 3), received 2');
    expect(() => blobs({ centers: [[0, 0], [1]] })).toThrow('blobs: expected options.centers[1] to be a point of 2 coordinates, received Array(1)');
    expect(() => blobs({ std: -1 })).toThrow(RangeError);
  });
});

describe('loadIris', () => {
  it('reads the packaged 150 × 4 data with 50 flowers of each species', () => {
    const iris = loadIris();
    expect(iris.x.shape).toEqual([150, 4]);
    expect(iris.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(counts(iris.y, 3)).toEqual([50, 50, 50]);
    // First and last rows of Fisher's table.
    expect(Array.from(iris.x.row(0).data)).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    expect(iris.y.data[0]).toBe(0);
    expect(Array.from(iris.x.row(149).data)).toEqual([5.9, 3.0, 5.1, 1.8].map(Math.fround));
    expect(iris.y.data[149]).toBe(2);
  });

  it('names a missing file', () => {
    expect(() => loadIris({ path: '/nonexistent/iris.csv' })).toThrow('loadCsv: cannot read /nonexistent/iris.csv: no such file');
  });
});

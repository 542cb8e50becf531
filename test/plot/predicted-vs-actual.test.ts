import { describe, expect, it } from 'vitest';
import { autoYScale, predictedVsActualSvg } from '../../lib/plot/predicted-vs-actual';
import { checkSvg } from './svg-check';
import { find, hasClass, textOf } from './xml';

describe('predictedVsActualSvg', () => {
  it('draws one point per pair on a shared scale, with the diagonal y = x', () => {
    const root = checkSvg(predictedVsActualSvg({ actual: [1, 2, 3, 4], predicted: [1.5, 2, 2.5, 4.5], title: 'fit', label: 'price' }));
    const points = find(root, (e) => e.name === 'circle');
    expect(points).toHaveLength(4);
    // (2, 2) lies on the diagonal: its pixel is the diagonal's point at x = 2.
    const diagonal = find(root, (e) => e.name === 'line' && hasClass(e, 'diagonal'))[0];
    const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map((k) => Number(diagonal.attrs[k]));
    const onLine = points[1];
    const t = (Number(onLine.attrs.cx) - x1) / (x2 - x1);
    expect(Number(onLine.attrs.cy)).toBeCloseTo(y1 + t * (y2 - y1), 1);
    // Under-predictions sit below the diagonal (larger pixel y), over-predictions above.
    const below = points[2];
    const tb = (Number(below.attrs.cx) - x1) / (x2 - x1);
    expect(Number(below.attrs.cy)).toBeGreaterThan(y1 + tb * (y2 - y1));
    const texts = find(root, (e) => e.name === 'text').map(textOf);
    expect(texts).toContain('actual price');
    expect(texts).toContain('predicted price');
  });

  it('keeps the SVG small: an evenly spaced subset beyond maxPoints, said on the picture', () => {
    const n = 1000;
    const actual = Array.from({ length: n }, (_, i) => i);
    const root = checkSvg(predictedVsActualSvg({ actual, predicted: actual, maxPoints: 100 }));
    expect(find(root, (e) => e.name === 'circle')).toHaveLength(100);
    expect(find(root, (e) => e.name === 'text').map(textOf)).toContain('every 10th of 1000 points');
    expect(() => predictedVsActualSvg({ actual: [1, 2], predicted: [1] })).toThrow('predictedVsActualSvg: expected options.predicted to be an array of 2 numbers like actual');
  });

  it('autoYScale: log when positive values span two decades', () => {
    expect(autoYScale([12000, 800, 40, 3])).toBe('log');
    expect(autoYScale([1, 0.01])).toBe('log');
    expect(autoYScale([1, 0.0101])).toBe('linear');
    expect(autoYScale([2, 0.5, NaN])).toBe('linear');
    expect(autoYScale([100, 0])).toBe('linear');
  });
});

describe('writeTrainingReport', () => {
  it('draws the loss on a log axis when it spans decades, linear otherwise; predicted-vs-actual for regression', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeTrainingReport } = await import('../../lib/plot/report');
    const { emptyHistory, recordEpoch } = await import('../../lib/train/history');
    const history = (losses: number[]) => {
      const h = emptyHistory(['loss']);
      losses.forEach((loss, e) => recordEpoch(h, e, { loss, lr: 0.1 }));
      return h;
    };
    const dir = mkdtempSync(join(tmpdir(), 'blasnet-report-'));
    const files = writeTrainingReport(dir, { history: history([12000, 900, 40, 3]), regression: { predicted: [1, 2], actual: [1, 3], label: 'y' } });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['loss.svg', 'predicted-vs-actual.svg']);
    const logTexts = find(checkSvg(readFileSync(join(dir, 'loss.svg'), 'utf8')), (e) => e.name === 'text').map(textOf);
    expect(logTexts).toContain('loss (log scale)');
    for (const decade of ['1', '10', '100', '1000', '10000']) expect(logTexts).toContain(decade);
    writeTrainingReport(dir, { history: history([2, 1.5, 1]) });
    const linTexts = find(checkSvg(readFileSync(join(dir, 'loss.svg'), 'utf8')), (e) => e.name === 'text').map(textOf);
    expect(linTexts).toContain('loss');
    expect(linTexts).not.toContain('loss (log scale)');
  });
});

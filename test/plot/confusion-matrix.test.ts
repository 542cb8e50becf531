import { describe, expect, it } from 'vitest';
import { confusionMatrix, confusionMatrixSvg } from '../../lib/plot/confusion-matrix';
import { Tensor } from '../../lib/tensor';
import { checkSvg } from './svg-check';
import { find, hasClass, textOf } from './xml';

describe('confusionMatrix', () => {
  it('counts [actual][predicted] pairs', () => {
    const actual = [0, 0, 1, 1, 1, 2, 2, 2, 2];
    const predicted = [0, 1, 1, 1, 2, 2, 2, 0, 2];
    // Worked by hand: row = actual class, column = predicted class.
    expect(confusionMatrix(predicted, actual, 3)).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [1, 0, 3],
    ]);
    expect(confusionMatrix(new Int32Array(predicted), Tensor.from(actual), 4)[3]).toEqual([0, 0, 0, 0]);
  });

  it('validates labels', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow('confusionMatrix: expected predicted to be 1 labels like actual, received 2');
    expect(() => confusionMatrix([0, 2], [0, 1], 2)).toThrow('confusionMatrix: expected predicted[1] to be an integer class index in [0, 1], received 2');
    expect(() => confusionMatrix([0], [0.5], 2)).toThrow(RangeError);
    expect(() => confusionMatrix([0], [0], 0)).toThrow('confusionMatrix: expected numClasses to be an integer ≥ 1, received 0');
  });
});

describe('confusionMatrixSvg', () => {
  const m = [
    [50, 0, 0],
    [0, 47, 3],
    [0, 2, 48],
  ];
  const names = ['setosa', 'versicolor', 'virginica'];
  const root = checkSvg(confusionMatrixSvg(m, names, { title: 'Iris' }));
  const cells = find(root, (e) => e.name === 'rect' && hasClass(e, 'cell'));

  it('has k² cells carrying their row, column and count, laid out as a grid', () => {
    expect(cells).toHaveLength(9);
    for (const c of cells) {
      const r = Number(c.attrs['data-row']);
      const col = Number(c.attrs['data-col']);
      expect(Number(c.attrs['data-count'])).toBe(m[r][col]);
    }
    // Columns move right and rows move down.
    const at = (r: number, c: number) => cells.find((e) => e.attrs['data-row'] === String(r) && e.attrs['data-col'] === String(c))!;
    expect(Number(at(0, 1).attrs.x)).toBeGreaterThan(Number(at(0, 0).attrs.x));
    expect(Number(at(1, 0).attrs.y)).toBeGreaterThan(Number(at(0, 0).attrs.y));
    expect(at(0, 0).attrs.y).toBe(at(0, 2).attrs.y);
  });

  it('writes every count and the class names, and summarises accuracy', () => {
    const counts = find(root, (e) => e.name === 'text' && hasClass(e, 'count')).map(textOf);
    expect(counts).toEqual(m.flat().map(String));
    expect(find(root, (e) => hasClass(e, 'row-label')).map(textOf)).toEqual(names);
    expect(find(root, (e) => hasClass(e, 'col-label')).map(textOf)).toEqual(names);
    const texts = find(root, (e) => e.name === 'text').map(textOf);
    expect(texts).toContain('accuracy 96.7% (145 of 150)');
    expect(texts).toContain('Predicted');
    expect(texts).toContain('Actual');
    // Per-class recall: 50/50, 47/50, 48/50.
    expect(find(root, (e) => hasClass(e, 'recall')).map(textOf)).toEqual(['100%', '94.0%', '96.0%']);
  });

  it('colours hits blue and misses red, darker for a larger share of the row', () => {
    const fill = (r: number, c: number) => {
      const hex = cells.find((e) => e.attrs['data-row'] === String(r) && e.attrs['data-col'] === String(c))!.attrs.fill;
      const v = parseInt(hex.slice(1), 16);
      return { r: v >> 16, g: (v >> 8) & 255, b: v & 255, sum: (v >> 16) + ((v >> 8) & 255) + (v & 255) };
    };
    expect(fill(1, 1).b).toBeGreaterThan(fill(1, 1).r);
    expect(fill(1, 2).r).toBeGreaterThan(fill(1, 2).b);
    expect(fill(1, 2).sum).toBeLessThan(fill(2, 1).sum); // 3 of 50 is darker than 2 of 50
    expect(fill(0, 1)).toEqual(fill(0, 2)); // zeros share the empty colour
  });

  it('defaults class names to indices and escapes given ones', () => {
    const r = checkSvg(confusionMatrixSvg([[1, 0], [0, 1]]));
    expect(find(r, (e) => hasClass(e, 'row-label')).map(textOf)).toEqual(['0', '1']);
    const e = checkSvg(confusionMatrixSvg([[1, 0], [0, 1]], ['<a>', 'b & c']));
    expect(find(e, (x) => hasClass(x, 'col-label')).map(textOf)).toEqual(['<a>', 'b & c']);
  });

  it('validates the matrix and names', () => {
    expect(() => confusionMatrixSvg([[1, 2]])).toThrow('confusionMatrixSvg: expected matrix[0] to be a row of 1 counts, received Array(2)');
    expect(() => confusionMatrixSvg([[1, -1], [0, 0]])).toThrow('confusionMatrixSvg: expected matrix[0][1] to be a non-negative integer count, received -1');
    expect(() => confusionMatrixSvg([[1]], ['a', 'b'])).toThrow('confusionMatrixSvg: expected classNames to be 1 strings, one per row, received Array(2)');
    expect(() => confusionMatrixSvg([] as number[][])).toThrow(TypeError);
  });

  it('sums all but the busiest classes into "other" beyond maxClasses, so 3,000 classes make a small picture', () => {
    // 29 busy classes (7, 107, …, 2807) with 50 hits each and 2 misses into the next (quiet) class;
    // every other class has 1 hit, and class 1 is mistaken for class 2 three times.
    const k = 3000;
    const busy = Array.from({ length: 29 }, (_, j) => 100 * j + 7);
    const big = Array.from({ length: k }, (_, i) => {
      const row = new Array<number>(k).fill(0);
      row[i] = 1;
      return row;
    });
    for (const b of busy) {
      big[b][b] = 50;
      big[b][b + 1] = 2;
    }
    big[1][2] = 3;
    const svg = confusionMatrixSvg(big, undefined, { title: 'many' });
    expect(svg.length).toBeLessThan(400_000);
    const r = checkSvg(svg);
    const shownCells = find(r, (e) => e.name === 'rect' && hasClass(e, 'cell'));
    expect(shownCells).toHaveLength(30 * 30);
    const labels = find(r, (e) => hasClass(e, 'row-label')).map(textOf);
    expect(labels).toEqual([...busy.map(String), 'other (2971)']);
    const count = (row: number, col: number) => Number(shownCells.find((e) => e.attrs['data-row'] === String(row) && e.attrs['data-col'] === String(col))!.attrs['data-count']);
    expect(count(0, 0)).toBe(50);
    expect(count(0, 29)).toBe(2); // 7 → 8, a quiet class
    expect(count(29, 29)).toBe(2971 + 3); // quiet hits plus 1 → 2
    expect(count(29, 0)).toBe(0);
    // Accuracy over all 3,000 classes: (29·50 + 2971) of (29·52 + 2971 + 3); the "other" recall
    // counts only real hits: 2971 of 2974.
    const texts = find(r, (e) => e.name === 'text').map(textOf);
    expect(texts).toContain('accuracy 98.6% (4421 of 4482); 29 of 3000 classes shown, the other 2971 summed');
    const recall = find(r, (e) => hasClass(e, 'recall')).map(textOf);
    expect(recall[0]).toBe('96.2%');
    expect(recall[29]).toBe('99.9%');
  });

  it('takes maxClasses, within [2, 100]', () => {
    const r = checkSvg(confusionMatrixSvg(m, names, { maxClasses: 2 }));
    // Samples (actual + predicted): setosa 50 + 50, versicolor 50 + 49, virginica 50 + 51.
    expect(find(r, (e) => hasClass(e, 'row-label')).map(textOf)).toEqual(['virginica', 'other (2)']);
    expect(find(r, (e) => e.name === 'rect' && hasClass(e, 'cell')).map((e) => Number(e.attrs['data-count']))).toEqual([48, 2, 3, 97]);
    expect(() => confusionMatrixSvg(m, names, { maxClasses: 1 })).toThrow('confusionMatrixSvg: expected options.maxClasses to be an integer in [2, 100], received 1');
  });
});

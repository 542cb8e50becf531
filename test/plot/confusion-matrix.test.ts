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
});

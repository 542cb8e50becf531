import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvHeader, loadCsv, parseCsv, sortClassNames } from '../../lib/data/csv';
import { oneHot } from '../../lib/data/one-hot';
import { Tensor } from '../../lib/tensor';

describe('parseCsv', () => {
  const text = 'a,b,kind\n1,2,cat\n\n3.5,-4e1,dog\r\n  \n.5,+6,cat\n';

  it('reads features and sorted class labels, skipping blank lines', () => {
    const d = parseCsv(text);
    expect(d.featureNames).toEqual(['a', 'b']);
    expect(d.labelName).toBe('kind');
    expect(d.x.shape).toEqual([3, 2]);
    expect(Array.from(d.x.data)).toEqual([1, 2, 3.5, -40, 0.5, 6]);
    expect(d.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(d.y.data)).toEqual([0, 1, 0]);
  });

  it('chooses the label column by name or by index', () => {
    const byName = parseCsv('x,target,z\n1,b,2\n3,a,4\n', { label: 'target' });
    expect(byName.featureNames).toEqual(['x', 'z']);
    expect(Array.from(byName.x.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(byName.y.data)).toEqual([1, 0]);
    const byIndex = parseCsv('x,target,z\n1,b,2\n3,a,4\n', { label: 1 });
    expect(Array.from(byIndex.y.data)).toEqual([1, 0]);
  });

  it('keeps a numeric label for regression, and selects features in the order given', () => {
    const d = parseCsv('x1,x2,price\n1,2,10.5\n3,4,-2\n', { labelType: 'number', features: ['x2', 0] });
    expect(d.featureNames).toEqual(['x2', 'x1']);
    expect(Array.from(d.x.data)).toEqual([2, 1, 4, 3]);
    expect(Array.from(d.y.data)).toEqual([10.5, -2]);
    expect(d.classNames).toBeUndefined();
  });

  it('handles quoted fields with delimiters, escaped quotes and newlines', () => {
    const d = parseCsv('"size, cm","label ""x"""\n"1.5","a, b"\n2,"multi\nline"\n3,plain\n');
    expect(d.featureNames).toEqual(['size, cm']);
    expect(d.labelName).toBe('label "x"');
    expect(Array.from(d.x.data)).toEqual([1.5, 2, 3]);
    expect(d.classNames).toEqual(['a, b', 'multi\nline', 'plain']);
  });

  it('orders numeric class names numerically and others by code unit', () => {
    expect(sortClassNames(['10', '2', '1', '2'])).toEqual(['1', '2', '10']);
    expect(sortClassNames(['b', 'B', 'a'])).toEqual(['B', 'a', 'b']);
    const d = parseCsv('f,y\n0,10\n1,9\n2,10\n');
    expect(d.classNames).toEqual(['9', '10']);
    expect(Array.from(d.y.data)).toEqual([1, 0, 1]);
  });

  it('uses a given class list, so a test file gets the training encoding', () => {
    const d = parseCsv('f,y\n1,dog\n2,cat\n', { classNames: ['dog', 'cat', 'bird'] });
    expect(Array.from(d.y.data)).toEqual([0, 1]);
    expect(d.classNames).toEqual(['dog', 'cat', 'bird']);
    expect(() => parseCsv('f,y\n1,dog\n2,cow\n', { classNames: ['dog', 'cat'] }, 'test.csv'))
      .toThrow('parseCsv: test.csv row 2 (line 3), column "y": expected one of the classes "dog", "cat", received "cow"');
  });

  it('reads features only with label: null (data to predict on)', () => {
    const d = parseCsv('a,b\n1,2\n3,4\n', { label: null });
    expect(d.featureNames).toEqual(['a', 'b']);
    expect(d.x.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(d.y.shape).toEqual([0]);
    expect(d.labelName).toBe('');
    expect(d.classNames).toBeUndefined();
    expect(parseCsv('only\n7\n', { label: null }).x.toArray()).toEqual([[7]]);
  });

  it('accepts another delimiter', () => {
    const d = parseCsv('a;b;y\n1,5;2;u\n', { delimiter: ';', label: 'y', features: ['b'] });
    expect(Array.from(d.x.data)).toEqual([2]);
  });

  it('names the row, line and column of a bad value', () => {
    const bad = 'a,b,y\n1,2,p\n\n3,oops,q\n';
    expect(() => parseCsv(bad, {}, 'data.csv')).toThrow(RangeError);
    expect(() => parseCsv(bad, {}, 'data.csv')).toThrow('parseCsv: data.csv row 2 (line 4), column "b": expected a number, received "oops"');
    // Number() would take these; a data file should not.
    for (const v of ['0x10', 'Infinity', '1,5']) {
      expect(() => parseCsv(`a,y\n1,q\n"${v}",p\n`)).toThrow(`parseCsv: CSV row 2 (line 3), column "a": expected a number, received ${JSON.stringify(v)}`);
    }
    expect(() => parseCsv('a,y\n1,abc\n', { labelType: 'number' })).toThrow('parseCsv: CSV row 1 (line 2), column "y": expected a number, received "abc"');
    expect(() => parseCsv('a,y\n1,\n')).toThrow('parseCsv: CSV row 1 (line 2), column "y": the label is missing');
  });

  it('rejects ragged rows, broken quoting, and an empty file', () => {
    expect(() => parseCsv('a,b,y\n1,2\n')).toThrow('parseCsv: CSV row 1 (line 2) has 2 fields, the header has 3');
    expect(() => parseCsv('a,y\n1,"open\n')).toThrow('parseCsv: CSV line 2: a quoted field is never closed');
    expect(() => parseCsv('a,y\n"1"x,p\n')).toThrow('parseCsv: CSV line 2: unexpected "x" after a closing quote');
    expect(() => parseCsv('\n\n')).toThrow('parseCsv: CSV is empty, expected a header row');
    expect(() => parseCsv('only\n1\n')).toThrow('parseCsv: CSV has 1 column, expected a label and at least one feature');
  });

  it('validates options', () => {
    expect(() => parseCsv('a,y\n1,p\n', { label: 'nope' })).toThrow(RangeError);
    expect(() => parseCsv('a,y\n1,p\n', { label: 'nope' })).toThrow('parseCsv: expected options.label to be one of the columns "a", "y", received "nope"');
    expect(() => parseCsv('a,y\n1,p\n', { label: 2 })).toThrow('parseCsv: expected options.label to be a column index in [0, 1], received 2');
    expect(() => parseCsv('a,a,y\n1,2,p\n', { features: ['a'] })).toThrow('parseCsv: expected options.features[0] to be a column name that appears once in the header, received "a" at columns 0, 1');
    expect(() => parseCsv('a,y\n1,p\n', { features: ['y'] })).toThrow('parseCsv: expected options.features to be columns other than the label "y", received a list that includes it');
    expect(() => parseCsv('a,y\n1,p\n', { delimiter: '::' })).toThrow(`parseCsv: expected options.delimiter to be a single character other than a quote or newline, or 'auto', received "::"`);
    expect(() => parseCsv('a,y\n1,p\n', { labelType: 'text' as 'class' })).toThrow("parseCsv: expected options.labelType to be one of 'class', 'number', received \"text\"");
    expect(() => parseCsv(5 as unknown as string)).toThrow(TypeError);
  });
});

describe('loadCsv', () => {
  it('reads a file and names it in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'blasnet-csv-'));
    try {
      const path = join(dir, 'd.csv');
      writeFileSync(path, '\ufeffh,y\r\n1,a\r\n2,b\r\n');
      const d = loadCsv(path);
      expect(d.featureNames).toEqual(['h']);
      expect(Array.from(d.x.data)).toEqual([1, 2]);
      writeFileSync(path, 'h,y\n1,a\nz,b\n');
      expect(() => loadCsv(path)).toThrow(`parseCsv: ${path} row 2 (line 3), column "h": expected a number, received "z"`);
      expect(() => loadCsv(join(dir, 'missing.csv'))).toThrow(`loadCsv: cannot read ${join(dir, 'missing.csv')}: no such file`);
      writeFileSync(path, '\ufeff"first, name",second\r\n1,2\r\n');
      expect(csvHeader(path)).toEqual(['first, name', 'second']);
      expect(() => csvHeader(join(dir, 'missing.csv'))).toThrow(`csvHeader: cannot read ${join(dir, 'missing.csv')}: no such file`);
      // Only the start of the file is read: a broken line 200 KB in does not matter.
      writeFileSync(path, 'p;q;label\n' + '1;2;a\n'.repeat(40_000) + '"never closed\n');
      expect(csvHeader(path)).toEqual(['p', 'q', 'label']);
      expect(csvHeader(path, { skipRows: 1, header: false })).toEqual(['c0', 'c1', 'c2']);
      // The start is cut after a whole record: a quoted field with line breaks across the 64 KiB mark is kept whole.
      const note = `"${'a long note\n'.repeat(6000)}"`;
      writeFileSync(path, `id,note,label\n1,${note},x\n2,short,y\n`);
      expect(csvHeader(path)).toEqual(['id', 'note', 'label']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('oneHot', () => {
  it('puts a single 1 in the label column', () => {
    const t = oneHot([2, 0, 1], 3);
    expect(t.shape).toEqual([3, 3]);
    expect(t.toArray()).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    expect(oneHot(Tensor.from([1, 1]), 2).toArray()).toEqual([[0, 1], [0, 1]]);
    expect(oneHot(new Int32Array([0]), 1).toArray()).toEqual([[1]]);
  });

  it('rejects labels that are not class indices', () => {
    expect(() => oneHot([0, 3], 3)).toThrow(RangeError);
    expect(() => oneHot([0, 3], 3)).toThrow('oneHot: expected labels[1] to be an integer class index in [0, 2], received 3');
    expect(() => oneHot([0.5], 3)).toThrow('oneHot: expected labels[0] to be an integer class index in [0, 2], received 0.5');
    expect(() => oneHot(Tensor.from([[0]]), 3)).toThrow('oneHot: expected labels to be a rank-1 tensor of class indices, received shape [1, 1]');
    expect(() => oneHot([0], 0)).toThrow('oneHot: expected numClasses to be an integer ≥ 1, received 0');
    expect(() => oneHot('abc' as unknown as number[], 2)).toThrow(TypeError);
  });
});

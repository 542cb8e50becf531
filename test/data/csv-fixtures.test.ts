// Each messy-CSV case as a file under test/fixtures/csv, read through the API. Expected values are
// worked out by hand from the fixture text.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCsv, parseCsv } from '../../lib/data/csv';
import { detectDelimiter, skipLines } from '../../lib/data/csv-dialect';
import { expectError } from '../helpers/errors';
import type { Tensor } from '../../lib/tensor';

/** A 2-D tensor's rows as plain arrays. */
const rowsOf = (t: Tensor): number[][] => t.toArray() as number[][];

const fixture = (name: string) => join(__dirname, '..', 'fixtures', 'csv', name);

describe('CSV fixtures', () => {
  it('headerless: auto reads the numeric first row as data and warns; header: true takes it as names', () => {
    const warnings: string[] = [];
    const d = loadCsv(fixture('headerless.csv'), { onWarning: (m) => warnings.push(m) });
    expect(d.header).toBe(false);
    expect(d.x.shape).toEqual([6, 2]);
    expect(rowsOf(d.x)[0]).toEqual([Math.fround(5.1), Math.fround(3.5)]);
    expect(d.featureNames).toEqual(['c0', 'c1']);
    expect(d.labelName).toBe('c2');
    expect(Array.from(d.y.data)).toEqual([0, 0, 1, 1, 1, 0]);
    expect(warnings).toEqual([`parseCsv: ${fixture('headerless.csv')}: the first row (line 1) is numeric like the rows below it, so it is read as data and the columns are named c0 … c2; pass header: true (--header) if it names the columns`]);
    const named = loadCsv(fixture('headerless.csv'), { header: true, onWarning: () => { throw new Error('no warning expected'); } });
    expect(named.x.shape).toEqual([5, 2]);
    expect(named.featureNames).toEqual(['5.1', '3.5']);
    // header: false says so explicitly: no warning.
    const silent: string[] = [];
    expect(loadCsv(fixture('headerless.csv'), { header: false, onWarning: (m) => silent.push(m) }).x.shape).toEqual([6, 2]);
    expect(silent).toEqual([]);
  });

  it('metadata line before the header: skipRows, with file line numbers kept in errors', () => {
    const d = loadCsv(fixture('metadata.csv'), { skipRows: 1 });
    expect(d.featureNames).toEqual(['width', 'height']);
    expect(rowsOf(d.x)).toEqual([[1, 2], [5, 6.5], [1.5, 2.5], [6, 7]]);
    expect(d.classNames).toEqual(['large', 'small']);
    expect(Array.from(d.y.data)).toEqual([1, 0, 1, 0]);
    expect(() => parseCsv('# title\na,y\n1,p\nz,q\n', { skipRows: 1 }, 'm.csv')).toThrow('parseCsv: m.csv row 2 (line 4), column "a": expected a number');
  });

  it('semicolon and tab files: the delimiter is detected', () => {
    const semi = loadCsv(fixture('semicolon.csv'));
    expect(semi.delimiter).toBe(';');
    expect(semi.featureNames).toEqual(['width', 'height']);
    expect(rowsOf(semi.x)).toEqual([[1.5, 2], [5, 6], [1, 2], [6, 7]]);
    const tab = loadCsv(fixture('tab.tsv'));
    expect(tab.delimiter).toBe('\t');
    expect(rowsOf(tab.x)).toEqual([[1, 2], [5, 6]]);
    // An explicit delimiter wins over detection.
    expect(loadCsv(fixture('semicolon.csv'), { delimiter: ';' }).x.shape).toEqual([4, 2]);
    expect(detectDelimiter('a|b|c\n1|2|3\n')).toBe('|');
    // Commas inside quotes do not count; the consistent candidate wins over the more frequent one.
    expect(detectDelimiter('"a,b,c";d\n"1,2,3";4\n')).toBe(';');
    expect(detectDelimiter('a,b;c\n1,2;3,4\n')).toBe(';');
    expect(detectDelimiter('single\n1\n')).toBe(',');
  });

  it('quoted fields with embedded delimiters, quotes and newlines (RFC 4180)', () => {
    const d = loadCsv(fixture('quoted-newline.csv'), { features: ['id', 'size'] });
    expect(rowsOf(d.x)).toEqual([[1, 2.5], [2, 3.5], [3, 4.5]]);
    expect(d.classNames).toEqual(['no', 'yes', 'yes, really']);
    expect(Array.from(d.y.data)).toEqual([1, 0, 2]);
    // The note column is text: one-hot, its categories holding the comma, newline and quotes intact.
    const all = loadCsv(fixture('quoted-newline.csv'));
    expect(all.encoding.columns[1].categories).toEqual(['first, with a comma', 'say "hi"', 'two\nlines']);
    // A row after the quoted newline is still reported by its file line.
    expect(() => parseCsv('a,b,y\n1,"x\ny",p\n2,3\n', {}, 'q.csv')).toThrow('parseCsv: q.csv row 2 (line 4) has 2 fields, the header has 3');
  });

  it('missing cells (empty, NA, NaN, ?): mean for numbers, most frequent for text, stated in the encoding', () => {
    const d = loadCsv(fixture('missing.csv'));
    // age: 30, 40, 50 present → mean 40. income: 50, 60, 80 → 190/3. city: paris ×2, berlin ×2 →
    // the tie goes to the first in sorted order, berlin.
    const income = Math.fround(190 / 3);
    expect(d.featureNames).toEqual(['age', 'income', 'city=berlin', 'city=paris']);
    expect(rowsOf(d.x)).toEqual([
      [30, 50, 0, 1],
      [40, 60, 1, 0],
      [40, income, 0, 1],
      [40, 80, 1, 0],
      [50, income, 1, 0],
    ]);
    expect(d.encoding.columns.map((c) => c.fill)).toEqual([
      { rule: 'mean', value: 40 }, { rule: 'mean', value: income }, { rule: 'mostFrequent', value: 'berlin' },
    ]);
    expect(d.filled).toEqual({ age: 2, income: 2, city: 1 });
  });

  it('missing cells: rules per column, constants, custom tokens, and errors', () => {
    const d = loadCsv(fixture('missing.csv'), { impute: 'mostFrequent', imputeColumns: { income: { constant: -1 }, city: { constant: 'unknown' } } });
    // age: 30, 40, 50 each once → the smallest in numeric order, 30.
    expect(rowsOf(d.x).map((r) => r[0])).toEqual([30, 30, 40, 30, 50]);
    expect(rowsOf(d.x).map((r) => r[1])).toEqual([50, 60, -1, 80, -1]);
    expect(d.featureNames.slice(2)).toEqual(['city=berlin', 'city=paris', 'city=unknown']);
    expect(rowsOf(d.x)[3].slice(2)).toEqual([0, 0, 1]);
    expect(rowsOf(parseCsv('a,y\n-,p\n3,q\n', { missing: ['-'] }).x)).toEqual([[3], [3]]);
    expectError(() => loadCsv(fixture('missing.csv'), { impute: 'error' }), RangeError,
      `parseCsv: ${fixture('missing.csv')} row 2 (line 3), column "age": the value is missing ("") and the column's fill rule is 'error'`);
    expectError(() => parseCsv('a,b,y\n1,red,p\n2,,q\n', { imputeColumns: { b: 'mean' } }), RangeError,
      "parseCsv: expected the fill rule of text column \"b\" to be 'mostFrequent' or a constant, received 'mean'");
    expectError(() => parseCsv('a,b,y\n1,,p\n2,NA,q\n'), RangeError,
      'parseCsv: column "b" has no values, so its missing cells cannot be filled with the mean; give it a constant fill');
    expectError(() => parseCsv('a,y\n1,p\n', { impute: 'median' as 'mean' }), RangeError,
      `parseCsv: expected options.impute to be 'mean', 'mostFrequent', 'error' or { constant: number | string }, received "median"`);
  });

  it('text feature columns are one-hot encoded in sorted category order', () => {
    const d = loadCsv(fixture('text-features.csv'));
    expect(d.featureNames).toEqual(['size', 'color=blue', 'color=green', 'color=red', 'shape=round', 'shape=square']);
    expect(rowsOf(d.x)).toEqual([
      [1, 0, 0, 1, 1, 0],
      [2, 1, 0, 0, 0, 1],
      [1.5, 0, 0, 1, 0, 1],
      [3, 0, 1, 0, 1, 0],
    ]);
    // A numeric-looking column can be read as categories on request.
    expect(parseCsv('zip,y\n75001,a\n10115,b\n75001,a\n', { categorical: ['zip'] }).featureNames).toEqual(['zip=10115', 'zip=75001']);
  });

  it('applies a fitted encoding to new data: same columns, fills and categories; unseen values warned', () => {
    const train = loadCsv(fixture('missing.csv'));
    const warnings: string[] = [];
    const test = parseCsv('bought,city,income,age\nyes,paris,,20\nno,rome,70,NA\n', { encoding: train.encoding, label: 'bought', onWarning: (m) => warnings.push(m) }, 'new.csv');
    expect(test.featureNames).toEqual(train.featureNames);
    expect(rowsOf(test.x)).toEqual([[20, Math.fround(190 / 3), 0, 1], [40, 70, 0, 0]]);
    expect(warnings).toEqual(['parseCsv: new.csv, column "city": "rome" did not occur in the training data; encoded as no category (all zeros)']);
    expectError(() => parseCsv('a,y\n1,p\n', { encoding: train.encoding }), RangeError,
      'parseCsv: expected options.encoding.columns[0].name to be one of the columns "a", "y", received "age"');
    expectError(() => parseCsv('a,y\n1,p\n', { encoding: train.encoding, features: ['a'] }), RangeError,
      'parseCsv: expected options.features to be absent when options.encoding is given (the encoding fixes it), received a value');
  });

  it('overflow: a value beyond float32 is an error naming the row and column', () => {
    expectError(() => loadCsv(fixture('overflow.csv')), RangeError,
      `parseCsv: ${fixture('overflow.csv')} row 2 (line 3), column "x2": 1e39 overflows float32 (largest magnitude 3.4028235e+38)`);
    expectError(() => parseCsv('a,y\n1,-4e38\n', { labelType: 'number' }), RangeError,
      'parseCsv: CSV row 1 (line 2), column "y": -4e38 overflows float32 (largest magnitude 3.4028235e+38)');
    // The largest float32 itself and values that round down to it are fine.
    expect(parseCsv('a,y\n3.4028235e38,p\n1,q\n').x.data[0]).toBe(3.4028234663852886e38);
  });

  it('a header of 60,000 duplicate names is looked up in linear time', () => {
    const n = 60_000;
    const header = Array.from({ length: n }, () => 'dup').join(',') + ',label';
    const row = Array.from({ length: n }, () => '1').join(',') + ',a';
    const text = `${header}\n${row}\n`;
    // Quadratic lookup took ~29 s here; linear is well under a second, so a generous bound still fails it.
    const started = Date.now();
    expect(parseCsv(text, { label: 'label' }).x.shape).toEqual([1, n]);
    expect(() => parseCsv(text, { label: 'label', features: ['dup'] })).toThrow('parseCsv: expected options.features[0] to be a column name that appears once in the header, received "dup" at columns 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … (60000 times)');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('skipLines handles \\r\\n, \\r and a byte-order mark', () => {
    expect(skipLines('\ufeffmeta\r\na,b\r\n', 1)).toEqual({ text: 'a,b\r\n', firstLine: 2 });
    expect(skipLines('x\ry\rz', 2)).toEqual({ text: 'z', firstLine: 3 });
    expect(skipLines('only', 3)).toEqual({ text: '', firstLine: 4 });
  });
});

describe('fastNumber', () => {
  it('gives exactly what Number() gives, or NaN to send the cell down the general path', async () => {
    const { fastNumber, parseNumber } = await import('../../lib/data/csv-encoding');
    const { Random } = await import('../../lib/random');
    const rng = new Random(11);
    const digits = (k: number) => Array.from({ length: k }, () => String(rng.int(10))).join('');
    let fast = 0;
    for (let t = 0; t < 20000; t++) {
      const sign = ['', '-', '+'][rng.int(3)];
      const int = digits(rng.int(12));
      const frac = rng.int(3) === 0 ? '' : '.' + digits(rng.int(12));
      const exp = rng.int(4) === 0 ? `${'eE'[rng.int(2)]}${['', '-', '+'][rng.int(3)]}${rng.int(40)}` : '';
      const text = sign + int + frac + exp;
      const v = fastNumber(text);
      if (Number.isNaN(v)) continue;
      fast++;
      // Accepted only when the strict parser accepts it too, with the same double (sign of zero included).
      expect(Object.is(v, parseNumber(text))).toBe(true);
    }
    expect(fast).toBeGreaterThan(10000);
    for (const text of ['', '.', '-', 'e5', '1e', '0x10', 'Infinity', 'NaN', ' 1', '1 ', '1,5', '1.2.3', '1234567890123456', '1e23']) {
      expect(Number.isNaN(fastNumber(text))).toBe(true);
    }
    expect(Object.is(fastNumber('-0.000'), -0)).toBe(true);
    expect(fastNumber('5.')).toBe(5);
    expect(fastNumber('.5e-3')).toBe(0.0005);
  });

  it('numeric missing-value tokens (a -999 sentinel) still count as missing', () => {
    const d = parseCsv('a,y\n1,p\n-999,q\n3,p\n', { missing: ['-999'] });
    expect(rowsOf(d.x)).toEqual([[1], [2], [3]]);
  });
});

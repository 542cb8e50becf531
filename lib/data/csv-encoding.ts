// How CSV feature columns become numbers, fitted on the training file and saved with the model so
// that prediction applies the same rules: numeric columns pass through, text columns are one-hot
// encoded, and missing cells are filled by a stated rule per column.

import { fail } from '../validate';
import { checkObject } from './check';

/** How a column's missing cells are filled: its mean, its most frequent value, a constant, or not
 *  at all ('error': a missing cell stops the read). */
export type ImputeRule = 'mean' | 'mostFrequent' | 'error' | { constant: number | string };

/** How one column's missing cells were filled: the rule and the value it fitted. */
export type CsvFill =
  | { rule: 'mean' | 'mostFrequent' | 'constant'; value: number | string }
  | { rule: 'error' };

/** One CSV column's encoding: numeric or one-hot text, and its fill. */
export interface CsvColumnEncoding {
  /** The CSV column (header name) this feature group reads. */
  name: string;
  type: 'number' | 'text';
  fill: CsvFill;
  /** Text columns: the categories, one output column each, in this order. */
  categories?: string[];
}

/** A CSV's fitted feature encoding (fills and one-hot categories), saved with the model and applied by predict. */
export interface CsvEncoding {
  kind: 'CsvEncoding';
  /** Cell texts (after trimming) that mean "missing". */
  missing: string[];
  columns: CsvColumnEncoding[];
}

export const DEFAULT_MISSING = ['', 'NA', 'NaN', '?'];

const FLOAT32_MAX = 3.4028234663852886e38;
// Plain decimal notation only: Number() would also accept '', '0x1f' and 'Infinity'.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a trimmed cell holds, or NaN when it is not plain decimal notation. */
export function parseNumber(text: string): number {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : NaN;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * The value of a cell in plain decimal notation with at most 15 significant digits and a decimal
 * exponent within ±22 — nearly every cell of a data file — computed without making a string; NaN
 * for anything else (the caller then takes the general path). Exact: the digits form an integer
 * below 2^53 and 10^k (k ≤ 22) is exact in a double, so one multiplication or division is
 * correctly rounded (Clinger's fast path), the same double Number() gives.
 */
export function fastNumber(text: string, start = 0, end = text.length): number {
  const n = end;
  let i = start;
  let c = i < n ? text.charCodeAt(i) : NaN;
  let negative = false;
  if (c === 45 || c === 43) { negative = c === 45; c = (++i < n ? text.charCodeAt(i) : NaN); }
  let mantissa = 0;
  let digits = 0;
  let significant = 0;
  let exponent = 0;
  while (c >= 48 && c <= 57) {
    if (significant > 0 || c !== 48) { mantissa = mantissa * 10 + (c - 48); significant++; }
    digits++;
    c = (++i < n ? text.charCodeAt(i) : NaN);
  }
  if (c === 46) {
    c = (++i < n ? text.charCodeAt(i) : NaN);
    while (c >= 48 && c <= 57) {
      if (significant > 0 || c !== 48) { mantissa = mantissa * 10 + (c - 48); significant++; }
      digits++;
      exponent--;
      c = (++i < n ? text.charCodeAt(i) : NaN);
    }
  }
  if (digits === 0 || significant > 15) return NaN;
  if (c === 101 || c === 69) {
    c = (++i < n ? text.charCodeAt(i) : NaN);
    let expNegative = false;
    if (c === 45 || c === 43) { expNegative = c === 45; c = (++i < n ? text.charCodeAt(i) : NaN); }
    let e = 0;
    let eDigits = 0;
    while (c >= 48 && c <= 57 && e < 1000) { e = e * 10 + (c - 48); eDigits++; c = (++i < n ? text.charCodeAt(i) : NaN); }
    if (eDigits === 0) return NaN;
    exponent += expNegative ? -e : e;
  }
  if (i !== n) return NaN;
  if (mantissa === 0) return negative ? -0 : 0;
  if (exponent < -22 || exponent > 22) return NaN;
  const v = exponent < 0 ? mantissa / POW10[-exponent] : mantissa * POW10[exponent];
  return negative ? -v : v;
}

/** Whether some missing-value token is itself a number (a sentinel like -999): then a number must
 *  still be checked against the tokens. */
export function hasNumericToken(missing: ReadonlySet<string>): boolean {
  for (const m of missing) if (!Number.isNaN(parseNumber(m))) return true;
  return false;
}

/** Whether v survives the conversion to float32 (1e39 does not: it would become Infinity). */
export function fitsFloat32(v: number): boolean {
  // Math.fround rounds to nearest, so values just above FLOAT32_MAX still round down to it.
  return Number.isFinite(Math.fround(v));
}

/** Output width of a column: 1 for a number, one per category for text. */
export function encodedWidth(c: CsvColumnEncoding): number {
  return c.type === 'text' ? c.categories!.length : 1;
}

/** Names of the encoded feature columns: `age`, `color=red`, `color=blue`. */
export function encodedNames(e: CsvEncoding): string[] {
  return e.columns.flatMap((c) => (c.type === 'text' ? c.categories!.map((k) => `${c.name}=${k}`) : [c.name]));
}

/** One line per column that is one-hot encoded or had missing cells filled (`filled`: counts per
 *  column name), for people to read. */
export function describeEncoding(e: CsvEncoding, filled: Readonly<Record<string, number>> = {}): string[] {
  return e.columns.flatMap((c) => {
    const count = filled[c.name] ?? 0;
    const value = c.fill.rule === 'error' ? '' : typeof c.fill.value === 'number' ? String(Number(c.fill.value.toPrecision(6))) : JSON.stringify(c.fill.value);
    const rule = c.fill.rule === 'constant' ? 'the constant' : c.fill.rule === 'mean' ? 'the mean' : 'the most frequent value';
    const fill = count > 0 && c.fill.rule !== 'error' ? `${count} missing ${count === 1 ? 'cell gets' : 'cells get'} ${rule} ${value}` : '';
    const text = c.type === 'text' ? `one-hot over ${c.categories!.length} ${c.categories!.length === 1 ? 'category' : 'categories'}` : '';
    const parts = [text, fill].filter((p) => p !== '');
    return parts.length === 0 ? [] : [`column ${JSON.stringify(c.name)}: ${parts.join('; ')}`];
  });
}

/** A column's cells (trimmed) with a function that names row r in messages. */
export interface ColumnCells {
  name: string;
  cells: readonly string[];
  where: (r: number) => string;
}

/** Most distinct values a column may have when they are counted (text categories, or numbers for a
 *  most-frequent fill): beyond it the column is more likely an identifier than a feature. */
export const MAX_DISTINCT = 100_000;

/**
 * What one pass over a column's cells learns: how many are present, whether they are numbers (and
 * their running mean and squared deviations, for the mean fill and the scaler), and the counts of
 * text values (categories). Rows are given by index so errors can name them later.
 */
export class ColumnStats {
  present = 0;
  missingCount = 0;
  numbers = 0;
  private mean = 0;
  private m2 = 0;
  firstText = -1;
  firstTextCell = '';
  firstMissing = -1;
  firstMissingCell = '';
  overflowRow = -1;
  overflowCell = '';
  readonly counts = new Map<string, number>();

  private numericMissing = false;
  private missingSet: ReadonlySet<string> | undefined;

  /** countNumbers: also count numeric values (a most-frequent fill on a numeric column needs them). */
  constructor(readonly name: string, private readonly categorical: boolean, private readonly countNumbers: boolean) {}

  /** Must be called with the missing tokens before add() when one of them may be numeric. */
  withMissing(missing: ReadonlySet<string>): this {
    if (this.missingSet !== missing) { this.missingSet = missing; this.numericMissing = hasNumericToken(missing); }
    return this;
  }

  add(cell: string, row: number, missing: ReadonlySet<string>): void {
    if (!this.categorical && !this.countNumbers && !this.numericMissing) {
      const v = fastNumber(cell);
      if (!Number.isNaN(v)) { this.addNumber(v, cell, row); return; }
    }
    if (missing.has(cell)) {
      if (this.firstMissing < 0) { this.firstMissing = row; this.firstMissingCell = cell; }
      this.missingCount++;
      return;
    }
    if (!this.categorical) {
      const v = parseNumber(cell);
      if (!Number.isNaN(v)) {
        this.addNumber(v, cell, row);
        return;
      }
      if (this.firstText < 0) { this.firstText = row; this.firstTextCell = cell; }
    }
    this.present++;
    this.count(cell);
  }

  private addNumber(v: number, cell: string, row: number): void {
    if (!fitsFloat32(v)) {
      this.present++;
      if (this.overflowRow < 0) { this.overflowRow = row; this.overflowCell = cell; }
      return;
    }
    this.addPlain(v);
    if (this.countNumbers) this.count(cell.trim());
  }

  /** Whether addPlain may take this column's numbers (no string needed for them). */
  get acceptsPlain(): boolean {
    return !this.categorical && !this.countNumbers && !this.numericMissing;
  }

  /** A present number that fits float32, already parsed (see acceptsPlain). */
  addPlain(v: number): void {
    this.present++;
    this.numbers++;
    const delta = v - this.mean;
    this.mean += delta / this.numbers;
    this.m2 += delta * (v - this.mean);
  }

  private count(cell: string): void {
    const c = this.counts.get(cell);
    if (c !== undefined) { this.counts.set(cell, c + 1); return; }
    if (this.counts.size >= MAX_DISTINCT) {
      throw new RangeError(`column ${JSON.stringify(this.name)} has more than ${MAX_DISTINCT} distinct values; leave it out of the features (an identifier?)`);
    }
    this.counts.set(cell, 1);
  }

  get rows(): number {
    return this.present + this.missingCount;
  }

  /**
   * The column's encoding: text when categorical or none of the present cells is a number (a
   * column mixing numbers and words is an error naming the first word, usually a typo); the fill
   * value by `rule` (default: mean for numbers, most frequent for text).
   */
  encoding(fn: string, where: (r: number) => string, rule: ImputeRule | undefined, order: (names: Iterable<string>) => string[]): CsvColumnEncoding {
    const { name } = this;
    if (this.overflowRow >= 0) throw new RangeError(`${fn}: ${where(this.overflowRow)}, column ${JSON.stringify(name)}: ${this.overflowCell} overflows float32 (largest magnitude ${FLOAT32_MAX.toPrecision(8)})`);
    const type = this.categorical || (this.present > 0 && this.numbers === 0) ? 'text' : 'number';
    if (type === 'number' && this.firstText >= 0) {
      throw new RangeError(`${fn}: ${where(this.firstText)}, column ${JSON.stringify(name)}: expected a number, received ${JSON.stringify(this.firstTextCell)}` +
        ` (the column's other cells are numbers; list it in categorical to read it as text)`);
    }
    const chosen: ImputeRule = rule ?? (type === 'number' ? 'mean' : 'mostFrequent');
    let fill: CsvFill;
    if (chosen === 'error') {
      fill = { rule: 'error' };
    } else if (typeof chosen === 'object') {
      const value = chosen.constant;
      if (type === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) fail(fn, `the constant fill of numeric column ${JSON.stringify(name)}`, 'a finite number', value, typeof value === 'number' ? 'range' : 'type');
      if (type === 'text' && typeof value !== 'string') fail(fn, `the constant fill of text column ${JSON.stringify(name)}`, 'a string', value, 'type');
      fill = { rule: 'constant', value };
    } else if (this.present === 0) {
      throw new RangeError(`${fn}: column ${JSON.stringify(name)} has no values, so its missing cells cannot be filled with the ${chosen === 'mean' ? 'mean' : 'most frequent value'}; give it a constant fill`);
    } else if (chosen === 'mean') {
      if (type === 'text') fail(fn, `the fill rule of text column ${JSON.stringify(name)}`, "'mostFrequent' or a constant", "'mean'");
      fill = { rule: 'mean', value: Math.fround(this.mean) };
    } else {
      let best: string | undefined;
      // Ties go to the first value in sorted order, so the choice does not depend on row order.
      for (const v of order(this.counts.keys())) if (best === undefined || this.counts.get(v)! > this.counts.get(best)!) best = v;
      fill = { rule: 'mostFrequent', value: type === 'number' ? parseNumber(best!) : best! };
    }
    if (fill.rule === 'error' && this.firstMissing >= 0) {
      throw new RangeError(`${fn}: ${where(this.firstMissing)}, column ${JSON.stringify(name)}: the value is missing (${JSON.stringify(this.firstMissingCell)}) and the column's fill rule is 'error'`);
    }
    if (type === 'number') return { name, type, fill };
    const seen = new Set(this.counts.keys());
    if (fill.rule === 'constant' || fill.rule === 'mostFrequent') seen.add(fill.value as string);
    return { name, type, fill, categories: order(seen) };
  }

  /** Mean and population variance of each encoded output column (what a StandardScaler fitted on
   *  the encoded rows would find), from the pass's statistics and the fill. */
  encodedMoments(enc: CsvColumnEncoding): { mean: number[]; variance: number[] } {
    const n = this.rows;
    if (enc.type === 'number') {
      const fill = enc.fill.rule === 'error' ? 0 : (enc.fill.value as number);
      const missing = this.missingCount;
      const mean = (this.numbers * this.mean + missing * fill) / n;
      // Squared deviations about the overall mean: the present values' own, their mean's offset,
      // and the filled cells'.
      const ss = this.m2 + this.numbers * (this.mean - mean) ** 2 + missing * (fill - mean) ** 2;
      return { mean: [mean], variance: [ss / n] };
    }
    const mean: number[] = [];
    const variance: number[] = [];
    for (const k of enc.categories!) {
      let count = this.counts.get(k) ?? 0;
      if (enc.fill.rule !== 'error' && enc.fill.value === k) count += this.missingCount;
      const p = count / n;
      mean.push(p);
      variance.push(p * (1 - p));
    }
    return { mean, variance };
  }
}

/** Fits one column from all its cells (see ColumnStats.encoding). */
export function fitColumn(fn: string, col: ColumnCells, missing: ReadonlySet<string>, rule: ImputeRule | undefined,
  categorical: boolean, order: (names: Iterable<string>) => string[]): CsvColumnEncoding {
  const stats = new ColumnStats(col.name, categorical, rule === 'mostFrequent').withMissing(missing);
  try {
    for (let r = 0; r < col.cells.length; r++) stats.add(col.cells[r], r, missing);
  } catch (err) {
    if (err instanceof RangeError) throw new RangeError(`${fn}: ${err.message}`);
    throw err;
  }
  return stats.encoding(fn, col.where, rule, order);
}

/**
 * Writes one cell of a fitted column into x at `at` (one slot for a number, one per category for
 * text; the caller zeroes the category slots). Returns false when a text cell is a category the
 * fit never saw (its slots stay zero).
 */
export function encodeCell(fn: string, enc: CsvColumnEncoding, cell: string, missing: ReadonlySet<string>, x: Float32Array, at: number,
  index: Map<string, number> | undefined, where: () => string, numericMissing = true): boolean {
  if (index === undefined && !numericMissing) {
    const v = fastNumber(cell);
    if (!Number.isNaN(v) && fitsFloat32(v)) { x[at] = v; return true; }
  }
  if (missing.has(cell)) {
    if (enc.fill.rule === 'error') throw new RangeError(`${fn}: ${where()}, column ${JSON.stringify(enc.name)}: the value is missing (${JSON.stringify(cell)}) and the column's fill rule is 'error'`);
    if (enc.type === 'number') { x[at] = enc.fill.value as number; return true; }
    cell = enc.fill.value as string;
  }
  if (index !== undefined) {
    const k = index.get(cell);
    if (k === undefined) return false;
    x[at + k] = 1;
    return true;
  }
  const v = parseNumber(cell);
  if (Number.isNaN(v)) throw new RangeError(`${fn}: ${where()}, column ${JSON.stringify(enc.name)}: expected a number, received ${JSON.stringify(cell)}`);
  if (!fitsFloat32(v)) throw new RangeError(`${fn}: ${where()}, column ${JSON.stringify(enc.name)}: ${cell} overflows float32 (largest magnitude ${FLOAT32_MAX.toPrecision(8)})`);
  x[at] = v;
  return true;
}

/** A text column's category → slot map (undefined for numbers). */
export function categoryIndex(enc: CsvColumnEncoding): Map<string, number> | undefined {
  return enc.type === 'text' ? new Map(enc.categories!.map((k, i) => [k, i])) : undefined;
}

/**
 * Writes a fitted column into rows of x (stride `width`, starting at column `offset`). Returns the
 * distinct unseen categories of a text column (those rows get all zeros).
 */
export function writeColumn(fn: string, enc: CsvColumnEncoding, col: ColumnCells, missing: ReadonlySet<string>,
  x: Float32Array, width: number, offset: number): string[] {
  const unseen = new Set<string>();
  const index = categoryIndex(enc);
  const numericMissing = hasNumericToken(missing);
  for (let r = 0; r < col.cells.length; r++) {
    if (!encodeCell(fn, enc, col.cells[r], missing, x, r * width + offset, index, () => col.where(r), numericMissing)) unseen.add(col.cells[r]);
  }
  return [...unseen];
}

/** Checks an encoding read back from a model file. */
export function checkCsvEncoding(fn: string, arg: string, value: unknown): CsvEncoding {
  const o = checkObject(fn, arg, value);
  if (o.kind !== 'CsvEncoding') fail(fn, `${arg}.kind`, "'CsvEncoding'", o.kind);
  if (!Array.isArray(o.missing) || o.missing.some((m) => typeof m !== 'string')) fail(fn, `${arg}.missing`, 'an array of strings', o.missing, 'type');
  if (!Array.isArray(o.columns) || o.columns.length === 0) fail(fn, `${arg}.columns`, 'a non-empty array', o.columns, 'type');
  o.columns.forEach((c: unknown, i: number) => {
    const at = `${arg}.columns[${i}]`;
    const col = checkObject(fn, at, c);
    if (typeof col.name !== 'string') fail(fn, `${at}.name`, 'a string', col.name, 'type');
    if (col.type !== 'number' && col.type !== 'text') fail(fn, `${at}.type`, "'number' or 'text'", col.type);
    const f = checkObject(fn, `${at}.fill`, col.fill);
    const rules = ['mean', 'mostFrequent', 'constant', 'error'];
    if (!rules.includes(f.rule as string)) fail(fn, `${at}.fill.rule`, `one of ${rules.join(', ')}`, f.rule);
    const valueType = col.type === 'number' ? 'number' : 'string';
    if (f.rule !== 'error' && (typeof f.value !== valueType || (valueType === 'number' && !Number.isFinite(f.value)))) fail(fn, `${at}.fill.value`, `a ${valueType === 'number' ? 'finite number' : 'string'}`, f.value, 'type');
    if (col.type === 'text') {
      const k = col.categories;
      if (!Array.isArray(k) || k.length === 0 || k.some((s) => typeof s !== 'string')) fail(fn, `${at}.categories`, 'a non-empty array of strings', k, 'type');
    }
  });
  return o as unknown as CsvEncoding;
}

// How CSV feature columns become numbers, fitted on the training file and saved with the model so
// that prediction applies the same rules: numeric columns pass through, text columns are one-hot
// encoded, and missing cells are filled by a stated rule per column.

import { fail } from '../validate';
import { checkObject } from './check';

/** How a column's missing cells are filled: its mean, its most frequent value, a constant, or not
 *  at all ('error': a missing cell stops the read). */
export type ImputeRule = 'mean' | 'mostFrequent' | 'error' | { constant: number | string };

export type CsvFill =
  | { rule: 'mean' | 'mostFrequent' | 'constant'; value: number | string }
  | { rule: 'error' };

export interface CsvColumnEncoding {
  /** The CSV column (header name) this feature group reads. */
  name: string;
  type: 'number' | 'text';
  fill: CsvFill;
  /** Text columns: the categories, one output column each, in this order. */
  categories?: string[];
}

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

/** One line per column that fills missing cells or is one-hot encoded, for people to read. */
export function describeEncoding(e: CsvEncoding): string[] {
  return e.columns.flatMap((c) => {
    const fill = c.fill.rule === 'error' ? '' : `missing cells get ${c.fill.rule === 'constant' ? 'the constant' : `the ${c.fill.rule === 'mean' ? 'mean' : 'most frequent value'}`} ${JSON.stringify(c.fill.value)}`;
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

function mostFrequent(values: Iterable<string>, order: (names: Iterable<string>) => string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  // Ties go to the first value in the column's sorted order, so the choice does not depend on row order.
  for (const v of order(counts.keys())) if (best === undefined || counts.get(v)! > counts.get(best)!) best = v;
  return best;
}

/**
 * Fits one column: text when it is listed as categorical or none of its present cells is a number
 * (a column mixing numbers and words is an error naming the first word, usually a typo); the fill
 * value from the present cells by `rule` (default: mean for numbers, most frequent for text).
 */
export function fitColumn(fn: string, col: ColumnCells, missing: ReadonlySet<string>, rule: ImputeRule | undefined,
  categorical: boolean, order: (names: Iterable<string>) => string[]): CsvColumnEncoding {
  const { name, cells, where } = col;
  let numbers = 0;
  let present = 0;
  let firstText = -1;
  let sum = 0;
  for (let r = 0; r < cells.length; r++) {
    const cell = cells[r];
    if (missing.has(cell)) continue;
    present++;
    if (categorical) continue;
    const v = parseNumber(cell);
    if (Number.isNaN(v)) { if (firstText < 0) firstText = r; continue; }
    if (!fitsFloat32(v)) throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(name)}: ${cell} overflows float32 (largest magnitude ${FLOAT32_MAX.toPrecision(8)})`);
    numbers++;
    sum += v;
  }
  const type = categorical || (present > 0 && numbers === 0) ? 'text' : 'number';
  if (type === 'number' && firstText >= 0) {
    throw new RangeError(`${fn}: ${where(firstText)}, column ${JSON.stringify(name)}: expected a number, received ${JSON.stringify(cells[firstText])}` +
      ` (the column's other cells are numbers; list it in categorical to read it as text)`);
  }
  const hasMissing = present < cells.length;
  const chosen: ImputeRule = rule ?? (type === 'number' ? 'mean' : 'mostFrequent');
  let fill: CsvFill;
  if (chosen === 'error') {
    fill = { rule: 'error' };
  } else if (typeof chosen === 'object') {
    const value = chosen.constant;
    if (type === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) fail(fn, `the constant fill of numeric column ${JSON.stringify(name)}`, 'a finite number', value, typeof value === 'number' ? 'range' : 'type');
    if (type === 'text' && typeof value !== 'string') fail(fn, `the constant fill of text column ${JSON.stringify(name)}`, 'a string', value, 'type');
    fill = { rule: 'constant', value };
  } else if (present === 0) {
    throw new RangeError(`${fn}: column ${JSON.stringify(name)} has no values, so its missing cells cannot be filled with the ${chosen === 'mean' ? 'mean' : 'most frequent value'}; give it a constant fill`);
  } else if (chosen === 'mean') {
    if (type === 'text') fail(fn, `the fill rule of text column ${JSON.stringify(name)}`, "'mostFrequent' or a constant", "'mean'");
    fill = { rule: 'mean', value: Math.fround(sum / numbers) };
  } else {
    const present = (function* () { for (const c of cells) if (!missing.has(c)) yield c; })();
    const best = mostFrequent(present, order)!;
    fill = { rule: 'mostFrequent', value: type === 'number' ? parseNumber(best) : best };
  }
  if (fill.rule === 'error' && hasMissing) {
    const r = cells.findIndex((c) => missing.has(c));
    throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(name)}: the value is missing (${JSON.stringify(cells[r])}) and the column's fill rule is 'error'`);
  }
  if (type === 'number') return { name, type, fill };
  const seen = new Set<string>();
  for (const c of cells) if (!missing.has(c)) seen.add(c);
  if (fill.rule === 'constant' || fill.rule === 'mostFrequent') seen.add(fill.value as string);
  return { name, type, fill, categories: order(seen) };
}

/**
 * Writes a fitted column into rows of x (stride `width`, starting at column `offset`). Returns the
 * distinct unseen categories of a text column (those rows get all zeros).
 */
export function writeColumn(fn: string, enc: CsvColumnEncoding, col: ColumnCells, missing: ReadonlySet<string>,
  x: Float32Array, width: number, offset: number): string[] {
  const { cells, where } = col;
  const unseen = new Set<string>();
  const index = enc.type === 'text' ? new Map(enc.categories!.map((k, i) => [k, i])) : undefined;
  for (let r = 0; r < cells.length; r++) {
    let cell = cells[r];
    if (missing.has(cell)) {
      if (enc.fill.rule === 'error') throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(enc.name)}: the value is missing (${JSON.stringify(cell)}) and the column's fill rule is 'error'`);
      if (enc.type === 'number') { x[r * width + offset] = enc.fill.value as number; continue; }
      cell = enc.fill.value as string;
    }
    if (index !== undefined) {
      const k = index.get(cell);
      if (k === undefined) unseen.add(cell);
      else x[r * width + offset + k] = 1;
      continue;
    }
    const v = parseNumber(cell);
    if (Number.isNaN(v)) throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(enc.name)}: expected a number, received ${JSON.stringify(cell)}`);
    if (!fitsFloat32(v)) throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(enc.name)}: ${cell} overflows float32 (largest magnitude ${FLOAT32_MAX.toPrecision(8)})`);
    x[r * width + offset] = v;
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

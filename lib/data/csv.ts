// Tabular data from CSV: a header row names the columns, one column is the label, the others are
// numeric features.

import { readFileSync } from 'node:fs';
import { allocFloat32 } from '../alloc';
import { Tensor } from '../tensor';
import { checkOneOf, fail } from '../validate';
import { csvRecords } from './csv-records';

/** How to read a CSV file: which column is the label and how labels are read. */
export interface CsvOptions {
  /** The label column, by header name or 0-based index. Default: the last column. null reads
   *  features only (data to predict on): y is then empty and labelName ''. */
  label?: string | number | null;
  /** 'class' (default) encodes the label as integer class indices; 'number' keeps it numeric
   *  (regression). */
  labelType?: 'class' | 'number';
  /** Fixes the class encoding (class i is classNames[i]), e.g. to load a test file with the
   *  training file's classes; a label outside the list is an error. */
  classNames?: readonly string[];
  /** Feature columns by name or index, in this order. Default: every column but the label. */
  features?: readonly (string | number)[];
  /** A single character. Default ','. */
  delimiter?: string;
}

/** A CSV file read as features and labels. */
export interface CsvDataset {
  /** [n, features] */
  x: Tensor;
  /** `[n]`: class indices as floats, or the numeric label for labelType 'number'. */
  y: Tensor;
  featureNames: string[];
  labelName: string;
  /** For labelType 'class': classNames[i] is the label text of class i. */
  classNames?: string[];
}

// Plain decimal notation only: Number() would also accept '', '0x1f' and 'Infinity'.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseNumber(text: string): number {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : NaN;
}

/**
 * Class order: numeric order when every class name is a number ('2' before '10'), otherwise
 * code-unit order of the names. Sorting, rather than first-seen order, gives the same encoding for
 * a training file and a test file whatever their row order.
 */
export function sortClassNames(names: Iterable<string>): string[] {
  const list = [...new Set(names)];
  const numbers = list.map(parseNumber);
  if (numbers.every((v) => !Number.isNaN(v))) return list.map((name, i) => ({ name, v: numbers[i] })).sort((a, b) => a.v - b.v).map((e) => e.name);
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function columnIndex(fn: string, arg: string, header: string[], ref: unknown): number {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0 || ref >= header.length) fail(fn, arg, `a column index in [0, ${header.length - 1}]`, String(ref));
    return ref;
  }
  if (typeof ref !== 'string') fail(fn, arg, 'a column name or index', ref, 'type');
  const hits = header.flatMap((name, i) => (name === ref ? [i] : []));
  if (hits.length === 0) fail(fn, arg, `one of the columns ${header.map((h) => JSON.stringify(h)).join(', ')}`, JSON.stringify(ref));
  if (hits.length > 1) fail(fn, arg, 'a column name that appears once in the header', `${JSON.stringify(ref)} at columns ${hits.join(', ')}`);
  return hits[0];
}

function checkCsvOptions(fn: string, options: unknown): CsvOptions {
  if (typeof options !== 'object' || options === null) fail(fn, 'options', 'an object', options, 'type');
  const o = options as CsvOptions;
  if (o.labelType !== undefined) checkOneOf(fn, 'options.labelType', o.labelType, ['class', 'number'] as const);
  if (o.delimiter !== undefined && (typeof o.delimiter !== 'string' || o.delimiter.length !== 1 || o.delimiter === '"' || o.delimiter === '\n' || o.delimiter === '\r')) {
    const isString = typeof o.delimiter === 'string';
    fail(fn, 'options.delimiter', 'a single character other than a quote or newline', isString ? JSON.stringify(o.delimiter) : o.delimiter, isString ? 'range' : 'type');
  }
  if (o.classNames !== undefined) {
    if (!Array.isArray(o.classNames) || o.classNames.some((c) => typeof c !== 'string')) fail(fn, 'options.classNames', 'an array of strings', o.classNames, 'type');
    if (o.classNames.length === 0 || new Set(o.classNames).size !== o.classNames.length) fail(fn, 'options.classNames', 'a non-empty list of distinct names', `[${o.classNames.join(', ')}]`);
    if (o.labelType === 'number') fail(fn, 'options.classNames', "absent when labelType is 'number'", 'a list');
  }
  if (o.features !== undefined && !Array.isArray(o.features)) fail(fn, 'options.features', 'an array of column names or indices', o.features, 'type');
  return o;
}

/** Parses CSV text; `source` names it in error messages (a file name). */
export function parseCsv(text: string, options: CsvOptions = {}, source = 'CSV'): CsvDataset {
  const fn = 'parseCsv';
  if (typeof text !== 'string') fail(fn, 'text', 'a string', text, 'type');
  if (typeof source !== 'string') fail(fn, 'source', 'a string', source, 'type');
  const o = checkCsvOptions(fn, options);
  const records = csvRecords(text, o.delimiter ?? ',', source);
  if (records.length === 0) throw new RangeError(`${fn}: ${source} is empty, expected a header row`);
  const header = records[0].fields.map((h) => h.trim());
  if (o.label !== null && header.length < 2) throw new RangeError(`${fn}: ${source} has ${header.length} column, expected a label and at least one feature`);
  const labelCol = o.label === null ? -1 : o.label === undefined ? header.length - 1 : columnIndex(fn, 'options.label', header, o.label);
  const featureCols = o.features === undefined
    ? header.map((_, i) => i).filter((i) => i !== labelCol)
    : o.features.map((ref, k) => columnIndex(fn, `options.features[${k}]`, header, ref));
  if (featureCols.length === 0) fail(fn, 'options.features', 'at least one column', 'none');
  if (featureCols.includes(labelCol)) fail(fn, 'options.features', `columns other than the label ${JSON.stringify(header[labelCol])}`, 'a list that includes it');

  const rows = records.length - 1;
  const d = featureCols.length;
  const x = allocFloat32(rows * d);
  const y = allocFloat32(labelCol < 0 ? 0 : rows);
  const labelTexts: string[] = [];
  const where = (r: number) => `${source} row ${r + 1} (line ${records[r + 1].line})`;
  for (let r = 0; r < rows; r++) {
    const { fields } = records[r + 1];
    if (fields.length !== header.length) throw new RangeError(`${fn}: ${where(r)} has ${fields.length} fields, the header has ${header.length}`);
    for (let j = 0; j < d; j++) {
      const v = parseNumber(fields[featureCols[j]]);
      if (Number.isNaN(v)) throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(header[featureCols[j]])}: expected a number, received ${JSON.stringify(fields[featureCols[j]])}`);
      x[r * d + j] = v;
    }
    if (labelCol < 0) continue;
    const label = fields[labelCol].trim();
    if (label === '') throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(header[labelCol])}: the label is missing`);
    labelTexts.push(label);
  }

  const labelName = labelCol < 0 ? '' : header[labelCol];
  const result: CsvDataset = { x: new Tensor(x, [rows, d]), y: new Tensor(y, [y.length]), featureNames: featureCols.map((c) => header[c]), labelName };
  if (labelCol < 0) return result;
  if (o.labelType === 'number') {
    labelTexts.forEach((t, r) => {
      const v = parseNumber(t);
      if (Number.isNaN(v)) throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(labelName)}: expected a number, received ${JSON.stringify(t)}`);
      y[r] = v;
    });
    return result;
  }
  const classNames = o.classNames !== undefined ? [...o.classNames] : sortClassNames(labelTexts);
  const index = new Map(classNames.map((name, i) => [name, i]));
  labelTexts.forEach((t, r) => {
    const k = index.get(t);
    if (k === undefined) {
      const known = classNames.map((c) => JSON.stringify(c)).join(', ');
      throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(labelName)}: expected one of the classes ${known}, received ${JSON.stringify(t)}`);
    }
    y[r] = k;
  });
  result.classNames = classNames;
  return result;
}

/** The column names of a CSV file's header row (read from its first line, so a header name may
 *  not contain a quoted newline). */
export function csvHeader(path: string): string[] {
  const firstLine = readCsvText('csvHeader', path).split(/\r?\n/, 1)[0];
  return csvRecords(firstLine, ',', path)[0]?.fields.map((h) => h.trim()) ?? [];
}

function readCsvText(fn: string, path: string): string {
  if (typeof path !== 'string' || path.length === 0) fail(fn, 'path', 'a non-empty string', path, 'type');
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${fn}: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { cause: err });
  }
}

/** Reads a CSV file (UTF-8) with parseCsv. */
export function loadCsv(path: string, options: CsvOptions = {}): CsvDataset {
  return parseCsv(readCsvText('loadCsv', path), options, path);
}

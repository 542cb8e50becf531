// Tabular data from CSV: optionally a header row naming the columns, one column is the label, the
// others are features — numbers, or text that is one-hot encoded — with missing cells filled by a
// stated rule per column. The fitted encoding is returned so a saved model can apply it again.

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { allocFloat32 } from '../alloc';
import { Tensor } from '../tensor';
import { checkInt, checkOneOf, fail } from '../validate';
import { detectDelimiter, lastRecordEnd, skipLines } from './csv-dialect';
import {
  checkCsvEncoding, DEFAULT_MISSING, encodedNames, encodedWidth, fitColumn, fitsFloat32, parseNumber, writeColumn,
  type ColumnCells, type CsvColumnEncoding, type CsvEncoding, type ImputeRule,
} from './csv-encoding';
import { csvRecords, type CsvRecord } from './csv-records';

/** How to read a CSV file: which column is the label and how labels are read. */
export interface CsvOptions {
  /** The label column, by header name or 0-based index. Default: the last column. null reads
   *  features only (data to predict on): y is then empty and labelName ''. */
  label?: string | number | null;
  /** 'class' (default) encodes the label as integer class indices; 'number' keeps it numeric
   *  (regression). */
  labelType?: 'class' | 'number';
  /** Fixes the class encoding (class i is classNames[i]), e.g. to load a test file with the
   *  training file's classes; a label outside the list is an error (see unknownLabels). */
  classNames?: readonly string[];
  /** With classNames: 'error' (default) stops at a label outside the list; 'mark' gives such rows
   *  the class -1 and lists the values in the result's unknownLabels. */
  unknownLabels?: 'error' | 'mark';
  /** Feature columns by name or index, in this order. Default: every column but the label. */
  features?: readonly (string | number)[];
  /** A single character, or 'auto' (default): the one of `, ; \t |` that splits the first lines
   *  into equally many fields. */
  delimiter?: string;
  /** Whether the first row names the columns. 'auto' (default): it does unless it is numeric like
   *  the rows below it (then it is read as data, the columns are named c0, c1, …, and a warning
   *  says so). */
  header?: boolean | 'auto';
  /** Lines to skip before the header (a title or metadata line). Default 0. */
  skipRows?: number;
  /** Cell texts (after trimming) that mean "missing". Default ['', 'NA', 'NaN', '?']. */
  missing?: readonly string[];
  /** How missing feature cells are filled. Default 'mean' for numeric columns, 'mostFrequent' for
   *  text columns. */
  impute?: ImputeRule;
  /** A fill rule per column name, overriding `impute`. */
  imputeColumns?: Readonly<Record<string, ImputeRule>>;
  /** Columns (by name or index) read as text and one-hot encoded even if their values are numbers. */
  categorical?: readonly (string | number)[];
  /** A fitted encoding (from a training file's result) to apply instead of fitting one: the same
   *  feature columns, fill values and categories. */
  encoding?: CsvEncoding;
  /** Receives warnings (a header guessed away, unseen categories). Default: process.emitWarning. */
  onWarning?: (message: string) => void;
}

/** A CSV file read as features and labels. */
export interface CsvDataset {
  /** [n, features] */
  x: Tensor;
  /** `[n]`: class indices as floats, or the numeric label for labelType 'number'. */
  y: Tensor;
  /** Names of x's columns: a numeric column's name, or `name=category` for one-hot columns. */
  featureNames: string[];
  labelName: string;
  /** For labelType 'class': classNames[i] is the label text of class i. */
  classNames?: string[];
  /** How the feature columns were encoded (pass it as options.encoding to read more data alike). */
  encoding: CsvEncoding;
  /** Missing feature cells filled, per column name (columns without any are left out). */
  filled: Record<string, number>;
  /** With unknownLabels 'mark': label values outside classNames (those rows have class -1). */
  unknownLabels?: string[];
  /** The delimiter used and whether a header row was read. */
  delimiter: string;
  header: boolean;
  warnings: string[];
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

/** Finds columns by name in one pass over the header (a header of many duplicates stays linear). */
export class ColumnLookup {
  private readonly byName = new Map<string, number[]>();

  constructor(readonly header: readonly string[]) {
    header.forEach((name, i) => {
      const hits = this.byName.get(name);
      if (hits === undefined) this.byName.set(name, [i]);
      else hits.push(i);
    });
  }

  index(fn: string, arg: string, ref: unknown): number {
    const { header } = this;
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0 || ref >= header.length) fail(fn, arg, `a column index in [0, ${header.length - 1}]`, String(ref));
      return ref;
    }
    if (typeof ref !== 'string') fail(fn, arg, 'a column name or index', ref, 'type');
    const hits = this.byName.get(ref);
    if (hits === undefined) {
      const shown = header.slice(0, 20).map((h) => JSON.stringify(h)).join(', ') + (header.length > 20 ? `, … (${header.length} columns)` : '');
      fail(fn, arg, `one of the columns ${shown}`, JSON.stringify(ref));
    }
    if (hits.length > 1) {
      const at = hits.slice(0, 10).join(', ') + (hits.length > 10 ? `, … (${hits.length} times)` : '');
      fail(fn, arg, 'a column name that appears once in the header', `${JSON.stringify(ref)} at columns ${at}`);
    }
    return hits[0];
  }
}

function checkRule(fn: string, arg: string, rule: unknown): ImputeRule {
  if (rule === 'mean' || rule === 'mostFrequent' || rule === 'error') return rule;
  if (typeof rule === 'object' && rule !== null && 'constant' in rule) {
    const v = (rule as { constant: unknown }).constant;
    if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string') return { constant: v };
  }
  return fail(fn, arg, "'mean', 'mostFrequent', 'error' or { constant: number | string }", typeof rule === 'string' ? JSON.stringify(rule) : rule, typeof rule === 'string' ? 'range' : 'type');
}

export function checkCsvOptions(fn: string, options: unknown): CsvOptions {
  if (typeof options !== 'object' || options === null) fail(fn, 'options', 'an object', options, 'type');
  const o = options as CsvOptions;
  if (o.labelType !== undefined) checkOneOf(fn, 'options.labelType', o.labelType, ['class', 'number'] as const);
  if (o.unknownLabels !== undefined) checkOneOf(fn, 'options.unknownLabels', o.unknownLabels, ['error', 'mark'] as const);
  if (o.delimiter !== undefined && o.delimiter !== 'auto' && (typeof o.delimiter !== 'string' || o.delimiter.length !== 1 || o.delimiter === '"' || o.delimiter === '\n' || o.delimiter === '\r')) {
    const isString = typeof o.delimiter === 'string';
    fail(fn, 'options.delimiter', "a single character other than a quote or newline, or 'auto'", isString ? JSON.stringify(o.delimiter) : o.delimiter, isString ? 'range' : 'type');
  }
  if (o.header !== undefined && o.header !== true && o.header !== false && o.header !== 'auto') {
    fail(fn, 'options.header', "true, false or 'auto'", typeof o.header === 'string' ? JSON.stringify(o.header) : o.header, typeof o.header === 'string' ? 'range' : 'type');
  }
  if (o.skipRows !== undefined) checkInt(fn, 'options.skipRows', o.skipRows, 0);
  if (o.missing !== undefined && (!Array.isArray(o.missing) || o.missing.some((m) => typeof m !== 'string'))) fail(fn, 'options.missing', 'an array of strings', o.missing, 'type');
  if (o.impute !== undefined) checkRule(fn, 'options.impute', o.impute);
  if (o.imputeColumns !== undefined) {
    if (typeof o.imputeColumns !== 'object' || o.imputeColumns === null || Array.isArray(o.imputeColumns)) fail(fn, 'options.imputeColumns', 'an object of column name → rule', o.imputeColumns, 'type');
    for (const [name, rule] of Object.entries(o.imputeColumns)) checkRule(fn, `options.imputeColumns[${JSON.stringify(name)}]`, rule);
  }
  if (o.categorical !== undefined && !Array.isArray(o.categorical)) fail(fn, 'options.categorical', 'an array of column names or indices', o.categorical, 'type');
  if (o.classNames !== undefined) {
    if (!Array.isArray(o.classNames) || o.classNames.some((c) => typeof c !== 'string')) fail(fn, 'options.classNames', 'an array of strings', o.classNames, 'type');
    if (o.classNames.length === 0 || new Set(o.classNames).size !== o.classNames.length) fail(fn, 'options.classNames', 'a non-empty list of distinct names', `[${o.classNames.join(', ')}]`);
    if (o.labelType === 'number') fail(fn, 'options.classNames', "absent when labelType is 'number'", 'a list');
  }
  if (o.features !== undefined && !Array.isArray(o.features)) fail(fn, 'options.features', 'an array of column names or indices', o.features, 'type');
  if (o.encoding !== undefined) {
    checkCsvEncoding(fn, 'options.encoding', o.encoding);
    for (const key of ['features', 'impute', 'imputeColumns', 'categorical', 'missing'] as const) {
      if (o[key] !== undefined) fail(fn, `options.${key}`, 'absent when options.encoding is given (the encoding fixes it)', 'a value');
    }
  }
  if (o.onWarning !== undefined && typeof o.onWarning !== 'function') fail(fn, 'options.onWarning', 'a function', o.onWarning, 'type');
  return o;
}

/** 'auto': the first row is data when, in every column whose other cells are numbers, it holds a
 *  number too (a header would hold a name there). Looks at up to 100 rows below it. */
export function firstRowIsData(records: readonly CsvRecord[], missing: ReadonlySet<string>): boolean {
  const first = records[0].fields;
  let numericColumns = 0;
  for (let j = 0; j < first.length; j++) {
    let numbers = 0;
    let words = 0;
    for (let r = 1; r < Math.min(records.length, 101); r++) {
      const cell = records[r].fields[j]?.trim();
      if (cell === undefined || missing.has(cell)) continue;
      if (Number.isNaN(parseNumber(cell))) words++;
      else numbers++;
    }
    const numericBelow = records.length === 1 ? true : numbers > 0 && words === 0;
    if (!numericBelow) continue;
    numericColumns++;
    if (Number.isNaN(parseNumber(first[j]))) return false;
  }
  return numericColumns > 0;
}

/** Parses CSV text; `source` names it in error messages (a file name). */
export function parseCsv(text: string, options: CsvOptions = {}, source = 'CSV'): CsvDataset {
  const fn = 'parseCsv';
  if (typeof text !== 'string') fail(fn, 'text', 'a string', text, 'type');
  if (typeof source !== 'string') fail(fn, 'source', 'a string', source, 'type');
  const o = checkCsvOptions(fn, options);
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    if (o.onWarning) o.onWarning(message);
    else process.emitWarning(message, 'CsvWarning');
  };
  const skipped = skipLines(text, o.skipRows ?? 0);
  const delimiter = o.delimiter === undefined || o.delimiter === 'auto' ? detectDelimiter(skipped.text) : o.delimiter;
  const records = csvRecords(skipped.text, delimiter, source, skipped.firstLine);
  if (records.length === 0) throw new RangeError(`${fn}: ${source} is empty, expected ${o.header === false ? 'a data row' : 'a header row'}`);
  const missing = new Set(o.encoding?.missing ?? o.missing ?? DEFAULT_MISSING);
  const header = o.header === 'auto' || o.header === undefined ? !firstRowIsData(records, missing) : o.header;
  const width = records[0].fields.length;
  const names = header ? records[0].fields.map((h) => h.trim()) : Array.from({ length: width }, (_, j) => `c${j}`);
  if (!header && o.header !== false) {
    warn(`${fn}: ${source}: the first row (line ${records[0].line}) is numeric like the rows below it, so it is read as data ` +
      `and the columns are named c0 … c${width - 1}; pass header: true (--header) if it names the columns`);
  }
  const lookup = new ColumnLookup(names);
  const body = header ? records.slice(1) : records;
  if (o.label !== null && names.length < 2) throw new RangeError(`${fn}: ${source} has ${names.length} column, expected a label and at least one feature`);
  const labelCol = o.label === null ? -1 : o.label === undefined ? names.length - 1 : lookup.index(fn, 'options.label', o.label);
  const featureRefs = o.encoding ? o.encoding.columns.map((c) => c.name) : o.features;
  const featureCols = featureRefs === undefined
    ? names.map((_, i) => i).filter((i) => i !== labelCol)
    : featureRefs.map((ref, k) => lookup.index(fn, o.encoding ? `options.encoding.columns[${k}].name` : `options.features[${k}]`, ref));
  if (featureCols.length === 0) fail(fn, 'options.features', 'at least one column', 'none');
  if (featureCols.includes(labelCol)) fail(fn, 'options.features', `columns other than the label ${JSON.stringify(names[labelCol])}`, 'a list that includes it');

  const rows = body.length;
  const where = (r: number) => `${source} row ${r + 1} (line ${body[r].line})`;
  for (let r = 0; r < rows; r++) {
    const n = body[r].fields.length;
    if (n !== width) {
      const hint = r === 0 && body.length > 1 && body[1].fields.length === n ? ` (is line ${records[0].line} a title or metadata line? skip it with skipRows)` : '';
      throw new RangeError(`${fn}: ${where(r)} has ${n} fields, ${header ? 'the header has' : 'the first row has'} ${width}${hint}`);
    }
  }
  const cellsOf = (j: number): ColumnCells => ({ name: names[j], cells: body.map((rec) => rec.fields[j].trim()), where });

  // Fit (or take) each feature column's encoding, then write x column group by column group.
  const categorical = new Set((o.categorical ?? []).map((ref, k) => lookup.index(fn, `options.categorical[${k}]`, ref)));
  const columns: ColumnCells[] = featureCols.map(cellsOf);
  const fitted: CsvColumnEncoding[] = o.encoding
    ? o.encoding.columns
    : columns.map((col, k) => fitColumn(fn, col, missing, o.imputeColumns?.[col.name] ?? o.impute, categorical.has(featureCols[k]), sortClassNames));
  const encoding: CsvEncoding = { kind: 'CsvEncoding', missing: [...missing], columns: fitted };
  const d = fitted.reduce((sum, c) => sum + encodedWidth(c), 0);
  const x = allocFloat32(rows * d);
  const filled: Record<string, number> = {};
  let offset = 0;
  fitted.forEach((enc, k) => {
    const unseen = writeColumn(fn, enc, columns[k], missing, x, d, offset);
    offset += encodedWidth(enc);
    const count = columns[k].cells.reduce((n, c) => n + (missing.has(c) ? 1 : 0), 0);
    if (count > 0) filled[enc.name] = count;
    if (unseen.length > 0) {
      const shown = unseen.slice(0, 5).map((u) => JSON.stringify(u)).join(', ') + (unseen.length > 5 ? `, … (${unseen.length} values)` : '');
      warn(`${fn}: ${source}, column ${JSON.stringify(enc.name)}: ${shown} did not occur in the training data; encoded as no category (all zeros)`);
    }
  });

  const labelName = labelCol < 0 ? '' : names[labelCol];
  const y = allocFloat32(labelCol < 0 ? 0 : rows);
  const result: CsvDataset = {
    x: new Tensor(x, [rows, d]), y: new Tensor(y, [y.length]), featureNames: encodedNames(encoding), labelName,
    encoding, filled, delimiter, header, warnings,
  };
  if (labelCol < 0) return result;
  const labels = cellsOf(labelCol).cells;
  labels.forEach((t, r) => {
    if (t === '') throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(labelName)}: the label is missing`);
  });
  if (o.labelType === 'number') {
    labels.forEach((t, r) => {
      const v = parseNumber(t);
      if (Number.isNaN(v)) throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(labelName)}: expected a number, received ${JSON.stringify(t)}`);
      if (!fitsFloat32(v)) throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(labelName)}: ${t} overflows float32 (largest magnitude 3.4028235e+38)`);
      y[r] = v;
    });
    return result;
  }
  const classNames = o.classNames !== undefined ? [...o.classNames] : sortClassNames(labels);
  const index = new Map(classNames.map((name, i) => [name, i]));
  const unknown = new Set<string>();
  labels.forEach((t, r) => {
    const k = index.get(t);
    if (k !== undefined) { y[r] = k; return; }
    if (o.unknownLabels === 'mark') { y[r] = -1; unknown.add(t); return; }
    const known = classNames.slice(0, 20).map((c) => JSON.stringify(c)).join(', ') + (classNames.length > 20 ? ', …' : '');
    throw new RangeError(`${fn}: ${where(r)}, column ${JSON.stringify(labelName)}: expected one of the classes ${known}, received ${JSON.stringify(t)}`);
  });
  result.classNames = classNames;
  if (o.unknownLabels === 'mark') result.unknownLabels = [...unknown];
  return result;
}

/** What a CSV file's dialect options change about reading its first row. */
export type CsvHeaderOptions = Pick<CsvOptions, 'delimiter' | 'header' | 'skipRows' | 'missing'>;

/** The column names of a CSV file: its header row, or c0, c1, … when it has none (see
 *  CsvOptions.header). Reads only the first 64 KiB when that holds the first rows. */
export function csvHeader(path: string, options: CsvHeaderOptions = {}): string[] {
  const fn = 'csvHeader';
  const o = checkCsvOptions(fn, options);
  const text = readCsvStart(fn, path, 65536 * (1 + (o.skipRows ?? 0)));
  const skipped = skipLines(text, o.skipRows ?? 0);
  const delimiter = o.delimiter === undefined || o.delimiter === 'auto' ? detectDelimiter(skipped.text) : o.delimiter;
  const records = csvRecords(skipped.text, delimiter, path, skipped.firstLine);
  if (records.length === 0) return [];
  const header = o.header === 'auto' || o.header === undefined ? !firstRowIsData(records, new Set(o.missing ?? DEFAULT_MISSING)) : o.header;
  return header ? records[0].fields.map((h) => h.trim()) : records[0].fields.map((_, j) => `c${j}`);
}

function cannotRead(fn: string, path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  return new Error(`${fn}: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { cause: err });
}

/** The file's first `bytes` bytes as text, cut after the last whole record (a line break outside
 *  quotes) when the file is longer; the whole file when that start holds no whole record. */
function readCsvStart(fn: string, path: string, bytes: number): string {
  if (typeof path !== 'string' || path.length === 0) fail(fn, 'path', 'a non-empty string', path, 'type');
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw cannotRead(fn, path, err);
  }
  let text: string;
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    text = buf.toString('utf8', 0, n);
    if (n < bytes) return text;
  } finally {
    closeSync(fd);
  }
  const end = lastRecordEnd(text);
  return end < 0 ? readCsvText(fn, path) : text.slice(0, end + 1);
}

function readCsvText(fn: string, path: string): string {
  if (typeof path !== 'string' || path.length === 0) fail(fn, 'path', 'a non-empty string', path, 'type');
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw cannotRead(fn, path, err);
  }
}

/** Reads a CSV file (UTF-8) with parseCsv. */
export function loadCsv(path: string, options: CsvOptions = {}): CsvDataset {
  return parseCsv(readCsvText('loadCsv', path), options, path);
}

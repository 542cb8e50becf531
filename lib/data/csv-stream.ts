// A CSV file as a stream of training batches, for files larger than memory: one pass learns the
// columns (types, fills, categories, classes) and the scaler's statistics, then every epoch reads
// the file again, encoding rows into fixed buffers and mixing them through a bounded shuffle buffer.
// Memory is the read chunk, the shuffle buffer and one batch, whatever the file's size.

import { createReadStream } from 'node:fs';
import { allocFloat32 } from '../alloc';
import { Random } from '../random';
import { Tensor } from '../tensor';
import { checkInt, fail } from '../validate';
import { checkCsvOptions, ColumnLookup, firstRowIsData, sortClassNames, type CsvOptions } from './csv';
import { detectDelimiter, lastRecordEnd, skipLines } from './csv-dialect';
import {
  categoryIndex, checkCsvEncoding, ColumnStats, fastNumber, hasNumericToken, DEFAULT_MISSING, encodeCell, encodedNames, encodedWidth, fitsFloat32, MAX_DISTINCT,
  parseNumber, type CsvColumnEncoding, type CsvEncoding,
} from './csv-encoding';
import { csvRecords, type CsvRecord } from './csv-records';
import { StandardScaler } from './preprocess';

/** Options of {@link csvDataset}: parseCsv's, plus batch size, shuffle buffer and scaling. */
export interface CsvDatasetOptions extends Omit<CsvOptions, 'unknownLabels'> {
  /** Rows per batch (default 32). */
  batchSize?: number;
  /** Rows held to shuffle the stream (default 10,000; 0 keeps file order). Each row leaves the
   *  buffer for a random one of the rows held, so the order mixes within about this many rows. */
  shuffleBuffer?: number;
  /** Seed of the shuffle (default 0); epoch e uses the stream seed + e. */
  seed?: number;
  /** Standardise the encoded features with a scaler fitted in the first pass (true, the default),
   *  or with this fitted scaler, or not at all (false). */
  scale?: boolean | StandardScaler;
  /** Which data rows (0-based, after the header) belong to this dataset, e.g. r => r % 10 !== 0 to
   *  hold every tenth row out. Default: all. The first pass fits only on these rows. */
  rows?: (row: number) => boolean;
  /** Characters read per chunk (default 1 Mi). */
  chunkSize?: number;
  /** For labelType 'number': standardise the target with a scaler fitted in the first pass (true),
   *  or with this fitted one. The batches' y is then in standardised units; targetScaler maps
   *  outputs back. Default false. */
  scaleTarget?: boolean | StandardScaler;
}

interface Layout {
  delimiter: string;
  header: boolean;
  /** Lines before the data (skipped lines and the header). */
  linesBefore: number;
  names: string[];
  labelCol: number;
  featureCols: number[];
}

const DEFAULT_CHUNK = 1 << 20;


/** Line breaks in text (\n, \r\n or a lone \r each count once). */
function lineBreaks(text: string): number {
  let count = 0;
  if (text.indexOf('\r') < 0) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    return count;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) count++;
  }
  return count;
}

/** Whole records of a file: parsed, or (plainText) the text of quote-free lines from `line` on. */
interface Chunk {
  text: string;
  line: number;
  records: CsvRecord[] | undefined;
}

/** Fields of one record, by column: a parsed record, or a line of a chunk read in place. */
interface RowAccess {
  readonly count: number;
  readonly line: number;
  /** The cell's text, trimmed. */
  cell(j: number): string;
  /** The cell as a plain decimal (fastNumber), NaN when it needs the general path. */
  number(j: number): number;
}

class RecordAccess implements RowAccess {
  rec: CsvRecord = { fields: [], line: 0 };
  get count(): number { return this.rec.fields.length; }
  get line(): number { return this.rec.line; }
  cell(j: number): string { return this.rec.fields[j].trim(); }
  number(j: number): number { return fastNumber(this.rec.fields[j]); }
}

class LineAccess implements RowAccess {
  count = 0;
  line = 0;
  private text = '';
  private readonly starts: number[];
  private readonly ends: number[];

  constructor(private readonly width: number, private readonly delimiter: string) {
    this.starts = new Array<number>(width + 1).fill(0);
    this.ends = new Array<number>(width + 1).fill(0);
  }

  /** Reads the line text[start, end); false for a blank line (which CSV skips). */
  set(text: string, start: number, end: number, line: number): boolean {
    this.text = text;
    this.line = line;
    let count = 0;
    let from = start;
    for (;;) {
      let at = text.indexOf(this.delimiter, from);
      if (at < 0 || at > end) at = end;
      if (count <= this.width) { this.starts[count] = from; this.ends[count] = at; }
      count++;
      if (at === end) break;
      from = at + 1;
    }
    this.count = count;
    return count > 1 || text.slice(start, end).trim() !== '';
  }

  cell(j: number): string { return this.text.slice(this.starts[j], this.ends[j]).trim(); }
  number(j: number): number { return fastNumber(this.text, this.starts[j], this.ends[j]); }
}

/** A chunk's parsed records (parsing plain text when the caller needs records). */
function recordsOf(chunk: Chunk, delimiter: string, path: string): CsvRecord[] {
  return chunk.records ?? csvRecords(chunk.text, delimiter, path, chunk.line);
}

/** Reads records from a file chunk by chunk; a record cut by a chunk's end waits for the next. */
async function* fileRecords(path: string, delimiter: string | undefined, skip: number, chunkSize: number,
  onDelimiter?: (d: string) => void, plainText = false): AsyncGenerator<Chunk, void, void> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: chunkSize });
  let carry = '';
  let line = 1;
  let first = true;
  let delim = delimiter;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let text = carry + chunk;
      if (first) {
        // The lines to skip and the delimiter are settled on the first chunk that holds a whole line.
        if (skip > 0 && text.split('\n', skip + 1).length <= skip) { carry = text; continue; }
        const skipped = skipLines(text, skip);
        text = skipped.text;
        line = skipped.firstLine;
        delim ??= detectDelimiter(text);
        onDelimiter?.(delim);
        first = false;
      }
      const end = lastRecordEnd(text);
      if (end < 0) { carry = text; continue; }
      const whole = text.slice(0, end + 1);
      carry = text.slice(end + 1);
      const breaks = lineBreaks(whole);
      // Without quotes or carriage returns a chunk's lines are its records: the epoch pass reads
      // them in place, without a string per cell.
      yield plainText && whole.indexOf('"') < 0 && whole.indexOf('\r') < 0
        ? { text: whole, line, records: undefined }
        : { text: whole, line, records: csvRecords(whole, delim!, path, line) };
      line += breaks;
    }
    if (first) {
      const skipped = skipLines(carry, skip);
      carry = skipped.text;
      line = skipped.firstLine;
      delim ??= detectDelimiter(carry);
      onDelimiter?.(delim);
    }
    if (carry.trim() !== '') yield { text: carry, line, records: csvRecords(carry, delim!, path, line) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`csvDataset: cannot read ${path}: no such file`, { cause: err });
    throw err;
  } finally {
    stream.destroy();
  }
}

/** Where a row is, for errors: built only when one is thrown (no closure per row on the hot path). */
function rowWhere(path: string, r: number, access: RowAccess): string {
  return `${path} row ${r + 1} (line ${access.line})`;
}

/** The batches of a CSV file, for model.fit(dataset, { epochs }). Made by csvDataset(). */
export class CsvStream implements AsyncIterable<{ x: Tensor; y: Tensor }> {
  private epochs = 0;

  /** @internal Made by csvDataset(). */
  constructor(
    readonly path: string,
    private readonly layout: Layout,
    /** How the feature columns are encoded (save it with the model; parseCsv/csvDataset take it). */
    readonly encoding: CsvEncoding,
    /** The fitted feature scaler, if the features are scaled. */
    readonly scaler: StandardScaler | undefined,
    readonly labelName: string,
    readonly labelType: 'class' | 'number',
    /** For labelType 'class': class i is classNames[i]. */
    readonly classNames: string[] | undefined,
    /** Data rows the dataset gives per epoch. */
    readonly rows: number,
    /** With scaleTarget: the target's scaler (batches hold standardised targets). */
    readonly targetScaler: StandardScaler | undefined,
    /** Missing feature cells the first pass found, per column name (columns without any left out). */
    readonly filled: Readonly<Record<string, number>>,
    private readonly o: CsvDatasetOptions,
    private readonly warn: (message: string) => void,
  ) {}

  /** Names of the encoded feature columns (x's columns). */
  get featureNames(): string[] {
    return encodedNames(this.encoding);
  }

  /** The number of encoded feature columns (x's width). */
  get featureCount(): number {
    return this.encoding.columns.reduce((s, c) => s + encodedWidth(c), 0);
  }

  /** The same file and encoding with another row selection (e.g. the held-out rows), unshuffled
   *  unless options say otherwise. */
  withRows(rows: (row: number) => boolean, options: Pick<CsvDatasetOptions, 'batchSize' | 'shuffleBuffer' | 'seed'> = {}): CsvStream {
    return new CsvStream(this.path, this.layout, this.encoding, this.scaler, this.labelName, this.labelType, this.classNames, -1,
      this.targetScaler, this.filled, { ...this.o, shuffleBuffer: 0, ...options, rows }, this.warn);
  }

  /** Reads the dataset's rows (at most maxRows) into memory: x [n, features] and y [n]. */
  async load(maxRows = Infinity): Promise<{ x: Tensor; y: Tensor }> {
    const xs: Float32Array[] = [];
    const ys: Float32Array[] = [];
    let n = 0;
    for await (const batch of this.batches(maxRows)) {
      xs.push(batch.x.data.slice());
      ys.push(batch.y.data.slice());
      n += batch.x.shape[0];
    }
    const d = this.featureCount;
    const x = allocFloat32(n * d);
    const y = allocFloat32(n);
    let at = 0;
    xs.forEach((part, i) => { x.set(part, at * d); y.set(ys[i], at); at += ys[i].length; });
    return { x: new Tensor(x, [n, d]), y: new Tensor(y, [n]) };
  }

  /** One epoch of batches, shuffled through the bounded buffer unless shuffling is off. */
  [Symbol.asyncIterator](): AsyncIterator<{ x: Tensor; y: Tensor }> {
    return this.batches(Infinity);
  }

  private async *batches(maxRows: number): AsyncGenerator<{ x: Tensor; y: Tensor }, void, void> {
    const fn = 'csvDataset';
    const { layout, encoding, o } = this;
    const d = this.featureCount;
    const batchSize = o.batchSize ?? 32;
    const hold = o.shuffleBuffer ?? 10_000;
    const rng = new Random(((o.seed ?? 0) + this.epochs++) >>> 0);
    const missing = new Set(encoding.missing);
    const numericMissing = hasNumericToken(missing);
    const indexes = encoding.columns.map(categoryIndex);
    const offsets: number[] = [];
    encoding.columns.reduce((at, c) => { offsets.push(at); return at + encodedWidth(c); }, 0);
    // The same double-precision arithmetic as StandardScaler.transform, so streamed rows are
    // bit-identical to transformed in-memory rows.
    const shift = this.scaler ? Float64Array.from(this.scaler.mean) : undefined;
    const invStd = this.scaler ? Float64Array.from(this.scaler.std, (s) => 1 / s) : undefined;
    const targetShift = this.targetScaler?.mean[0];
    const targetScale = this.targetScaler ? 1 / this.targetScaler.std[0] : 1;
    const classIndex = this.classNames ? new Map(this.classNames.map((c, i) => [c, i])) : undefined;
    const unseen = encoding.columns.map(() => new Set<string>());

    const bx = allocFloat32(batchSize * d);
    const by = allocFloat32(batchSize);
    const full = { x: new Tensor(bx, [batchSize, d]), y: new Tensor(by, [batchSize]) };
    const heldX = allocFloat32(Math.max(hold, 1) * d);
    const heldY = allocFloat32(Math.max(hold, 1));
    const row = allocFloat32(d);
    let held = 0;
    let m = 0;
    let given = 0;

    const columns: readonly CsvColumnEncoding[] = encoding.columns;
    const numeric = columns.map((c) => c.type === 'number' && !numericMissing);
    let whereAccess: RowAccess | undefined;
    let whereRow = 0;
    const where = () => `${this.path} row ${whereRow + 1} (line ${whereAccess!.line})`;
    const encodeRow = (row: RowAccess, r: number, out: Float32Array, at: number): number => {
      whereAccess = row;
      whereRow = r;
      if (row.count !== layout.names.length) throw new RangeError(`${fn}: ${where()} has ${row.count} fields, ${layout.header ? 'the header has' : 'the first row has'} ${layout.names.length}`);
      out.fill(0, at, at + d);
      for (let k = 0; k < columns.length; k++) {
        const col = layout.featureCols[k];
        if (numeric[k]) {
          const v = row.number(col);
          if (!Number.isNaN(v) && fitsFloat32(v)) { out[at + offsets[k]] = v; continue; }
        }
        const cell = row.cell(col);
        if (!encodeCell(fn, columns[k], cell, missing, out, at + offsets[k], indexes[k], where, numericMissing) && unseen[k].size < 5) unseen[k].add(cell);
      }
      if (shift) for (let j = 0; j < d; j++) out[at + j] = (out[at + j] - shift[j]) * invStd![j] + 0;
      if (classIndex) {
        const label = row.cell(layout.labelCol);
        const c = classIndex.get(label);
        if (c === undefined) throw new RangeError(`${fn}: ${where()}, column ${JSON.stringify(this.labelName)}: a class not seen in the first pass, ${JSON.stringify(label)} (did the file change?)`);
        return c;
      }
      let v = row.number(layout.labelCol);
      if (Number.isNaN(v) || !fitsFloat32(v)) {
        const label = row.cell(layout.labelCol);
        v = parseNumber(label);
        if (Number.isNaN(v) || !fitsFloat32(v)) throw new RangeError(`${fn}: ${where()}, column ${JSON.stringify(this.labelName)}: expected a number, received ${JSON.stringify(label)}`);
      }
      return targetShift === undefined ? v : (v - targetShift) * targetScale;
    };
    const emit = (src: Float32Array, srcRow: number, yv: number): void => {
      bx.set(src.subarray(srcRow * d, srcRow * d + d), m * d);
      by[m++] = yv;
    };
    /** Places one row: straight into the batch, or into the shuffle buffer (which then gives one up). */
    const place = (access: RowAccess, r: number): void => {
      if (hold === 0) {
        by[m] = encodeRow(access, r, bx, m * d);
        m++;
      } else if (held < hold) {
        heldY[held] = encodeRow(access, r, heldX, held * d);
        held++;
      } else {
        const yv = encodeRow(access, r, row, 0);
        const j = rng.int(hold);
        emit(heldX, j, heldY[j]);
        heldX.set(row, j * d);
        heldY[j] = yv;
      }
    };

    const recordAccess = new RecordAccess();
    const lineAccess = new LineAccess(layout.names.length, layout.delimiter);
    let r = -1;
    let first = true;
    for await (const chunk of fileRecords(this.path, layout.delimiter, o.skipRows ?? 0, o.chunkSize ?? DEFAULT_CHUNK, undefined, true)) {
      const { text, records } = chunk;
      let line = chunk.line;
      let pos = 0;
      for (let i = 0; records !== undefined ? i < records.length : pos < text.length; i++) {
        let access: RowAccess;
        if (records !== undefined) {
          recordAccess.rec = records[i];
          access = recordAccess;
        } else {
          let nl = text.indexOf('\n', pos);
          if (nl < 0) nl = text.length;
          const blank = !lineAccess.set(text, pos, nl, line);
          pos = nl + 1;
          line++;
          if (blank) continue;
          access = lineAccess;
        }
        if (first) { first = false; if (layout.header) continue; }
        r++;
        if (o.rows !== undefined && !o.rows(r)) continue;
        if (given >= maxRows) break;
        given++;
        place(access, r);
        if (m === batchSize) { yield full; m = 0; }
      }
      if (given >= maxRows) break;
    }
    // Drain what the shuffle buffer still holds, in random order.
    const order = Array.from({ length: held }, (_, i) => i);
    rng.shuffle(order);
    for (const j of order) {
      emit(heldX, j, heldY[j]);
      if (m === batchSize) { yield full; m = 0; }
    }
    if (m > 0) yield { x: new Tensor(bx.subarray(0, m * d), [m, d]), y: new Tensor(by.subarray(0, m), [m]) };
    unseen.forEach((values, k) => {
      if (values.size > 0) this.warn(`${fn}: ${this.path}, column ${JSON.stringify(encoding.columns[k].name)}: ${[...values].map((v) => JSON.stringify(v)).join(', ')} did not occur in the fitted data; encoded as no category (all zeros)`);
    });
  }
}

/**
 * Opens a CSV file as a stream of shuffled, encoded, scaled batches for model.fit(dataset, …). The
 * first pass (awaited here) settles the columns exactly as parseCsv would — delimiter, header,
 * feature types, missing-value fills, categories, classes — and fits the scaler; pass `encoding`
 * and `scale` (a fitted scaler) to apply a saved model's instead.
 */
export async function csvDataset(path: string, options: CsvDatasetOptions = {}): Promise<CsvStream> {
  const fn = 'csvDataset';
  if (typeof path !== 'string' || path === '') fail(fn, 'path', 'a non-empty string', path, 'type');
  const { batchSize, shuffleBuffer, seed, scale, rows, chunkSize, scaleTarget, ...csvOptions } = options;
  const o = checkCsvOptions(fn, csvOptions) as CsvOptions;
  if (batchSize !== undefined) checkInt(fn, 'options.batchSize', batchSize, 1);
  if (shuffleBuffer !== undefined) checkInt(fn, 'options.shuffleBuffer', shuffleBuffer, 0, 1e8);
  if (seed !== undefined) checkInt(fn, 'options.seed', seed, 0, 2 ** 32 - 1);
  if (chunkSize !== undefined) checkInt(fn, 'options.chunkSize', chunkSize, 1024);
  if (rows !== undefined && typeof rows !== 'function') fail(fn, 'options.rows', 'a function (row) => boolean', rows, 'type');
  if (scale !== undefined && typeof scale !== 'boolean' && !(scale instanceof StandardScaler)) fail(fn, 'options.scale', 'a boolean or a fitted StandardScaler', scale, 'type');
  // With a given encoding the first pass gathers no column statistics, so there is no scaler to fit.
  if (o.encoding !== undefined && !(scale instanceof StandardScaler) && scale !== false) {
    fail(fn, 'options.scale', 'a fitted StandardScaler or false when options.encoding is given', scale === undefined ? 'nothing (the default is true)' : 'true');
  }
  if (scaleTarget !== undefined && scaleTarget !== false && o.labelType !== 'number') fail(fn, 'options.scaleTarget', "false unless labelType is 'number'", 'a value');
  if (o.label === null) fail(fn, 'options.label', 'a column (a stream trains on labelled rows)', 'null');
  const warn = (message: string): void => { if (o.onWarning) o.onWarning(message); else process.emitWarning(message, 'CsvWarning'); };
  const missing = new Set(o.encoding?.missing ?? o.missing ?? DEFAULT_MISSING);

  // The first pass: layout from the first chunk, then every row's cells into the column statistics.
  let layout: Layout | undefined;
  let delimiter = o.delimiter === 'auto' ? undefined : o.delimiter;
  let stats: ColumnStats[] = [];
  const labels = new Map<string, number>();
  let r = -1;
  let selected = 0;
  let targetMean = 0;
  let targetM2 = 0;
  let firstRecord = true;
  const labelType = o.labelType ?? 'class';
  const recordAccess = new RecordAccess();
  let lineAccess: LineAccess | undefined;
  let pastFirstChunk = false;
  for await (const chunk of fileRecords(path, delimiter, o.skipRows ?? 0, chunkSize ?? DEFAULT_CHUNK, (dl) => { delimiter = dl; }, true)) {
    // The first chunk is parsed into records: the header and the layout are read from them.
    const records = layout === undefined || chunk.records !== undefined ? recordsOf(chunk, delimiter!, path) : [];
    if (layout === undefined) {
      if (records.length === 0) continue;
      const header = o.header === 'auto' || o.header === undefined ? !firstRowIsData(records, missing) : o.header;
      const width = records[0].fields.length;
      const names = header ? records[0].fields.map((h) => h.trim()) : Array.from({ length: width }, (_, j) => `c${j}`);
      if (!header && o.header !== false) warn(`${fn}: ${path}: the first row (line ${records[0].line}) is numeric like the rows below it, so it is read as data and the columns are named c0 … c${width - 1}; pass header: true if it names the columns`);
      const lookup = new ColumnLookup(names);
      if (names.length < 2) throw new RangeError(`${fn}: ${path} has ${names.length} column, expected a label and at least one feature`);
      const labelCol = o.label === undefined ? names.length - 1 : lookup.index(fn, 'options.label', o.label);
      const refs = o.encoding ? o.encoding.columns.map((c) => c.name) : o.features;
      const featureCols = refs === undefined ? names.map((_, i) => i).filter((i) => i !== labelCol) : refs.map((ref, k) => lookup.index(fn, `options.features[${k}]`, ref));
      if (featureCols.includes(labelCol)) fail(fn, 'options.features', `columns other than the label ${JSON.stringify(names[labelCol])}`, 'a list that includes it');
      const categorical = new Set((o.categorical ?? []).map((ref, k) => lookup.index(fn, `options.categorical[${k}]`, ref)));
      layout = { delimiter: delimiter!, header, linesBefore: 0, names, labelCol, featureCols };
      stats = featureCols.map((c) => new ColumnStats(names[c], categorical.has(c), (o.imputeColumns?.[names[c]] ?? o.impute) === 'mostFrequent').withMissing(missing));
    }
    const L = layout;
    // Parsed records, or the lines of a quote-free chunk read in place (as the epochs do).
    lineAccess ??= new LineAccess(L.names.length, L.delimiter);
    const plain = chunk.records === undefined && pastFirstChunk;
    pastFirstChunk = true;
    const text = chunk.text;
    let pos = 0;
    let line = chunk.line;
    for (let i = 0; plain ? pos < text.length : i < records.length; i++) {
      let access: RowAccess;
      if (plain) {
        let nl = text.indexOf('\n', pos);
        if (nl < 0) nl = text.length;
        const blank = !lineAccess.set(text, pos, nl, line);
        pos = nl + 1;
        line++;
        if (blank) continue;
        access = lineAccess;
      } else {
        recordAccess.rec = records[i];
        access = recordAccess;
      }
      if (firstRecord) { firstRecord = false; if (L.header) continue; }
      r++;
      if (rows !== undefined && !rows(r)) continue;
      selected++;
      if (access.count !== L.names.length) throw new RangeError(`${fn}: ${rowWhere(path, r, access)} has ${access.count} fields, ${L.header ? 'the header has' : 'the first row has'} ${L.names.length}`);
      if (labelType === 'number') {
        let v = access.number(L.labelCol);
        if (Number.isNaN(v) || !fitsFloat32(v)) {
          const label = access.cell(L.labelCol);
          if (label === '') throw new RangeError(`${fn}: ${rowWhere(path, r, access)}, column ${JSON.stringify(L.names[L.labelCol])}: the label is missing`);
          v = parseNumber(label);
          if (Number.isNaN(v)) throw new RangeError(`${fn}: ${rowWhere(path, r, access)}, column ${JSON.stringify(L.names[L.labelCol])}: expected a number, received ${JSON.stringify(label)}`);
          if (!fitsFloat32(v)) throw new RangeError(`${fn}: ${rowWhere(path, r, access)}, column ${JSON.stringify(L.names[L.labelCol])}: ${label} overflows float32 (largest magnitude 3.4028235e+38)`);
        }
        const delta = v - targetMean;
        targetMean += delta / selected;
        targetM2 += delta * (v - targetMean);
      } else {
        const label = access.cell(L.labelCol);
        if (label === '') throw new RangeError(`${fn}: ${rowWhere(path, r, access)}, column ${JSON.stringify(L.names[L.labelCol])}: the label is missing`);
        if (!labels.has(label)) {
          if (labels.size >= MAX_DISTINCT) throw new RangeError(`${fn}: ${path}: the label column has more than ${MAX_DISTINCT} classes`);
          labels.set(label, 1);
        }
      }
      if (o.encoding === undefined) {
        try {
          for (let k = 0; k < stats.length; k++) {
            const col = L.featureCols[k];
            if (stats[k].acceptsPlain) {
              const v = access.number(col);
              if (!Number.isNaN(v) && fitsFloat32(v)) { stats[k].addPlain(v); continue; }
            }
            stats[k].add(access.cell(col), r, missing);
          }
        } catch (err) {
          if (err instanceof RangeError) throw new RangeError(`${fn}: ${path}: ${err.message}`);
          throw err;
        }
      }
    }
  }
  const count = selected;
  if (layout === undefined || count === 0) throw new RangeError(`${fn}: ${path} has no data rows${rows ? ' that options.rows selects' : ''}`);
  const where = (row: number) => `${path} row ${row + 1}`;
  const encoding: CsvEncoding = o.encoding
    ? checkCsvEncoding(fn, 'options.encoding', o.encoding)
    : { kind: 'CsvEncoding', missing: [...missing], columns: stats.map((s) => s.encoding(fn, where, o.imputeColumns?.[s.name] ?? o.impute, sortClassNames)) };
  let scaler: StandardScaler | undefined;
  if (scale instanceof StandardScaler) scaler = scale;
  else if (scale !== false) {
    const mean: number[] = [];
    const std: number[] = [];
    encoding.columns.forEach((enc, k) => {
      const moments = stats[k].encodedMoments(enc);
      mean.push(...moments.mean);
      // A constant column maps to 0, as StandardScaler.fit does.
      std.push(...moments.variance.map((v) => (v > 0 ? Math.sqrt(v) : 1)));
    });
    scaler = StandardScaler.fromJSON({ kind: 'StandardScaler', mean, std });
  }
  const classNames = labelType === 'class' ? (o.classNames ? [...o.classNames] : sortClassNames(labels.keys())) : undefined;
  if (o.classNames) {
    for (const label of labels.keys()) if (!o.classNames.includes(label)) throw new RangeError(`${fn}: ${path}, column ${JSON.stringify(layout.names[layout.labelCol])}: expected one of the classes ${o.classNames.map((c) => JSON.stringify(c)).join(', ')}, received ${JSON.stringify(label)}`);
  }
  const targetScaler = scaleTarget instanceof StandardScaler ? scaleTarget
    : scaleTarget === true ? StandardScaler.fromJSON({ kind: 'StandardScaler', mean: [targetMean], std: [targetM2 > 0 ? Math.sqrt(targetM2 / count) : 1] })
      : undefined;
  return new CsvStream(path, layout, encoding, scaler, layout.names[layout.labelCol], labelType, classNames, count, targetScaler,
    Object.fromEntries(stats.filter((st) => st.missingCount > 0).map((st) => [st.name, st.missingCount])),
    { batchSize, shuffleBuffer, seed, rows, chunkSize, skipRows: o.skipRows }, warn);
}

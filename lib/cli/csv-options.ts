import type { CsvHeaderOptions } from '../data/csv';
import { UsageError, type OptionSpec } from './args';

// The options that say how a CSV file is laid out, shared by `train` and `predict`.

export const csvDialectSpec: OptionSpec = {
  delimiter: { type: 'string' }, header: { type: 'boolean' }, 'no-header': { type: 'boolean' }, 'skip-rows': { type: 'string' },
};

export const csvDialectUsage = `  --delimiter <c>        CSV field delimiter: , ; tab | or any one character (default: detected)
  --header, --no-header  the first row names the columns / is data (default: a header unless the
                         first row is numeric like the rest, which is then read as data, with a warning)
  --skip-rows <n>        lines to skip before the header (a title or metadata line)`;

/** A built-in data set has no CSV columns: the CSV-only options (label, task, the dialect) are an error for it. */
export function rejectCsvOptions(source: string, values: Record<string, unknown>, csvOnlyKeys: readonly string[]): void {
  const given = [...csvOnlyKeys, ...Object.keys(csvDialectSpec)].filter((k) => values[k] !== undefined);
  if (given.length > 0) throw new UsageError(`${given.map((k) => `--${k}`).join(', ')} ${given.length === 1 ? 'applies' : 'apply'} to CSV files; '${source}' is a built-in data set`);
}

export function csvDialectOptions(values: Record<string, unknown>): CsvHeaderOptions {
  const o: CsvHeaderOptions = {};
  if (values.delimiter !== undefined) {
    const raw = String(values.delimiter);
    const d = raw === 'tab' || raw === '\\t' ? '\t' : raw;
    if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') throw new UsageError(`--delimiter expects one character (or 'tab'), received '${raw}'`);
    o.delimiter = d;
  }
  if (values.header === true && values['no-header'] === true) throw new UsageError('--header and --no-header contradict each other');
  if (values.header === true) o.header = true;
  if (values['no-header'] === true) o.header = false;
  if (values['skip-rows'] !== undefined) {
    const n = Number(values['skip-rows']);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--skip-rows expects an integer ≥ 0, received '${values['skip-rows']}'`);
    o.skipRows = n;
  }
  return o;
}

// RFC 4180 tokenizer: fields separated by a one-character delimiter, records by \n, \r\n or \r;
// a field in double quotes may hold delimiters, newlines and "" (an escaped quote).

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line of the file where the record starts (for error messages). */
  readonly line: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Splits text into records. Blank lines (empty or whitespace only) are skipped. `firstLine` is the
 *  file line the text starts on (after skipped lines). */
export function csvRecords(text: string, delimiter: string, source: string, firstLine = 1): CsvRecord[] {
  const delim = delimiter.charCodeAt(0);
  const records: CsvRecord[] = [];
  const len = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark left by spreadsheet exports
  let line = firstLine;
  while (i < len) {
    const startLine = line;
    const fields: string[] = [];
    let quotedAny = false;
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === QUOTE) {
        quotedAny = true;
        const openLine = line;
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) throw new RangeError(`parseCsv: ${source} line ${openLine}: a quoted field is never closed`);
          value += text.slice(from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            from = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        for (let k = 0; k < value.length; k++) {
          const c = value.charCodeAt(k);
          if (c === LF || (c === CR && value.charCodeAt(k + 1) !== LF)) line++;
        }
        field = value;
        const c = text.charCodeAt(i);
        if (i < len && c !== delim && c !== LF && c !== CR) {
          throw new RangeError(`parseCsv: ${source} line ${line}: unexpected ${JSON.stringify(text[i])} after a closing quote (a quote inside a quoted field is written "")`);
        }
      } else {
        const start = i;
        while (i < len) {
          const c = text.charCodeAt(i);
          if (c === delim || c === LF || c === CR) break;
          i++;
        }
        field = text.slice(start, i);
      }
      fields.push(field);
      if (i < len && text.charCodeAt(i) === delim) {
        i++;
        continue;
      }
      break; // end of record: newline or end of text
    }
    if (i < len) {
      if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) i++;
      i++;
      line++;
    }
    const blank = !quotedAny && fields.length === 1 && fields[0].trim() === '';
    if (!blank) records.push({ fields, line: startLine });
  }
  return records;
}

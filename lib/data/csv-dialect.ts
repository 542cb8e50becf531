// What a CSV file looks like before its values are read: lines to skip, the delimiter, and whether
// the first row names the columns.

export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The text after its first `count` physical lines (a metadata line, a title), and the 1-based line
 *  number where that text starts. A leading byte-order mark is dropped. */
export function skipLines(text: string, count: number): { text: string; firstLine: number } {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let skipped = 0; skipped < count; skipped++) {
    const lf = text.indexOf('\n', i);
    const cr = text.indexOf('\r', i);
    if (lf < 0 && cr < 0) return { text: '', firstLine: count + 1 };
    const end = cr >= 0 && (lf < 0 || cr < lf) ? (text.charCodeAt(cr + 1) === LF ? cr + 1 : cr) : lf;
    i = end + 1;
  }
  return { text: i === 0 ? text : text.slice(i), firstLine: count + 1 };
}

/**
 * The candidate (`, ; \t |`) that splits the first lines (up to 64 KiB, quotes respected) into the
 * same number of fields on every line, preferring more fields; the most frequent candidate when none
 * is consistent; ',' when none occurs (a one-column file).
 */
export function detectDelimiter(text: string): string {
  const end = Math.min(text.length, 65536);
  const counts: number[][] = [];
  let current = [0, 0, 0, 0];
  let quoted = false;
  let complete = true;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) { quoted = !quoted; continue; }
    if (quoted) continue;
    if (c === LF || c === CR) {
      if (current.some((n) => n > 0) || counts.length > 0) counts.push(current);
      current = [0, 0, 0, 0];
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      if (counts.length >= 50) { complete = false; break; }
      continue;
    }
    const k = DELIMITER_CANDIDATES.indexOf(text[i] as (typeof DELIMITER_CANDIDATES)[number]);
    if (k >= 0) current[k]++;
  }
  // The last line counts only when the text ended there (not cut off mid-line by the 64 KiB cap).
  if (complete && end === text.length && current.some((n) => n > 0)) counts.push(current);
  const lines = counts.filter((row) => row.some((n) => n > 0) || counts.length === 1);
  if (lines.length === 0) return ',';
  let best = -1;
  let bestFields = 0;
  for (let k = 0; k < DELIMITER_CANDIDATES.length; k++) {
    const first = lines[0][k];
    if (first > 0 && lines.every((row) => row[k] === first) && first > bestFields) { best = k; bestFields = first; }
  }
  if (best >= 0) return DELIMITER_CANDIDATES[best];
  let total = [0, 0, 0, 0];
  for (const row of lines) total = total.map((t, k) => t + row[k]);
  const most = total.indexOf(Math.max(...total));
  return total[most] > 0 ? DELIMITER_CANDIDATES[most] : ',';
}

/** Index of the last line break outside quotes (-1 if none): the text before it holds whole records. */
export function lastRecordEnd(text: string): number {
  // Most files quote nothing: then the last line break is found without a scan.
  if (text.indexOf('"') < 0) return Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  let quoted = false;
  let end = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if ((c === 10 || c === 13) && !quoted) end = i;
  }
  return end;
}

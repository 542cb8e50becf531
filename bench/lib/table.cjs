'use strict';
// Markdown tables padded to line up in a terminal, and the number formats the report uses.

function markdownTable(header, rows, align = []) {
  const cells = [header, ...rows].map((r) => r.map((c) => (c === undefined || c === null ? '' : String(c))));
  const widths = header.map((_, j) => Math.max(3, ...cells.map((r) => r[j].length)));
  const pad = (text, j) => (align[j] === 'right' ? text.padStart(widths[j]) : text.padEnd(widths[j]));
  const line = (r) => `| ${r.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((w, j) => (align[j] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/** 1234567 → "1,234,567"; undefined → "–". */
function int(value) {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–';
}

/** Fixed decimals, or "–" for a missing figure. */
function fixed(value, digits = 1) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

module.exports = { markdownTable, int, fixed };

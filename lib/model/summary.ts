import type { Layer } from '../layers/layer';

/** 1234567 → '1,234,567' (fixed separator, independent of the locale). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** How a layer names itself in messages and summaries: its toString() if it has one, else its kind. */
export function layerLabel(layer: Layer): string {
  const own = (layer as { toString?: () => string }).toString;
  return typeof own === 'function' && own !== Object.prototype.toString ? String(layer) : layer.kind;
}

export interface SummaryRow {
  readonly layer: Layer;
  readonly outputShape: readonly number[];
}

/**
 * A one-screen table: one row per layer with its output shape (m = batch rows) and parameter count,
 * then the totals. Non-learned state (e.g. batch-norm running statistics) is counted apart.
 */
export function formatSummary(inputShape: readonly number[], rows: readonly SummaryRow[]): string {
  const header = ['#', 'Layer', 'Output shape', 'Params'];
  const body = rows.map((row, i) => [
    String(i),
    layerLabel(row.layer),
    `[m, ${row.outputShape.join(', ')}]`,
    formatCount(row.layer.params().reduce((sum, p) => sum + p.value.length, 0)),
  ]);
  const widths = header.map((h, c) => body.reduce((w, r) => Math.max(w, r[c].length), h.length));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === 0 || c === 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  let total = 0;
  let state = 0;
  for (const row of rows) {
    for (const p of row.layer.params()) total += p.value.length;
    for (const s of row.layer.state()) state += s.value.length;
  }
  const lines = [
    `Sequential, input [m, ${inputShape.join(', ')}]`,
    line(header),
    rule,
    ...body.map(line),
    rule,
    `Total params: ${formatCount(total)} (${formatBytes(total * 4)} as float32)`,
  ];
  if (state > 0) lines.push(`Non-trainable state: ${formatCount(state)} values`);
  return lines.join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

// Which classes a classifier confuses with which: rows are the actual class, columns the predicted
// one, so the diagonal holds the correct predictions.

import { checkInt, fail } from '../validate';
import { labelValues, type Labels } from '../data/one-hot';
import { blend, luminance } from './palette';
import { el, INK, MUTED, svgDocument, text, textWidth } from './svg';

/** counts[actual][predicted] over paired labels (class indices in [0, numClasses)). */
export function confusionMatrix(predicted: Labels, actual: Labels, numClasses: number): number[][] {
  const fn = 'confusionMatrix';
  checkInt(fn, 'numClasses', numClasses, 1);
  const p = labelValues(fn, 'predicted', predicted, numClasses);
  const a = labelValues(fn, 'actual', actual, numClasses);
  if (p.length !== a.length) fail(fn, 'predicted', `${a.length} labels like actual`, `${p.length}`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < p.length; i++) m[a[i]][p[i]]++;
  return m;
}

/** Options of {@link confusionMatrixSvg}. */
export interface ConfusionMatrixSvgOptions {
  title?: string;
  /** Side of a cell in pixels. Default: 64 for up to 6 classes, smaller beyond. */
  cellSize?: number;
  /** Most rows (and columns) drawn, in [2, 100]; default 30. With more classes, the maxClasses − 1
   *  classes with the most samples (actual plus predicted) keep their own row and column and the
   *  rest are summed into one "other" row and column, so the picture has at most maxClasses² cells
   *  (about 300 bytes each) whatever the number of classes. The summary line says so. */
  maxClasses?: number;
}

const DEFAULT_MAX_CLASSES = 30;

// Correct predictions in blue, errors in red; intensity is the share of the actual class's row,
// so a rare class's mistakes are as visible as a common class's.
const LOW = '#f8fafc';
const CORRECT = '#1d4ed8';
const WRONG = '#c2410c';

function checkMatrix(fn: string, matrix: unknown): number[][] {
  if (!Array.isArray(matrix) || matrix.length === 0) fail(fn, 'matrix', 'a non-empty square array of counts', matrix, 'type');
  const k = matrix.length;
  matrix.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== k) fail(fn, `matrix[${r}]`, `a row of ${k} counts`, row, Array.isArray(row) ? 'range' : 'type');
    row.forEach((v, c) => {
      if (typeof v !== 'number') fail(fn, `matrix[${r}][${c}]`, 'a count', v, 'type');
      if (!Number.isInteger(v) || v < 0) fail(fn, `matrix[${r}][${c}]`, 'a non-negative integer count', String(v));
    });
  });
  return matrix as number[][];
}

/** A heat map of a confusion matrix with the count (and row share) in each cell. */
export function confusionMatrixSvg(matrix: number[][], classNames?: readonly string[], options: ConfusionMatrixSvgOptions = {}): string {
  const fn = 'confusionMatrixSvg';
  const m = checkMatrix(fn, matrix);
  const k = m.length;
  const names = classNames ?? m.map((_, i) => String(i));
  if (!Array.isArray(names) || names.length !== k || names.some((n) => typeof n !== 'string')) {
    fail(fn, 'classNames', `${k} strings, one per row`, names, Array.isArray(names) ? 'range' : 'type');
  }
  if (typeof options !== 'object' || options === null) fail(fn, 'options', 'an object', options, 'type');
  const { title } = options;
  if (title !== undefined && typeof title !== 'string') fail(fn, 'options.title', 'a string', title, 'type');
  const maxClasses = options.maxClasses === undefined ? DEFAULT_MAX_CLASSES : checkInt(fn, 'options.maxClasses', options.maxClasses, 2, 100);
  let total = 0;
  let correct = 0;
  for (let r = 0; r < k; r++) {
    correct += m[r][r];
    for (let c = 0; c < k; c++) total += m[r][c];
  }
  const shown = k > maxClasses ? aggregate(m, names, maxClasses) : { matrix: m, names, rowCorrect: m.map((row, i) => row[i]), note: '' };
  return draw(shown, total, correct, title, options.cellSize === undefined ? undefined : checkInt(fn, 'options.cellSize', options.cellSize, 16, 400));
}

interface Shown {
  readonly matrix: number[][];
  readonly names: readonly string[];
  /** Correct predictions per row: the diagonal, except for an "other" row that sums several classes. */
  readonly rowCorrect: number[];
  readonly note: string;
}

/** Keeps the `keep − 1` classes with the most samples and sums the rest into "other". */
function aggregate(m: number[][], names: readonly string[], keep: number): Shown {
  const k = m.length;
  const weight = new Array<number>(k).fill(0);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      weight[r] += m[r][c];
      weight[c] += m[r][c];
    }
  }
  const kept = Array.from({ length: k }, (_, i) => i)
    .sort((a, b) => weight[b] - weight[a] || a - b)
    .slice(0, keep - 1)
    .sort((a, b) => a - b);
  const slot = new Array<number>(k).fill(keep - 1);
  kept.forEach((cls, i) => (slot[cls] = i));
  const matrix = Array.from({ length: keep }, () => new Array<number>(keep).fill(0));
  const rowCorrect = new Array<number>(keep).fill(0);
  for (let r = 0; r < k; r++) {
    rowCorrect[slot[r]] += m[r][r];
    for (let c = 0; c < k; c++) matrix[slot[r]][slot[c]] += m[r][c];
  }
  const others = k - kept.length;
  return {
    matrix,
    names: [...kept.map((cls) => names[cls]), `other (${others})`],
    rowCorrect,
    note: `${kept.length} of ${k} classes shown, the other ${others} summed`,
  };
}

function draw({ matrix: m, names, rowCorrect, note }: Shown, total: number, correct: number, title: string | undefined, cellSize: number | undefined): string {
  const k = m.length;
  const cell = cellSize ?? (k <= 6 ? 64 : k <= 12 ? 52 : 36);
  const rowTotals = m.map((row) => row.reduce((a, b) => a + b, 0));

  // Layout: row labels on the left, column labels under the grid (slanted when they are long).
  const labelFont = 13;
  const longest = names.reduce((w, n) => Math.max(w, textWidth(n, labelFont)), 0);
  const slant = longest > cell - 8;
  const headerH = title ? 76 : 50;
  const left = 36 + longest + 14;
  const top = headerH;
  const grid = cell * k;
  const colLabelH = slant ? longest * Math.sin((40 * Math.PI) / 180) + 22 : 26;
  const recallW = 70;
  const summary = (total === 0 ? 'no samples' : `accuracy ${percent(correct / total)} (${correct} of ${total})`) + (note ? `; ${note}` : '');
  const width = Math.max(left + grid + recallW + 16, textWidth(summary, 13) + 32, title ? textWidth(title, 17) + 32 : 0);
  const height = top + grid + colLabelH + 34;

  const cells: string[] = [];
  const showShare = cell >= 48;
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const count = m[r][c];
      const share = rowTotals[r] === 0 ? 0 : count / rowTotals[r];
      // Errors saturate at half the row and follow a square-root ramp, so a 10 % confusion stands
      // out while 0.5 % noise stays faint.
      const t = r === c ? 0.15 + 0.85 * share : Math.min(1, Math.sqrt(share / 0.5));
      const fill = count === 0 ? LOW : blend(LOW, r === c ? CORRECT : WRONG, t);
      const ink = luminance(fill) < 0.4 ? '#ffffff' : INK;
      const x = left + c * cell;
      const y = top + r * cell;
      const cx = x + cell / 2;
      const countY = showShare ? y + cell / 2 - 1 : y + cell / 2 + 4.5;
      const parts = [
        el('rect', { class: 'cell', x: x + 1, y: y + 1, width: cell - 2, height: cell - 2, rx: 3, fill, 'data-row': r, 'data-col': c, 'data-count': count }),
        el('text', { class: 'count', x: cx, y: countY, 'text-anchor': 'middle', 'font-size': cell >= 48 ? 15 : 12, 'font-weight': r === c ? 700 : 500, fill: count === 0 ? '#cbd5e1' : ink }, text(String(count))),
      ];
      if (showShare && count > 0) {
        parts.push(el('text', { x: cx, y: countY + 16, 'text-anchor': 'middle', 'font-size': 11, fill: ink, opacity: 0.85 }, text(percent(share))));
      }
      cells.push(el('g', {}, ...parts));
    }
  }

  const labels: string[] = [];
  names.forEach((name, i) => {
    labels.push(el('text', { class: 'row-label', x: left - 10, y: top + i * cell + cell / 2 + 4.5, 'text-anchor': 'end', 'font-size': labelFont }, text(name)));
    const cx = left + i * cell + cell / 2;
    const cy = top + grid + 16;
    labels.push(slant
      ? el('text', { class: 'col-label', x: cx + 4, y: cy, 'text-anchor': 'end', 'font-size': labelFont, transform: `rotate(-40 ${cx + 4} ${cy})` }, text(name))
      : el('text', { class: 'col-label', x: cx, y: cy + 4, 'text-anchor': 'middle', 'font-size': labelFont }, text(name)));
    // Per-class recall: the share of each actual class the model got right.
    const recall = rowTotals[i] === 0 ? '–' : percent(rowCorrect[i] / rowTotals[i]);
    labels.push(el('text', { class: 'recall', x: left + grid + 12, y: top + i * cell + cell / 2 + 4.5, 'font-size': 12, fill: MUTED }, text(recall)));
  });
  const axisTitles = [
    el('text', { x: left + grid / 2, y: height - 12, 'text-anchor': 'middle', 'font-size': 13, 'font-weight': 600 }, text('Predicted')),
    el('text', { x: 20, y: top + grid / 2, 'text-anchor': 'middle', 'font-size': 13, 'font-weight': 600, transform: `rotate(-90 20 ${top + grid / 2})` }, text('Actual')),
    el('text', { x: left + grid + 12, y: top - 10, 'font-size': 12, fill: MUTED }, text('recall')),
  ];
  const header = title
    ? [el('text', { x: 16, y: 28, 'font-size': 17, 'font-weight': 600 }, text(title)), el('text', { x: 16, y: 48, 'font-size': 13, fill: MUTED }, text(summary))]
    : [el('text', { x: 16, y: 20, 'font-size': 13, fill: MUTED }, text(summary))];
  return svgDocument(width, height, title ?? 'Confusion matrix', ...header, el('g', { class: 'cells' }, cells.join('')), el('g', { class: 'labels' }, labels.join('')), ...axisTitles);
}

function percent(v: number): string {
  const p = v * 100;
  return `${p === 100 || p === 0 || p >= 99.95 ? p.toFixed(0) : p.toFixed(1)}%`;
}

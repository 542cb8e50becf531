// The classic picture for 2-D datasets (XOR, circles, spirals): the plane coloured by the class a
// model predicts, a line along the decision boundary, and the data points on top.

import { allocFloat32, allocInt32 } from '../alloc';
import { labelValues, type Labels } from '../data/one-hot';
import { Tensor } from '../tensor';
import { checkInt, checkOneOf, checkRange, fail, shapeString } from '../validate';
import { drawAxes } from './axes';
import { zeroContour } from './contour';
import { categorical, rgbOf } from './palette';
import { encodePng } from './png';
import { linearScale } from './scale';
import { el, MUTED, num, svgDocument, text, textWidth, uniqueId } from './svg';

/** What a decision boundary's predict function returns; 'auto' tells from its values. */
export type PredictOutput = 'auto' | 'labels' | 'probabilities' | 'logits';

/** Options of {@link decisionBoundarySvg}. */
export interface DecisionBoundaryOptions {
  /** Called with m points as [m, 2] row-major floats (e.g. `(p, m) => model.predict(new Tensor(p,
   *  [m, 2]))`); returns m·k numbers, as an array or a Tensor: k ≥ 2 class
   *  probabilities or scores per point, or one number per point (a label, a probability of
   *  class 1, or a logit — see `output`). */
  predict: (points: Float32Array, m: number) => ArrayLike<number> | Tensor;
  /** [n, 2] data points. */
  x: Tensor;
  /** [n] their class indices. */
  y: Labels;
  /** Grid cells per side (default 150). */
  resolution?: number;
  /** How to read one number per point: 'auto' (default) takes integers as labels, other values in
   *  [0, 1] as the probability of class 1, anything else as a logit (class 1 when > 0). */
  output?: PredictOutput;
  classNames?: readonly string[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Side of the square plot area in pixels (default 480). */
  size?: number;
  /** Margin around the data, as a fraction of its extent (default 0.1). */
  padding?: number;
}

interface Decisions {
  /** Predicted class per point. */
  label: Int32Array;
  /** How sure, 0 (a tie) to 1 (certain), per point. */
  confidence: Float32Array;
  /** Per class k: margin of k over the best other class, per point (zero on the boundary). */
  margin: (k: number) => Float32Array;
  numClasses: number;
}

function readPredictions(fn: string, raw: ArrayLike<number>, m: number, output: PredictOutput, minClasses: number): Decisions {
  if (raw === null || typeof raw !== 'object' || typeof raw.length !== 'number') fail(fn, 'predict(...) result', 'an array of numbers', raw, 'type');
  if (raw.length === 0 || raw.length % m !== 0) fail(fn, 'predict(...) result', `m·k numbers for m = ${m} points`, `length ${raw.length}`);
  const k = raw.length / m;
  for (let i = 0; i < raw.length; i++) {
    if (typeof raw[i] !== 'number' || !Number.isFinite(raw[i])) fail(fn, `predict(...) result[${i}]`, 'a finite number', raw[i], typeof raw[i] === 'number' ? 'range' : 'type');
  }
  const label = allocInt32(m);
  const confidence = allocFloat32(m);
  if (k >= 2) {
    if (output === 'labels') fail(fn, 'options.output', `'auto', 'probabilities' or 'logits' for ${k} numbers per point`, "'labels'");
    // Scores become probabilities through a softmax unless they already are probabilities.
    let isProb = output === 'probabilities';
    if (output === 'auto') {
      isProb = true;
      for (let p = 0; p < m && isProb; p++) {
        let sum = 0;
        for (let c = 0; c < k; c++) {
          const v = raw[p * k + c];
          if (v < 0 || v > 1) isProb = false;
          sum += v;
        }
        if (Math.abs(sum - 1) > 1e-3) isProb = false;
      }
    }
    const prob = allocFloat32(m * k);
    for (let p = 0; p < m; p++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, raw[p * k + c]);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += prob[p * k + c] = isProb ? raw[p * k + c] : Math.exp(raw[p * k + c] - max);
      let best = 0;
      for (let c = 0; c < k; c++) {
        prob[p * k + c] /= sum;
        if (prob[p * k + c] > prob[p * k + best]) best = c;
      }
      label[p] = best;
      confidence[p] = (prob[p * k + best] - 1 / k) / (1 - 1 / k);
    }
    const margin = (cls: number) => {
      const g = allocFloat32(m);
      for (let p = 0; p < m; p++) {
        let other = -Infinity;
        for (let c = 0; c < k; c++) if (c !== cls) other = Math.max(other, prob[p * k + c]);
        g[p] = prob[p * k + cls] - other;
      }
      return g;
    };
    return { label, confidence, margin, numClasses: Math.max(k, minClasses) };
  }

  let mode = output;
  if (mode === 'auto') {
    const all = Array.from({ length: m }, (_, i) => raw[i]);
    mode = all.every(Number.isInteger) ? 'labels' : all.every((v) => v >= 0 && v <= 1) ? 'probabilities' : 'logits';
  }
  if (mode === 'labels') {
    let top = minClasses - 1;
    for (let p = 0; p < m; p++) {
      const v = raw[p];
      if (!Number.isInteger(v) || v < 0) fail(fn, `predict(...) result[${p}]`, 'a class index (an integer ≥ 0)', String(v));
      label[p] = v;
      confidence[p] = 1;
      if (v > top) top = v;
    }
    const margin = (cls: number) => {
      const g = allocFloat32(m);
      for (let p = 0; p < m; p++) g[p] = label[p] === cls ? 1 : -1;
      return g;
    };
    return { label, confidence, margin, numClasses: Math.max(top + 1, 2) };
  }
  const p1 = allocFloat32(m);
  for (let p = 0; p < m; p++) {
    const v = raw[p];
    if (mode === 'probabilities' && (v < 0 || v > 1)) fail(fn, `predict(...) result[${p}]`, 'a probability in [0, 1]', String(v));
    p1[p] = mode === 'probabilities' ? v : 1 / (1 + Math.exp(-v));
    label[p] = p1[p] > 0.5 ? 1 : 0;
    confidence[p] = Math.abs(2 * p1[p] - 1);
  }
  const margin = (cls: number) => {
    const g = allocFloat32(m);
    for (let p = 0; p < m; p++) g[p] = cls === 1 ? 2 * p1[p] - 1 : 1 - 2 * p1[p];
    return g;
  };
  return { label, confidence, margin, numClasses: Math.max(2, minClasses) };
}

/** The plotted window: the data's bounding box plus padding, made square when the data is not
 *  much more elongated than 2:1 (circles should look round). */
function window(x: Tensor, padding: number): { x0: number; x1: number; y0: number; y1: number } {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < x.shape[0]; i++) {
    const a = x.data[2 * i];
    const b = x.data[2 * i + 1];
    if (a < x0) x0 = a;
    if (a > x1) x1 = a;
    if (b < y0) y0 = b;
    if (b > y1) y1 = b;
  }
  let w = Math.max(x1 - x0, 1e-6);
  let h = Math.max(y1 - y0, 1e-6);
  if (w / h <= 2 && h / w <= 2) w = h = Math.max(w, h);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const pw = w * (0.5 + padding);
  const ph = h * (0.5 + padding);
  return { x0: cx - pw, x1: cx + pw, y0: cy - ph, y1: cy + ph };
}

/** An SVG of the model's predicted class over the plane around the data, with the data points. */
export function decisionBoundarySvg(options: DecisionBoundaryOptions): string {
  const fn = 'decisionBoundarySvg';
  if (typeof options !== 'object' || options === null) fail(fn, 'options', 'an object', options, 'type');
  const { predict, x, title, xLabel = 'x₁', yLabel = 'x₂' } = options;
  if (typeof predict !== 'function') fail(fn, 'options.predict', 'a function (points, m) => predictions', predict, 'type');
  if (!(x instanceof Tensor)) fail(fn, 'options.x', 'a Tensor of shape [n, 2]', x, 'type');
  if (x.rank !== 2 || x.shape[1] !== 2 || x.shape[0] === 0) fail(fn, 'options.x', 'a Tensor of shape [n, 2] with n ≥ 1', `shape ${shapeString(x.shape)}`);
  const n = x.shape[0];
  const y = labelValues(fn, 'options.y', options.y);
  if (y.length !== n) fail(fn, 'options.y', `${n} labels, one per row of x`, `${y.length}`);
  const res = options.resolution === undefined ? 150 : checkInt(fn, 'options.resolution', options.resolution, 2, 1000);
  const size = options.size === undefined ? 480 : checkInt(fn, 'options.size', options.size, 120, 4000);
  const padding = options.padding === undefined ? 0.1 : checkRange(fn, 'options.padding', options.padding, 0, 2);
  const output = options.output === undefined ? 'auto' : checkOneOf(fn, 'options.output', options.output, ['auto', 'labels', 'probabilities', 'logits'] as const);
  for (const [name, v] of [['title', title], ['xLabel', xLabel], ['yLabel', yLabel]] as const) {
    if (v !== undefined && typeof v !== 'string') fail(fn, `options.${name}`, 'a string', v, 'type');
  }
  let maxLabel = 0;
  for (let i = 0; i < n; i++) maxLabel = Math.max(maxLabel, y[i]);
  const names = options.classNames;
  if (names !== undefined && (!Array.isArray(names) || names.some((s) => typeof s !== 'string'))) fail(fn, 'options.classNames', 'an array of strings', names, 'type');

  // Grid cell centres, top row first (pixel rows run downwards).
  const win = window(x, padding);
  const m = res * res;
  const grid = allocFloat32(m * 2);
  for (let j = 0; j < res; j++) {
    const gy = win.y1 - ((j + 0.5) / res) * (win.y1 - win.y0);
    for (let i = 0; i < res; i++) {
      grid[2 * (j * res + i)] = win.x0 + ((i + 0.5) / res) * (win.x1 - win.x0);
      grid[2 * (j * res + i) + 1] = gy;
    }
  }
  const minClasses = Math.max(maxLabel + 1, names?.length ?? 0);
  // A model's predict returns a Tensor; a hand-written function may return any array.
  const call = (points: Float32Array, count: number) => {
    const out = predict(points, count);
    return out instanceof Tensor ? out.data : out;
  };
  const onGrid = readPredictions(fn, call(grid, m), m, output, minClasses);
  const onData = readPredictions(fn, call(x.data.slice(), n), n, output, minClasses);
  const k = Math.max(onGrid.numClasses, onData.numClasses);
  if (names !== undefined && names.length < k) fail(fn, 'options.classNames', `${k} names, one per class`, `${names.length}`);
  const classNames = names ?? Array.from({ length: k }, (_, c) => `class ${c}`);

  // Layout.
  const legendItems = classNames.slice(0, k);
  const left = 70;
  const top = title ? 92 : 64;
  const area = { left, top, width: size, height: size };
  const xs = linearScale(win.x0, win.x1, left, left + size, Math.max(2, Math.floor(size / 90)), { nice: false });
  const ys = linearScale(win.y0, win.y1, top + size, top, Math.max(2, Math.floor(size / 90)), { nice: false });
  const px = (i: number) => left + (i / res) * size;
  const py = (j: number) => top + (j / res) * size;

  // Regions: one pixel per grid cell, the class colour mixed with white, lighter where the model
  // is less sure. The renderer's smoothing when it scales the image up turns this into a gradient.
  const rgb = new Uint8Array(m * 3);
  const base = Array.from({ length: k }, (_, c) => rgbOf(categorical(c)));
  for (let p = 0; p < m; p++) {
    const white = 0.9 - 0.34 * onGrid.confidence[p];
    const [cr, cg, cb] = base[onGrid.label[p]];
    rgb[3 * p] = Math.round(cr + (255 - cr) * white);
    rgb[3 * p + 1] = Math.round(cg + (255 - cg) * white);
    rgb[3 * p + 2] = Math.round(cb + (255 - cb) * white);
  }
  const href = `data:image/png;base64,${encodePng(rgb, res, res).toString('base64')}`;
  const regions = el('image', { class: 'regions', x: left, y: top, width: size, height: size, preserveAspectRatio: 'none', href, 'xlink:href': href, 'data-resolution': res });

  // Boundary: the zero line of each class's margin (one line serves both sides of two classes).
  const segments: string[] = [];
  for (let c = 0; c < (k === 2 ? 1 : k); c++) {
    const seg = zeroContour(onGrid.margin(c), res, res);
    let d = '';
    for (let s = 0; s < seg.length; s += 4) {
      d += `M${num(px(seg[s] + 0.5))},${num(py(seg[s + 1] + 0.5))}L${num(px(seg[s + 2] + 0.5))},${num(py(seg[s + 3] + 0.5))}`;
    }
    if (d) segments.push(el('path', { class: 'boundary', d, fill: 'none', stroke: '#111827', 'stroke-width': 1.6, 'stroke-opacity': 0.75, 'stroke-linecap': 'round' }));
  }

  // Data points in their true class colour; a dark ring marks the ones the model gets wrong.
  const r = n <= 300 ? 4.5 : n <= 2000 ? 3.2 : 2.2;
  const points: string[] = [];
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const miss = onData.label[i] !== y[i];
    if (miss) wrong++;
    points.push(el('circle', {
      class: miss ? 'point misclassified' : 'point', cx: xs(x.data[2 * i]), cy: ys(x.data[2 * i + 1]), r,
      fill: categorical(y[i]), stroke: miss ? '#111827' : '#ffffff', 'stroke-width': miss ? Math.max(1, r * 0.42) : r / 4.5, 'data-label': y[i],
    }));
  }

  const legend: string[] = [];
  let lx = left;
  const ly = top - 22;
  legendItems.forEach((name, c) => {
    legend.push(el('circle', { cx: lx + 6, cy: ly - 4, r: 5.5, fill: categorical(c), stroke: '#ffffff', 'stroke-width': 1 }));
    legend.push(el('text', { x: lx + 17, y: ly + 0.5, 'font-size': 13 }, text(name)));
    lx += 17 + textWidth(name, 13) + 18;
  });
  if (wrong > 0) {
    legend.push(el('circle', { cx: lx + 6, cy: ly - 4, r: 5, fill: '#ffffff', stroke: '#111827', 'stroke-width': 2 }));
    legend.push(el('text', { x: lx + 17, y: ly + 0.5, 'font-size': 13 }, text('misclassified')));
    lx += 17 + textWidth('misclassified', 13) + 18;
  }
  const accuracy = `accuracy ${(((n - wrong) / n) * 100).toFixed(1)}% on the ${n} points shown`;
  const width = Math.max(left + size + 24, lx + 8);
  const height = top + size + 58;
  const clip = uniqueId('blasnet-boundary-area');
  return svgDocument(width, height, title ?? 'Decision boundary',
    title ? el('text', { x: left, y: 28, 'font-size': 17, 'font-weight': 600 }, text(title)) : '',
    el('text', { x: left, y: title ? 48 : 20, 'font-size': 13, fill: MUTED }, text(accuracy)),
    el('defs', {}, el('clipPath', { id: clip }, el('rect', { x: left, y: top, width: size, height: size }))),
    regions,
    el('g', { class: 'boundaries', 'clip-path': `url(#${clip})` }, segments.join('')),
    drawAxes(area, xs, ys, xLabel, yLabel, false),
    el('g', { class: 'points' }, points.join('')),
    el('g', { class: 'legend' }, legend.join('')),
  );
}

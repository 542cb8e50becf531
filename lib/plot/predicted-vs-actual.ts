// A regression model's test predictions against the truth: points on the diagonal are exact, and
// the cloud's spread and bends show where the model is off.

import { fail } from '../validate';
import { drawAxes } from './axes';
import { categorical } from './palette';
import { linearScale } from './scale';
import { el, MUTED, svgDocument, text } from './svg';
import { ordinal } from '../words';

/** Options of {@link predictedVsActualSvg}. */
export interface PredictedVsActualOptions {
  actual: ArrayLike<number>;
  predicted: ArrayLike<number>;
  title?: string;
  /** What the values are (axis titles say "actual <label>" and "predicted <label>"). */
  label?: string;
  width?: number;
  height?: number;
  /** Most points drawn; beyond it an evenly spaced subset is (the SVG stays small). Default 5000. */
  maxPoints?: number;
}

/** A scatter plot of predicted against actual values with the line y = x. Returns the SVG text. */
export function predictedVsActualSvg(options: PredictedVsActualOptions): string {
  const fn = 'predictedVsActualSvg';
  if (typeof options !== 'object' || options === null) fail(fn, 'options', 'an object', options, 'type');
  const { actual, predicted, title, label, width = 560, height = 520, maxPoints = 5000 } = options;
  const isList = (v: unknown) => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!isList(actual) || actual.length === 0) fail(fn, 'options.actual', 'a non-empty array of numbers', actual, 'type');
  if (!isList(predicted) || predicted.length !== actual.length) fail(fn, 'options.predicted', `an array of ${actual.length} numbers like actual`, predicted, isList(predicted) ? 'range' : 'type');
  if (!Number.isInteger(maxPoints) || maxPoints < 1) fail(fn, 'options.maxPoints', 'an integer ≥ 1', String(maxPoints));
  const n = actual.length;
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  const points: [number, number][] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i += stride) {
    const a = actual[i];
    const p = predicted[i];
    if (!Number.isFinite(a) || !Number.isFinite(p)) continue;
    points.push([a, p]);
    lo = Math.min(lo, a, p);
    hi = Math.max(hi, a, p);
  }
  if (points.length === 0) fail(fn, 'options.actual', 'at least one finite pair', 'none');
  // One scale for both axes, so the diagonal is at 45° and distances read the same both ways.
  const left = 78;
  const top = title ? 52 : 22;
  const size = Math.min(width - left - 24, height - top - 56);
  if (size < 60) fail(fn, 'options.width', 'room for the plot', `${width}×${height}`);
  const area = { left, top, width: size, height: size };
  const x = linearScale(lo, hi, area.left, area.left + size, 5);
  const y = linearScale(lo, hi, area.top + size, area.top, 5);
  const [d0, d1] = x.domain;
  const color = categorical(0);
  const dots = points.map(([a, p]) => el('circle', { cx: x(a), cy: y(p), r: 2.5, fill: color, 'fill-opacity': 0.55 }));
  const what = label ? ` ${label}` : '';
  const note = stride > 1 ? el('text', { x: area.left + size, y: top - 8, 'text-anchor': 'end', 'font-size': 11, fill: MUTED }, text(`every ${ordinal(stride)} of ${n} points`)) : '';
  return svgDocument(width, height, title,
    title ? el('text', { x: area.left, y: 30, 'font-size': 17, 'font-weight': 600 }, text(title)) : '',
    drawAxes(area, x, y, `actual${what}`, `predicted${what}`),
    el('line', { class: 'diagonal', x1: x(d0), y1: y(d0), x2: x(d1), y2: y(d1), stroke: MUTED, 'stroke-width': 1.25, 'stroke-dasharray': '6 4' }),
    el('g', { class: 'points' }, ...dots),
    note,
  );
}

/** 'log' when positive values span at least two decades (a loss falling from 12,000 to 3), else
 *  'linear'. */
export function autoYScale(values: ArrayLike<number>): 'linear' | 'log' {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v <= 0) return 'linear';
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi / lo >= 100 ? 'log' : 'linear';
}

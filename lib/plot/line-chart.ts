// Curves over epochs (loss, accuracy; training vs validation): the picture for diagnosing under-
// and over-fitting.

import { checkOneOf, fail } from '../validate';
import { drawAxes } from './axes';
import { categorical } from './palette';
import { extent, linearScale, logScale, type Scale } from './scale';
import { el, MUTED, svgDocument, text, textWidth, uniqueId } from './svg';

/** One line of a chart. */
export interface LineSeries {
  name: string;
  /** One value per point; NaN or ±Infinity leaves a gap (e.g. a diverged loss). */
  values: ArrayLike<number>;
  /** x of each point. Default 1, 2, 3, … (epoch numbers). */
  x?: ArrayLike<number>;
  color?: string;
  dashed?: boolean;
  /** Ring and label the best point: 'min' for a loss, 'max' for an accuracy. */
  mark?: 'min' | 'max';
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  series: LineSeries[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  yScale?: 'linear' | 'log';
  /** Fix the y range (e.g. 0 and 1 for an accuracy); by default it is fitted to the data. */
  yMin?: number;
  yMax?: number;
}

interface Prepared {
  s: LineSeries;
  xs: number[];
  ys: number[];
  color: string;
}

function prepare(fn: string, series: unknown, log: boolean): Prepared[] {
  if (!Array.isArray(series) || series.length === 0) fail(fn, 'options.series', 'a non-empty array of { name, values }', series, 'type');
  return series.map((s: LineSeries, i) => {
    const arg = `options.series[${i}]`;
    if (typeof s !== 'object' || s === null) fail(fn, arg, 'an object { name, values }', s, 'type');
    if (typeof s.name !== 'string') fail(fn, `${arg}.name`, 'a string', s.name, 'type');
    const isList = (v: unknown) => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
    if (!isList(s.values) || s.values.length === 0) fail(fn, `${arg}.values`, 'a non-empty array of numbers', s.values, 'type');
    const ys = Array.from(s.values, (v, j) => {
      if (typeof v !== 'number') fail(fn, `${arg}.values[${j}]`, 'a number', v, 'type');
      return Number.isFinite(v) && (!log || v > 0) ? v : NaN;
    });
    if (log && Array.from(s.values).some((v) => Number.isFinite(v) && v <= 0)) {
      fail(fn, `${arg}.values`, "positive numbers for yScale 'log'", `${Array.from(s.values).find((v) => v <= 0)}`);
    }
    let xs: number[];
    if (s.x === undefined) xs = ys.map((_, j) => j + 1);
    else {
      if (!isList(s.x) || s.x.length !== ys.length) fail(fn, `${arg}.x`, `an array of ${ys.length} numbers like values`, s.x, isList(s.x) ? 'range' : 'type');
      xs = Array.from(s.x, (v, j) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(fn, `${arg}.x[${j}]`, 'a finite number', v, typeof v === 'number' ? 'range' : 'type');
        return v;
      });
    }
    if (s.color !== undefined && (typeof s.color !== 'string' || !/^#[0-9a-f]{6}$/i.test(s.color))) fail(fn, `${arg}.color`, "a colour '#rrggbb'", s.color, typeof s.color === 'string' ? 'range' : 'type');
    if (s.mark !== undefined) checkOneOf(fn, `${arg}.mark`, s.mark, ['min', 'max'] as const);
    return { s, xs, ys, color: s.color ?? categorical(i) };
  });
}

/** Path data with a new subpath after each gap, so one <path> per series. */
function pathData(p: Prepared, x: Scale, y: Scale): string {
  let d = '';
  let pen = false;
  for (let j = 0; j < p.ys.length; j++) {
    if (Number.isNaN(p.ys[j])) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(p.xs[j]).toFixed(2)},${y(p.ys[j]).toFixed(2)}`;
    pen = true;
  }
  return d;
}

function bestIndex(ys: number[], mode: 'min' | 'max'): number {
  let best = -1;
  for (let j = 0; j < ys.length; j++) {
    if (Number.isNaN(ys[j])) continue;
    if (best < 0 || (mode === 'min' ? ys[j] < ys[best] : ys[j] > ys[best])) best = j;
  }
  return best;
}

/** An SVG line chart: one line per series, axes with ticks, a legend. Returns the SVG text. */
export function lineChart(options: LineChartOptions): string {
  const fn = 'lineChart';
  if (typeof options !== 'object' || options === null) fail(fn, 'options', 'an object', options, 'type');
  const { title, xLabel, yLabel, width = 720, height = 440, yMin, yMax } = options;
  const log = (options.yScale === undefined ? 'linear' : checkOneOf(fn, 'options.yScale', options.yScale, ['linear', 'log'] as const)) === 'log';
  for (const [name, v] of [['title', title], ['xLabel', xLabel], ['yLabel', yLabel]] as const) {
    if (v !== undefined && typeof v !== 'string') fail(fn, `options.${name}`, 'a string', v, 'type');
  }
  for (const [name, v, min] of [['width', width, 240], ['height', height, 180]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) fail(fn, `options.${name}`, `a number ≥ ${min}`, v, typeof v === 'number' ? 'range' : 'type');
  }
  for (const [name, v] of [['yMin', yMin], ['yMax', yMax]] as const) {
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) fail(fn, `options.${name}`, 'a finite number', v, typeof v === 'number' ? 'range' : 'type');
  }
  const prepared = prepare(fn, options.series, log);

  const allY = prepared.flatMap((p) => p.ys.filter((v) => !Number.isNaN(v)));
  if (allY.length === 0) fail(fn, 'options.series', 'at least one finite value', 'none');
  const allX = prepared.flatMap((p) => p.xs);
  const [yLo, yHi] = extent(allY);
  const lo = yMin ?? yLo;
  const hi = yMax ?? yHi;
  if (!(hi >= lo)) fail(fn, 'options.yMax', `a number ≥ yMin ${lo}`, String(hi));
  if (log && lo <= 0) fail(fn, 'options.yMin', "a positive number for yScale 'log'", String(lo));

  // Header: the title, then legend rows (wrapped to the width). The best point of a marked series
  // goes in its legend entry, where it can never collide with a curve.
  const left = yLabel ? 78 : 58;
  const best = prepared.map((p) => (p.s.mark ? bestIndex(p.ys, p.s.mark) : -1));
  const labels = prepared.map((p, i) => (p.s.mark ? `${p.s.name} (${p.s.mark} ${formatValue(p.ys[best[i]])} at ${p.xs[best[i]]})` : p.s.name));
  const legendPos: { x: number; y: number }[] = [];
  let cursorX = left;
  let cursorY = title ? 52 : 22;
  labels.forEach((label) => {
    const w = 33 + textWidth(label, 13);
    if (cursorX > left && cursorX + w > width - 16) {
      cursorX = left;
      cursorY += 20;
    }
    legendPos.push({ x: cursorX, y: cursorY });
    cursorX += w + 22;
  });
  const area = { left, top: cursorY + 22, width: width - left - 24, height: 0 };
  area.height = height - area.top - (xLabel ? 56 : 36);
  if (area.height < 60) fail(fn, 'options.height', `room for the plot below ${legendPos.length} legend entries`, String(height));

  const integerX = allX.every(Number.isInteger);
  // A little room at both ends so the first and last markers are not cut by the frame.
  const [xLo, xHi] = extent(allX);
  const xPad = (xHi - xLo) * 0.02;
  const x = linearScale(xLo - xPad, xHi + xPad, area.left, area.left + area.width, Math.max(2, Math.floor(area.width / 80)), { integer: integerX, nice: false });
  const y = log
    ? logScale(lo, hi, area.top + area.height, area.top)
    : linearScale(lo, hi, area.top + area.height, area.top, Math.max(2, Math.floor(area.height / 50)), { nice: yMin === undefined || yMax === undefined });

  const lines: string[] = [];
  const markers: string[] = [];
  const legend: string[] = [];
  prepared.forEach((p, i) => {
    const dash = p.s.dashed ? '7 5' : undefined;
    lines.push(el('path', { class: 'series', 'data-series': p.s.name, d: pathData(p, x, y), fill: 'none', stroke: p.color, 'stroke-width': 2.25, 'stroke-linejoin': 'round', 'stroke-linecap': 'round', 'stroke-dasharray': dash }));
    const visible = p.ys.filter((v) => !Number.isNaN(v)).length;
    if (visible <= 40) {
      // Points are few enough to show each epoch; a lone point between gaps would otherwise vanish.
      p.ys.forEach((v, j) => {
        if (!Number.isNaN(v)) markers.push(el('circle', { cx: x(p.xs[j]), cy: y(v), r: 3, fill: p.color, stroke: '#ffffff', 'stroke-width': 1 }));
      });
    }
    if (best[i] >= 0) {
      const px = x(p.xs[best[i]]);
      const py = y(p.ys[best[i]]);
      markers.push(el('g', { class: 'best', 'data-series': p.s.name },
        el('line', { x1: px, y1: area.top, x2: px, y2: area.top + area.height, stroke: p.color, 'stroke-width': 1, 'stroke-dasharray': '2 4', opacity: 0.8 }),
        el('circle', { cx: px, cy: py, r: 6.5, fill: 'none', stroke: p.color, 'stroke-width': 2 })));
    }
    const { x: lx, y: ly } = legendPos[i];
    legend.push(el('g', { class: 'legend-item' },
      el('line', { x1: lx, y1: ly, x2: lx + 26, y2: ly, stroke: p.color, 'stroke-width': 2.5, 'stroke-dasharray': dash, 'stroke-linecap': 'round' }),
      el('text', { x: lx + 33, y: ly + 4.5, 'font-size': 13 }, text(labels[i]))));
  });

  const clipId = uniqueId('blasnet-plot-area');
  return svgDocument(width, height, title,
    title ? el('text', { x: area.left, y: 30, 'font-size': 17, 'font-weight': 600 }, text(title)) : '',
    el('defs', {}, el('clipPath', { id: clipId }, el('rect', { x: area.left - 9, y: area.top - 9, width: area.width + 18, height: area.height + 18 }))),
    drawAxes(area, x, y, xLabel, yLabel),
    el('g', { class: 'lines', 'clip-path': `url(#${clipId})` }, lines.join('') + markers.join('')),
    el('g', { class: 'legend', fill: MUTED }, legend.join('')),
  );
}

function formatValue(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

// Axis arithmetic: linear and log maps from data to pixels, and "nice" tick values (1, 2, 2.5, 5
// times a power of ten) so a reader can interpolate.

export interface Scale {
  (v: number): number;
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  readonly format: (v: number) => string;
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  return nice * mag;
}

/** Decimal places needed to print multiples of step exactly. */
function decimalsFor(step: number): number {
  for (let d = 0; d < 10; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-9) return d;
  return 10;
}

export function formatNumber(v: number, decimals: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-4)) return v.toExponential(1).replace('e+', 'e');
  const s = v.toFixed(decimals);
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s;
}

/** Ticks covering [lo, hi] with about `count` intervals; the domain is widened to the outer ticks. */
export function niceTicks(lo: number, hi: number, count = 5, integer = false): { domain: [number, number]; ticks: number[]; decimals: number } {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  let step = niceStep(hi - lo, count);
  if (integer) step = Math.max(1, Math.round(step));
  const start = Math.floor(lo / step + 1e-9) * step;
  const end = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; start + i * step <= end + step * 1e-9; i++) ticks.push(Math.round((start + i * step) / step) * step);
  return { domain: [start, end], ticks, decimals: decimalsFor(step) };
}

export function linearScale(lo: number, hi: number, pixelLo: number, pixelHi: number, count = 5, options: { integer?: boolean; nice?: boolean } = {}): Scale {
  const nice = niceTicks(lo, hi, count, options.integer);
  const domain: [number, number] = options.nice === false && hi > lo ? [lo, hi] : nice.domain;
  const ticks = nice.ticks.filter((t) => t >= domain[0] - 1e-9 * Math.abs(domain[1] - domain[0]) && t <= domain[1] + 1e-9 * Math.abs(domain[1] - domain[0]));
  const k = (pixelHi - pixelLo) / (domain[1] - domain[0]);
  const f = ((v: number) => pixelLo + (v - domain[0]) * k) as Scale;
  return Object.assign(f, { domain, ticks, format: (v: number) => formatNumber(v, nice.decimals) });
}

/** Base-10 log scale over positive values; ticks at powers of ten, plus 2 and 5 over short spans. */
export function logScale(lo: number, hi: number, pixelLo: number, pixelHi: number): Scale {
  let a = Math.floor(Math.log10(lo));
  let b = Math.ceil(Math.log10(hi));
  if (b === a) b = a + 1;
  const decades = b - a;
  const ticks: number[] = [];
  for (let e = a; e <= b; e++) {
    for (const m of decades <= 2 ? [1, 2, 5] : [1]) {
      const t = m * 10 ** e;
      if (t <= 10 ** b * (1 + 1e-9)) ticks.push(t);
    }
  }
  // Tighten the domain to the data's own range rounded to the ticks that bracket it.
  const below = ticks.filter((t) => t <= lo * (1 + 1e-9));
  const above = ticks.filter((t) => t >= hi * (1 - 1e-9));
  const dLo = below.length > 0 ? below[below.length - 1] : 10 ** a;
  const dHi = above.length > 0 ? above[0] : 10 ** b;
  a = Math.log10(dLo);
  const span = Math.log10(dHi) - a;
  const f = ((v: number) => pixelLo + ((Math.log10(v) - a) / span) * (pixelHi - pixelLo)) as Scale;
  const format = (v: number) => {
    const e = Math.floor(Math.log10(v) + 1e-9);
    return e >= -3 && e <= 4 ? formatNumber(v, Math.max(0, -e)) : v.toExponential(0).replace('e+', 'e');
  };
  return Object.assign(f, { domain: [dLo, dHi] as [number, number], ticks: ticks.filter((t) => t >= dLo * (1 - 1e-9) && t <= dHi * (1 + 1e-9)), format });
}

/** [min, max] of the values, by a loop: a spread into Math.min overflows the stack for long arrays. */
export function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

// Tableau 10: distinct, colour-blind-tolerant for the first few classes (blue/orange lead).
export const CATEGORICAL: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];

export function categorical(i: number): string {
  return CATEGORICAL[i % CATEGORICAL.length];
}

export function rgbOf(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Interpolates between two colours, t in [0, 1]. */
export function blend(from: string, to: string, t: number): string {
  const a = rgbOf(from);
  const b = rgbOf(to);
  return '#' + a.map((c, i) => Math.round(c + (b[i] - c) * t).toString(16).padStart(2, '0')).join('');
}

/** Relative luminance (sRGB, WCAG formula), to choose dark or light text on a fill. */
export function luminance(hex: string): number {
  const lin = rgbOf(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

'use strict';
// The scaling plot: two line charts side by side in one SVG. Uses blasnet's own lineChart when the
// library has one (lib/plot), else the small chart below: axes from zero, ticks, one polyline per
// series, a legend.
const { hasModule, requireModule } = require('./load.cjs');

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e'];

function niceStep(max, ticks) {
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw);
  return step;
}

function escapeXml(text) {
  return String(text).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);
}

/** One chart as an SVG fragment at (0,0), width × height. series: [{ name, points: [[x, y]], dashed }]. */
function simpleLineChart({ title, xLabel, yLabel, series, width = 460, height = 320 }) {
  const left = 60, right = 15, top = 30, bottom = 45;
  const all = series.flatMap((s) => s.points);
  const xStep = niceStep(Math.max(...all.map((p) => p[0])) || 1, 5);
  const yStep = niceStep(Math.max(...all.map((p) => p[1])) || 1, 5);
  const xMax = Math.ceil(Math.max(...all.map((p) => p[0])) / xStep) * xStep || 1;
  const yMax = Math.ceil(Math.max(...all.map((p) => p[1])) / yStep) * yStep || 1;
  const px = (x) => left + (x / xMax) * (width - left - right);
  const py = (y) => height - bottom - (y / yMax) * (height - top - bottom);
  const out = [];
  out.push(`<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`);
  out.push(`<line x1="${left}" y1="${py(0)}" x2="${px(xMax)}" y2="${py(0)}" stroke="#000"/>`);
  out.push(`<line x1="${left}" y1="${py(0)}" x2="${left}" y2="${py(yMax)}" stroke="#000"/>`);
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    out.push(`<line x1="${px(x)}" y1="${py(0)}" x2="${px(x)}" y2="${py(0) + 4}" stroke="#000"/>`);
    out.push(`<text x="${px(x)}" y="${py(0) + 16}" text-anchor="middle" font-size="11">${+x.toPrecision(4)}</text>`);
  }
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    out.push(`<line x1="${left - 4}" y1="${py(y)}" x2="${px(xMax)}" y2="${py(y)}" stroke="${y === 0 ? '#000' : '#ddd'}"/>`);
    out.push(`<text x="${left - 7}" y="${py(y) + 4}" text-anchor="end" font-size="11">${+y.toPrecision(4)}</text>`);
  }
  out.push(`<text x="${(left + width - right) / 2}" y="${height - 8}" text-anchor="middle" font-size="12">${escapeXml(xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${(top + height - bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const points = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${points}"/>`);
    for (const [x, y] of s.points) out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = top + 6 + i * 16;
    out.push(`<line x1="${left + 10}" y1="${ly}" x2="${left + 30}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${left + 35}" y="${ly + 4}" font-size="11">${escapeXml(s.name)}</text>`);
  });
  return out.join('\n');
}

/** The library's chart, as an SVG document string, when lib/plot offers lineChart. */
function libraryChart(chart) {
  if (!hasModule('plot/index')) return undefined;
  try {
    const plot = requireModule('plot/index');
    if (typeof plot.lineChart !== 'function') return undefined;
    const svg = plot.lineChart({
      title: chart.title, xLabel: chart.xLabel, yLabel: chart.yLabel, width: chart.width, height: chart.height, yMin: 0,
      series: chart.series.map((s) => ({ name: s.name, dashed: s.dashed, x: s.points.map((p) => p[0]), values: s.points.map((p) => p[1]) })),
    });
    return typeof svg === 'string' ? svg.replace(/^<\?xml[^>]*>\s*/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** Several charts side by side in one SVG document. */
function chartsSideBySide(charts, { width = 560, height = 380 } = {}) {
  const panels = charts.map((chart, i) => {
    const own = libraryChart({ ...chart, width, height });
    const body = own ?? simpleLineChart({ ...chart, width, height });
    return `<svg x="${i * width}" y="0" width="${width}" height="${height}">\n${body}\n</svg>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${width * charts.length}" height="${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="#fff"/>\n${panels.join('\n')}\n</svg>\n`;
}

module.exports = { chartsSideBySide, simpleLineChart };

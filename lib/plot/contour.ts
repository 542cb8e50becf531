// Marching squares: the line where a field sampled on a grid crosses zero, with each crossing
// placed by linear interpolation along the cell edge, so a decision boundary is drawn smooth
// instead of as the staircase of the grid.

/** Segments [x1, y1, x2, y2, …] in grid coordinates (sample (i, j) sits at (i, j)). */
export function zeroContour(g: Float32Array | Float64Array, cols: number, rows: number): number[] {
  const out: number[] = [];
  const cross = (a: number, b: number) => a / (a - b);
  for (let j = 0; j + 1 < rows; j++) {
    for (let i = 0; i + 1 < cols; i++) {
      const tl = g[j * cols + i];
      const tr = g[j * cols + i + 1];
      const bl = g[(j + 1) * cols + i];
      const br = g[(j + 1) * cols + i + 1];
      const inTl = tl > 0;
      const inTr = tr > 0;
      const inBl = bl > 0;
      const inBr = br > 0;
      if (inTl === inTr && inTr === inBr && inBr === inBl) continue;
      const top = inTl !== inTr ? [i + cross(tl, tr), j] : null;
      const right = inTr !== inBr ? [i + 1, j + cross(tr, br)] : null;
      const bottom = inBl !== inBr ? [i + cross(bl, br), j + 1] : null;
      const left = inTl !== inBl ? [i, j + cross(tl, bl)] : null;
      const edges = [top, right, bottom, left].filter((e): e is number[] => e !== null);
      if (edges.length === 2) {
        out.push(edges[0][0], edges[0][1], edges[1][0], edges[1][1]);
      } else if (top && right && bottom && left) {
        // Saddle: the centre's sign decides which diagonal pair of corners is connected.
        const centreIn = (tl + tr + bl + br) / 4 > 0;
        if (centreIn === inTl) out.push(...top, ...right, ...bottom, ...left);
        else out.push(...left, ...top, ...bottom, ...right);
      }
    }
  }
  return out;
}

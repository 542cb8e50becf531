// The checks a kernel cannot do without: values it indexes memory with. Out-of-range indices would
// read outside a row (NaN in JS, a crash in C++), so both backends refuse them, with the same
// RangeError and the same words as native/addon.cc. One pass over the m indices, no allocation;
// the data itself is never scanned.

/** Class indices stored as floats must be integers in [0, n). */
export function checkLabels(fn: string, arg: string, labels: Float32Array, m: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const v = labels[i];
    if (!(v >= 0 && v < n && Math.floor(v) === v)) {
      throw new RangeError(`${fn}: expected ${arg}[${i}] to be a class index in [0, ${n}), received ${String(v)}`);
    }
  }
}

/** Row indices into src (rows of rowLen floats) must name a whole row of it. */
export function checkRowIndices(fn: string, idx: Int32Array, count: number, srcLength: number, rowLen: number): void {
  if (rowLen === 0) return; // nothing is read
  const rows = Math.floor(srcLength / rowLen);
  for (let r = 0; r < count; r++) {
    const v = idx[r];
    if (v < 0 || v >= rows) {
      throw new RangeError(`${fn}: expected idx[${r}] to be a row index in [0, ${rows}) (src holds ${rows} rows of ${rowLen}), received ${v}`);
    }
  }
}

// Run as a child process by the core chooser, with OPENBLAS_CORETYPE set to the core under test
// (a wrong kernel can die of SIGILL, so it must not be the process that asked):
//   node core-probe.js identify          → {"core", "config", "files"}: the core OpenBLAS loaded
//   node core-probe.js trial auto|candidate → {"ok": true, "seconds"} or {"ok": false, "reason"}
// A trial checks sgemm on the products blasnet's layers make and on odd edge shapes, all four
// transposes, against a float64 reference, then times one training step and one inference batch
// of the 784-256-128-10 network on one thread. The result is the last line on stdout.
import * as fs from 'node:fs';
import { loadNativeAddon, type NativeAddon } from './native';
import { Random } from '../random';

type Shape = [m: number, n: number, k: number];

/** The products of 784-256-128-10 layers at batch 1, 128 and 1000 (forward, dW, dx), and edge shapes. */
const CHECKED_SHAPES: Shape[] = [
  [1, 256, 784], [128, 256, 784], [1000, 256, 784], [256, 784, 128], [128, 784, 256],
  [128, 128, 256], [1000, 128, 256], [128, 256, 128], [128, 10, 128], [1000, 10, 128], [10, 128, 1000],
  [1, 1, 1], [3, 5, 7], [17, 33, 65], [33, 17, 1], [1, 129, 31], [127, 9, 300], [5, 1000, 3], [65, 1, 513],
];

/** Rows of C compared against the reference: both ends (where kernels handle remainders) and a few between. */
function sampledRows(m: number): number[] {
  const rows = new Set([0, m - 1]);
  for (let r = 1; r <= 6; r++) rows.add(Math.floor((r * m) / 7));
  return [...rows].filter((r) => r >= 0 && r < m);
}

function randomArray(rng: Random, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

/** The first entry of C's sampled rows outside the float32 error bound for a k-term dot product, or undefined. */
function firstMismatch(transA: boolean, transB: boolean, [m, n, k]: Shape, alpha: number, A: Float32Array,
  B: Float32Array, beta: number, C0: Float32Array, C: Float32Array): string | undefined {
  for (const i of sampledRows(m)) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let scale = 0;
      for (let p = 0; p < k; p++) {
        const prod = (transA ? A[p * m + i]! : A[i * k + p]!) * (transB ? B[j * k + p]! : B[p * n + j]!);
        s += prod;
        scale += Math.abs(prod);
      }
      const want = alpha * s + beta * C0[i * n + j]!;
      const bound = (k + 4) * 2 ** -24 * (Math.abs(alpha) * scale + Math.abs(beta * C0[i * n + j]!)) + 1e-30;
      const got = C[i * n + j]!;
      if (!(Math.abs(got - want) <= bound)) {
        return `gemm(${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}, ${m}×${n}×${k}) C[${i}][${j}] = ${got}, expected ${want}`;
      }
    }
  }
  return undefined;
}

function check(addon: NativeAddon, fault: string | undefined): string | undefined {
  const rng = new Random(20261201);
  for (const shape of CHECKED_SHAPES) {
    const [m, n, k] = shape;
    const A = randomArray(rng, m * k), B = randomArray(rng, k * n), C0 = randomArray(rng, m * n);
    // Both uses a layer makes: overwrite (beta 0) and accumulate into C (beta 1), scaled.
    for (const [transA, transB, alpha, beta] of [[false, false, 1, 0], [false, true, 0.5, 1], [true, false, 1, 0], [true, true, 0.5, 1]] as const) {
      const C = C0.slice();
      addon.gemm(transA, transB, m, n, k, alpha, A, B, beta, C);
      if (fault === 'mismatch') C[C.length - 1]! += 1;
      const wrong = firstMismatch(transA, transB, shape, alpha, A, B, beta, C0, C);
      if (wrong !== undefined) return wrong;
    }
  }
  return undefined;
}

/** Seconds for one 784-256-128-10 training step at batch 128 and one inference batch of 1000 (best of 5). */
function time(addon: NativeAddon): number {
  const rng = new Random(7);
  const widths = [784, 256, 128, 10];
  const w = widths.slice(1).map((out, l) => randomArray(rng, out * widths[l]!));
  const act = (rows: number) => widths.map((width) => randomArray(rng, rows * width));
  const train = act(128), grads = act(128), infer = act(1000);
  const dw = w.map((x) => new Float32Array(x.length));
  const round = () => {
    for (let l = 0; l < 3; l++) addon.gemm(false, true, 128, widths[l + 1]!, widths[l]!, 1, train[l]!, w[l]!, 0, train[l + 1]!);
    for (let l = 2; l >= 0; l--) {
      addon.gemm(true, false, widths[l + 1]!, widths[l]!, 128, 1, grads[l + 1]!, train[l]!, 0, dw[l]!);
      if (l > 0) addon.gemm(false, false, 128, widths[l]!, widths[l + 1]!, 1, grads[l + 1]!, w[l]!, 0, grads[l]!);
    }
    for (let l = 0; l < 3; l++) addon.gemm(false, true, 1000, widths[l + 1]!, widths[l]!, 1, infer[l]!, w[l]!, 0, infer[l + 1]!);
  };
  round();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    round();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best;
}

/** The shared libraries OpenBLAS and the addon were loaded from, as mapped into this process. */
function mappedFiles(): string[] {
  const maps = fs.readFileSync('/proc/self/maps', 'utf8').split('\n');
  const files = maps.map((line) => line.split(/\s+/).slice(5).join(' ')).filter((f) => /openblas|blas\.so|\.node$/i.test(f));
  return [...new Set(files)];
}

function main(): void {
  const [mode, role] = process.argv.slice(2);
  const loaded = loadNativeAddon();
  if (!loaded.ok) throw new Error(`the addon did not load: ${loaded.reason}`);
  const addon = loaded.addon;
  let result: object;
  if (mode === 'identify') {
    const info = addon.info();
    let files: string[] = [loaded.file];
    try { files = mappedFiles(); } catch { /* no /proc: the addon file alone identifies the build */ }
    result = { core: info.openblasCore, config: info.openblasConfig, files };
  } else if (mode === 'trial') {
    // Testing hook: make the candidate's check fail, or the child die as a wrong kernel would.
    const fault = role === 'candidate' ? process.env.BLASNET_TEST_CORE_FAULT : undefined;
    if (fault === 'crash') process.kill(process.pid, 'SIGILL');
    addon.setThreads(1);
    const wrong = check(addon, fault);
    result = wrong === undefined ? { ok: true, seconds: time(addon) } : { ok: false, reason: wrong };
  } else {
    throw new RangeError(`core-probe: expected mode identify or trial, received ${mode}`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();

// The external judges of an exported ONNX graph: onnxruntime-node (a dev dependency) runs it, and
// Debian's python3-onnx checks it. The checker is skipped only where python3-onnx is missing and
// CI is not set; in CI its absence fails the test.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as ort from 'onnxruntime-node';

/** Runs the graph's single input → single output on `rows` rows (the batch dimension is dynamic). */
export async function runOnnxRuntime(bytes: Uint8Array, x: Float32Array, shape: readonly number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
  try {
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [...shape]) });
    return out[session.outputNames[0]].data as Float32Array;
  } finally {
    await session.release();
  }
}

export const PYTHON = '/usr/bin/python3';
const ci = process.env.CI;
const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
const probe = fs.existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import onnx.checker'], { encoding: 'utf8' }) : undefined;
export const onnxCheckerMissing = probe?.status !== 0;
/** Skip the checker tests only off CI, where python3-onnx may legitimately be absent. */
export const skipChecker = onnxCheckerMissing && !inCi;

/** onnx.checker.check_model(full_check=True) on the bytes; returns its error text, '' when it passes. */
export function onnxCheck(bytes: Uint8Array): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-onnx-')), 'model.onnx');
  fs.writeFileSync(file, bytes);
  const script = 'import sys, onnx\nm = onnx.load(sys.argv[1])\nonnx.checker.check_model(m, full_check=True)\nprint("ok")';
  const r = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return r.status === 0 && r.stdout.trim() === 'ok' ? '' : `${r.stderr || r.error?.message || `exit ${r.status}`}`.trim();
}

/** Largest |a − e| and largest |a − e| / |e| (over |e| ≥ 0.1: nearer zero the absolute error is the measure). */
export function errors(actual: ArrayLike<number>, expected: ArrayLike<number>): { abs: number; rel: number } {
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    abs = Math.max(abs, d);
    if (Math.abs(expected[i]) >= 0.1) rel = Math.max(rel, d / Math.abs(expected[i]));
  }
  return { abs, rel };
}

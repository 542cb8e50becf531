// The kernel chooser end to end, in fresh processes (OpenBLAS reads its core once, when it loads):
// the simulated Prescott fallback and its rescue, a candidate whose check fails or whose child dies,
// and the cache. The processes run the built package (dist/, made by `npm run build:ts`, which
// `npm test` runs first), each with a cache directory of its own.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strongestCore } from '../../lib/backend/core-choice';
import { prepareOpenblasCore } from '../../lib/backend/core-chooser';
import { readCpu } from '../../lib/backend/cpu-features';
import { nativeBackend, nativeRequired } from '../helpers/native';

const root = path.resolve(__dirname, '..', '..');
const strongest = (() => { const cpu = readCpu(); return cpu && strongestCore(cpu); })();
const userCore = process.env.OPENBLAS_CORETYPE;

// Loads blasnet, then trains a small MLP for a few steps and predicts on both backends: the core in
// use must compute what the JS backend computes.
const CHILD = `
const b = require(${JSON.stringify(path.join(root, 'dist'))});
const info = b.nativeInfo();
const rng = new b.Random(3);
const n = 256, x = new Float32Array(n * 784), y = new Float32Array(n);
for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
for (let i = 0; i < n; i++) y[i] = i % 10;
const model = new b.Sequential([new b.Dense(784, 256, { activation: 'relu' }), new b.Dense(256, 128, { activation: 'relu' }), new b.Dense(128, 10)], { seed: 1 });
model.compile({ loss: 'softmaxCrossentropy', optimizer: b.adam({ lr: 1e-3 }) });
model.fit(new b.Tensor(x, [n, 784]), new b.Tensor(y, [n]), { epochs: 2, batchSize: 128, verbose: 0 }).then(() => {
  const xs = new b.Tensor(x, [n, 784]);
  const nat = model.predict(xs).data.slice();
  b.useBackend('js');
  const js = model.predict(xs).data;
  let worst = 0;
  for (let i = 0; i < js.length; i++) worst = Math.max(worst, Math.abs(nat[i] - js[i]) / (1 + Math.abs(js[i])));
  process.stdout.write(JSON.stringify({ info, worst, finite: nat.every(Number.isFinite) }));
});`;

interface ChildOut { info: { openblasCore: string; coreInUse: string; openblasOwnCore: string; coreReason: string }; worst: number; finite: boolean }

function start(env: Record<string, string>): { out: ChildOut; stderr: string } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, BLASNET_BACKEND: 'native', ...env };
  delete childEnv.BLASNET_CHOSEN_CORETYPE;
  const r = spawnSync(process.execPath, ['-e', CHILD], { env: childEnv, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`child failed (${r.status ?? r.signal}): ${r.stderr}`);
  return { out: JSON.parse(r.stdout) as ChildOut, stderr: r.stderr };
}

function freshCache(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-core-cache-'));
}

function expectWorking(out: ChildOut): void {
  expect(out.finite).toBe(true);
  expect(out.worst).toBeLessThan(1e-3);
}

// The rescue needs a CPU with a core stronger than Prescott, the addon, and no core set by the user
// (a user's OPENBLAS_CORETYPE wins, and tests never change it).
const runnable = nativeBackend !== undefined && strongest !== undefined && !userCore;
if (nativeRequired && nativeBackend !== undefined && !fs.existsSync(path.join(root, 'dist', 'backend', 'core-probe.js'))) {
  throw new Error('dist/ is not built: run `npm run build:ts` first');
}

describe.runIf(runnable)('kernel chooser (simulated Prescott fallback)', () => {
  it('rescues a Prescott fallback with the strongest verified core, then reuses the cached verdict', () => {
    const cache = freshCache();
    const env = { XDG_CACHE_HOME: cache, BLASNET_SIMULATE_OPENBLAS_CORE: 'Prescott' };
    const first = start(env);
    expect(first.stderr).toBe('');
    expect(first.out.info).toMatchObject({ openblasCore: strongest, coreInUse: strongest });
    expect(first.out.info.openblasOwnCore).toMatch(/^Prescott \(simulated/);
    expect(first.out.info.coreReason).toMatch(new RegExp(`^chosen by blasnet: ${strongest} verified, [\\d.]+× as fast as Prescott.*\\[trials run now\\]$`));
    expectWorking(first.out);
    expect(fs.readdirSync(path.join(cache, 'blasnet'))).toHaveLength(1);

    const second = start(env);
    expect(second.out.info.coreInUse).toBe(strongest);
    expect(second.out.info.coreReason).toMatch(/\[cached verdict\]$/);
  });

  it('`blasnet info` shows the CPU, its SIMD features, both cores, why, and the threads', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: freshCache(), BLASNET_SIMULATE_OPENBLAS_CORE: 'Prescott' };
    delete env.BLASNET_CHOSEN_CORETYPE;
    delete env.BLASNET_BACKEND;
    const out = spawnSync(process.execPath, [path.join(root, 'dist', 'cli', 'main.js'), 'info'], { env, encoding: 'utf8', timeout: 120_000 }).stdout;
    const cpu = readCpu()!;
    expect(out).toContain(`CPU: ${cpu.model}; SIMD: ${cpu.simd.map((f) => (f === 'pni' ? 'sse3' : f)).join(' ')}`);
    expect(out).toContain(`OpenBLAS core in use: ${strongest} (OpenBLAS's own choice: Prescott (simulated by BLASNET_SIMULATE_OPENBLAS_CORE))`);
    expect(out).toMatch(new RegExp(`\n  why: chosen by blasnet: ${strongest} verified`));
    expect(out).toMatch(/\nOpenBLAS threads \d+; elementwise pool threads \d+/);
  });

  it('makes the verdict at install time, so that the first start reads it', () => {
    const cache = freshCache();
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache, BLASNET_SIMULATE_OPENBLAS_CORE: 'Prescott' };
    delete env.BLASNET_CHOSEN_CORETYPE;
    delete env.BLASNET_FORCE_BUILD;
    const install = spawnSync(process.execPath, [path.join(root, 'scripts', 'install.cjs')], { env, encoding: 'utf8', timeout: 120_000 });
    expect(install.status).toBe(0);
    expect(fs.readdirSync(path.join(cache, 'blasnet'))).toHaveLength(1);
    const first = start({ XDG_CACHE_HOME: cache, BLASNET_SIMULATE_OPENBLAS_CORE: 'Prescott' });
    expect(first.out.info.coreInUse).toBe(strongest);
    expect(first.out.info.coreReason).toMatch(/\[cached verdict\]$/);
  });

  it('with the chooser off, really loads the simulated core', () => {
    const { out, stderr } = start({ XDG_CACHE_HOME: freshCache(), BLASNET_SIMULATE_OPENBLAS_CORE: 'Prescott', BLASNET_CORE_CHOOSER: 'off' });
    expect(stderr).toBe('');
    expect(out.info).toMatchObject({ openblasCore: 'Prescott', coreInUse: 'Prescott' });
    expect(out.info.coreReason).toMatch(/BLASNET_CORE_CHOOSER=off/);
    expectWorking(out);
  });

  it.each([
    ['fails its check (a wrong result)', 'mismatch', /failed its check \(gemm\(NN, 1×256×784\) C\[0\]\[255\] = .*, expected .*\)/],
    ['dies (SIGILL, as a kernel the CPU cannot run would)', 'crash', /failed its check \(the child died of SIGILL\)/],
  ])('keeps OpenBLAS\'s own core when the candidate %s, says so once, and keeps working', (_what, fault, why) => {
    const cache = freshCache();
    const env = { XDG_CACHE_HOME: cache, BLASNET_SIMULATE_OPENBLAS_CORE: 'Prescott', BLASNET_TEST_CORE_FAULT: fault };
    const { out, stderr } = start(env);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^blasnet: ${strongest} ${why.source}; keeping OpenBLAS's own core Prescott$`));
    expect(out.info).toMatchObject({ openblasCore: 'Prescott', coreInUse: 'Prescott' });
    expect(out.info.coreReason).toMatch(/^OpenBLAS's own choice \(fallback: /);
    expectWorking(out);

    // The verdict is cached: the next start neither reruns the trials nor repeats the line.
    const again = start(env);
    expect(again.stderr).toBe('');
    expect(again.out.info.coreReason).toMatch(/fallback: .*\[cached verdict\]$/);
  });

  it('redoes a stale or corrupt verdict', () => {
    const cache = freshCache();
    const env = { XDG_CACHE_HOME: cache, BLASNET_SIMULATE_OPENBLAS_CORE: 'Prescott' };
    start(env);
    const file = path.join(cache, 'blasnet', fs.readdirSync(path.join(cache, 'blasnet'))[0]!);
    // Another OpenBLAS library than the one the verdict was made with (an image moved to another machine).
    const entry = JSON.parse(fs.readFileSync(file, 'utf8'));
    entry.files[0].mtimeMs += 1000;
    entry.verdict = { core: 'Prescott', reason: 'kept', detail: 'stale' };
    fs.writeFileSync(file, JSON.stringify(entry));
    const stale = start(env);
    expect(stale.out.info.coreInUse).toBe(strongest);
    expect(stale.out.info.coreReason).toMatch(/\[trials run now\]$/);

    fs.writeFileSync(file, '{"key": ');
    const corrupt = start(env);
    expect(corrupt.stderr).toBe('');
    expect(corrupt.out.info.coreReason).toMatch(/^chosen by blasnet: .*\[trials run now\]$/);
    expectWorking(corrupt.out);
  });
});

describe('prepareOpenblasCore on a given environment', () => {
  it('leaves a user\'s OPENBLAS_CORETYPE as it is and reports it as the user\'s', () => {
    const env: NodeJS.ProcessEnv = { OPENBLAS_CORETYPE: 'Haswell', BLASNET_SIMULATE_OPENBLAS_CORE: 'Prescott' };
    const choice = prepareOpenblasCore(env);
    expect(choice.verdict).toEqual({ core: 'Haswell', reason: 'user', detail: 'set by the user (OPENBLAS_CORETYPE)' });
    expect(choice.requested).toBeUndefined();
    expect(env).toEqual({ OPENBLAS_CORETYPE: 'Haswell', BLASNET_SIMULATE_OPENBLAS_CORE: 'Prescott' });
  });

  it('takes back a core it set in a parent process when the chooser keeps OpenBLAS\'s own', () => {
    const env: NodeJS.ProcessEnv = { OPENBLAS_CORETYPE: 'SkylakeX', BLASNET_CHOSEN_CORETYPE: 'SkylakeX', BLASNET_CORE_CHOOSER: 'off' };
    const choice = prepareOpenblasCore(env);
    expect(choice.verdict.reason).toBe('kept');
    expect(env).toEqual({ BLASNET_CORE_CHOOSER: 'off' });
  });

  it('loads the simulated core when it keeps OpenBLAS\'s own choice', () => {
    const env: NodeJS.ProcessEnv = { BLASNET_SIMULATE_OPENBLAS_CORE: 'Prescott', BLASNET_CORE_CHOOSER: 'off' };
    expect(prepareOpenblasCore(env).requested).toBe('Prescott');
    expect(env.OPENBLAS_CORETYPE).toBe('Prescott');
  });
});

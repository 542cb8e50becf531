// Chooses OpenBLAS's core (kernel set) before the addon, and with it OpenBLAS, is loaded: OpenBLAS
// reads OPENBLAS_CORETYPE once, when the library initialises, and otherwise identifies the CPU by
// family and model number, which falls back to SSE3 (Prescott) kernels on CPUs newer than itself.
// The decisions are in core-choice.ts, the verdict cache in core-cache.ts, the child processes'
// work in core-probe.ts. A normal start only reads /proc/cpuinfo and one cache file.
//
// Testing hooks (documented in the README): BLASNET_SIMULATE_OPENBLAS_CORE=<core> makes blasnet
// treat <core> as the one OpenBLAS picks by itself, and load it when that choice is kept, so the
// fallback and its rescue can be shown on any CPU; BLASNET_TEST_CORE_FAULT=mismatch|crash makes a
// candidate's trial fail its check or die.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCpu, type CpuDescription } from './cpu-features';
import { judgeTrials, planCore, type CorePlan, type CoreVerdict, type Trial } from './core-choice';
import { readEntry, removeEntry, stampFile, writeEntry, type CacheEntry, type CacheKey } from './core-cache';
import { packageRoot, resolveAddonFile } from './native';

/** Marks OPENBLAS_CORETYPE as set by blasnet (inherited by child processes), not by the user. */
const CHOSEN_MARK = 'BLASNET_CHOSEN_CORETYPE';
const CHILD_TIMEOUT_MS = 60_000;

export interface CoreChoice {
  cpu?: CpuDescription;
  /** The core OpenBLAS picks by itself, or the simulated one; undefined when not looked up. */
  autoCore?: string;
  simulated?: string;
  verdict: CoreVerdict;
  /** 'cache': read from cacheFile; 'trials': computed now; 'none': nothing to look up. */
  source: 'cache' | 'trials' | 'none';
  cacheFile?: string;
  /** The OpenBLAS build of the cached verdict (openblas_get_config() without the core name). */
  openblasBuild?: string;
  /** What blasnet set OPENBLAS_CORETYPE to for this process, if it set it. */
  requested?: string;
  /** Milliseconds this took. */
  millis: number;
}

function blasnetVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The compiled probe beside this file, or in dist/ when this file runs from the TypeScript sources. */
function probeFile(): string {
  const beside = path.join(__dirname, 'core-probe.js');
  return fs.existsSync(beside) ? beside : path.join(packageRoot, 'dist', 'backend', 'core-probe.js');
}

/** OPENBLAS_CORETYPE as the user set it: a value blasnet set in a parent process does not count. */
export function userCoreType(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.OPENBLAS_CORETYPE;
  if (value === undefined || value === '' || value === env[CHOSEN_MARK]) return undefined;
  return value;
}

type ChildResult = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string; lasting: boolean };

/** Runs the probe with OPENBLAS_CORETYPE = core (undefined: OpenBLAS's own detection). */
function runProbe(env: NodeJS.ProcessEnv, core: string | undefined, args: string[]): ChildResult {
  const childEnv: NodeJS.ProcessEnv = { ...env };
  delete childEnv[CHOSEN_MARK];
  if (core === undefined) delete childEnv.OPENBLAS_CORETYPE;
  else childEnv.OPENBLAS_CORETYPE = core;
  // Loaded here, not at the top: a start that reads its verdict from the cache never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const out = spawnSync(process.execPath, [probeFile(), ...args], {
    env: childEnv, encoding: 'utf8', timeout: CHILD_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (out.error) return { ok: false, reason: out.error.message, lasting: false };
  if (out.signal) return { ok: false, reason: `the child died of ${out.signal}`, lasting: out.signal !== 'SIGTERM' && out.signal !== 'SIGKILL' };
  const last = out.stdout.trim().split('\n').pop() ?? '';
  try {
    if (out.status !== 0) throw new Error();
    return { ok: true, value: JSON.parse(last) as Record<string, unknown> };
  } catch {
    const why = out.stderr.trim().split('\n').filter((l) => /Error/.test(l)).pop() ?? `exit code ${out.status}`;
    return { ok: false, reason: why.slice(0, 200), lasting: true };
  }
}

function trial(env: NodeJS.ProcessEnv, core: string, role: 'auto' | 'candidate'): Trial & { lasting?: boolean } {
  const out = runProbe(env, core, ['trial', role]);
  if (!out.ok) return { ok: false, reason: out.reason, lasting: out.lasting };
  const v = out.value as Trial;
  return v.ok ? { ok: true, seconds: v.seconds } : { ok: false, reason: v.reason, lasting: true };
}

function stripCore(config: string, core: string): string {
  return config.replace(` ${core} `, ' ').trim();
}

/** Identifies OpenBLAS's own core, tries the candidate if there is one, and caches the verdict. */
function computeEntry(env: NodeJS.ProcessEnv, key: CacheKey, plan0: PlanArgs): { entry: CacheEntry; cacheable: boolean } {
  const id = runProbe(env, key.simulated ?? undefined, ['identify']);
  if (!id.ok) throw new Error(`could not identify OpenBLAS's own core (${id.reason})`);
  const { core, config, files } = id.value as { core: string; config: string; files: string[] };
  const autoCore = key.simulated ?? core;
  const plan = planCore({ ...plan0, autoCore });
  const seconds: Record<string, number> = {};
  let verdict: CoreVerdict;
  let cacheable = true;
  if (plan.action === 'try') {
    const auto = trial(env, autoCore, 'auto');
    const cand = auto.ok ? trial(env, plan.candidate, 'candidate') : { ok: false as const, reason: 'not tried', lasting: true };
    if (auto.ok) seconds[autoCore] = auto.seconds;
    if (cand.ok) seconds[plan.candidate] = cand.seconds;
    cacheable = (auto.ok || auto.lasting !== false) && (cand.ok || cand.lasting !== false);
    verdict = judgeTrials(autoCore, plan.candidate, auto, cand);
  } else {
    verdict = { core: autoCore, reason: 'kept', detail: keepDetail(plan) };
  }
  const stamps = files.map((f) => stampFile(f)).filter((s) => s !== undefined);
  const entry: CacheEntry = {
    key, files: stamps, openblasBuild: stripCore(config, core), autoCore, verdict, seconds, date: new Date().toISOString(),
  };
  return { entry, cacheable };
}

function keepDetail(plan: CorePlan): string {
  return plan.action === 'keep' ? plan.why : `unexpected plan ${plan.action}`;
}

type PlanArgs = { userCore?: string; disabled?: boolean; cpu?: CpuDescription };

let warned = false;
/** The chooser's one line on stderr per process. */
function say(line: string): void {
  if (warned) return;
  warned = true;
  process.stderr.write(`blasnet: ${line}\n`);
}

/**
 * Decides the core for this process and sets OPENBLAS_CORETYPE accordingly: call before the addon
 * loads. Never throws: any failure keeps OpenBLAS's own choice, and says so once.
 */
export function prepareOpenblasCore(env: NodeJS.ProcessEnv = process.env): CoreChoice {
  const t0 = process.hrtime.bigint();
  const millis = () => Number(process.hrtime.bigint() - t0) / 1e6;
  const simulated = env.BLASNET_SIMULATE_OPENBLAS_CORE || undefined;
  const userCore = userCoreType(env);
  const disabled = env.BLASNET_CORE_CHOOSER === 'off';
  const cpu = readCpu();
  let choice: Omit<CoreChoice, 'millis' | 'requested'>;
  try {
    const early = planCore({ userCore, disabled, cpu, autoCore: simulated });
    if (early.action === 'user') {
      choice = { cpu, simulated, autoCore: simulated, verdict: { core: early.core, reason: 'user', detail: 'set by the user (OPENBLAS_CORETYPE)' }, source: 'none' };
    } else if (early.action === 'keep') {
      choice = { cpu, simulated, autoCore: simulated, verdict: { core: simulated ?? 'OpenBLAS\'s own', reason: 'kept', detail: early.why }, source: 'none' };
    } else if (resolveAddonFile() === undefined) {
      // No addon to load: the loader says so (with the fix); there is no core to choose.
      choice = { cpu, simulated, autoCore: simulated, verdict: { core: simulated ?? 'OpenBLAS\'s own', reason: 'kept', detail: 'no addon' }, source: 'none' };
    } else {
      choice = lookUpOrCompute(env, { userCore, disabled, cpu: cpu! }, simulated);
    }
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    say(`could not choose OpenBLAS's kernels (${why}); keeping OpenBLAS's own choice`);
    choice = { cpu, simulated, autoCore: simulated, verdict: { core: simulated ?? 'OpenBLAS\'s own', reason: 'fallback', detail: why }, source: 'none' };
  }
  const requested = apply(env, choice, userCore);
  return { ...choice, requested, millis: millis() };
}

function lookUpOrCompute(env: NodeJS.ProcessEnv, args: PlanArgs & { cpu: CpuDescription }, simulated: string | undefined): Omit<CoreChoice, 'millis' | 'requested'> {
  const addonFile = resolveAddonFile()!;
  const key: CacheKey = {
    cpuModel: args.cpu.model, vendor: args.cpu.vendor, simd: args.cpu.simd, blasnetVersion: blasnetVersion(), addonFile, simulated: simulated ?? null,
    fault: env.BLASNET_TEST_CORE_FAULT || null,
  };
  const hit = readEntry(key, env);
  if (hit) {
    const { entry } = hit;
    return { cpu: args.cpu, simulated, autoCore: entry.autoCore, verdict: entry.verdict, source: 'cache', cacheFile: hit.file, openblasBuild: entry.openblasBuild };
  }
  const { entry, cacheable } = computeEntry(env, key, args);
  if (entry.verdict.reason === 'fallback') say(`${entry.verdict.detail}; keeping OpenBLAS's own core ${entry.autoCore}`);
  let cacheFile: string | undefined;
  if (cacheable) {
    const written = writeEntry(entry, env);
    if ('error' in written) say(`could not save the OpenBLAS core verdict (${written.error}); it is redone at the next start`);
    else cacheFile = written.file;
  }
  return { cpu: args.cpu, simulated, autoCore: entry.autoCore, verdict: entry.verdict, source: 'trials', cacheFile, openblasBuild: entry.openblasBuild };
}

/** Sets (or clears an inherited) OPENBLAS_CORETYPE; returns the core requested, if any. */
function apply(env: NodeJS.ProcessEnv, choice: Omit<CoreChoice, 'millis' | 'requested'>, userCore: string | undefined): string | undefined {
  if (userCore !== undefined) return undefined;
  const { verdict, simulated } = choice;
  const wanted = verdict.reason === 'chosen' ? verdict.core : simulated;
  if (wanted !== undefined) {
    env.OPENBLAS_CORETYPE = wanted;
    env[CHOSEN_MARK] = wanted;
    return wanted;
  }
  if (env[CHOSEN_MARK] !== undefined) {
    delete env.OPENBLAS_CORETYPE;
    delete env[CHOSEN_MARK];
  }
  return undefined;
}

/** What `blasnet info` and nativeInfo() say about the core, once the addon is loaded. */
export interface CoreStatus {
  cpuModel: string;
  cpuFeatures: string[];
  /** The core OpenBLAS picks by itself ('(simulated)' appended under the testing hook). */
  openblasOwnCore: string;
  coreInUse: string;
  coreReason: string;
}

/**
 * Compares the loaded OpenBLAS with the choice: the core it reports, and the build the cached
 * verdict was made with (a verdict made with another build is removed, so the next start redoes it).
 */
export function confirmCore(choice: CoreChoice, info: { openblasCore: string; openblasConfig: string }): CoreStatus {
  const { verdict } = choice;
  let reason = verdict.reason === 'user' ? verdict.detail
    : verdict.reason === 'chosen' ? `chosen by blasnet: ${verdict.detail}`
      : verdict.reason === 'kept' ? `OpenBLAS's own choice kept: ${verdict.detail}`
        : `OpenBLAS's own choice (fallback: ${verdict.detail})`;
  if (choice.source !== 'none') reason += choice.source === 'cache' ? ' [cached verdict]' : ' [trials run now]';
  if (choice.requested !== undefined && info.openblasCore !== choice.requested) {
    reason += `; blasnet asked for ${choice.requested} but OpenBLAS loaded ${info.openblasCore}`;
  }
  if (choice.cacheFile && choice.openblasBuild !== undefined && stripCore(info.openblasConfig, info.openblasCore) !== choice.openblasBuild) {
    removeEntry(choice.cacheFile);
    reason += '; the cached verdict was made with another OpenBLAS build and is redone at the next start';
  }
  const own = choice.autoCore ?? (choice.requested === undefined && verdict.reason !== 'user' ? info.openblasCore : 'not looked up');
  return {
    cpuModel: choice.cpu?.model ?? 'unknown',
    // /proc/cpuinfo's name for SSE3 is pni (Prescott New Instructions).
    cpuFeatures: (choice.cpu?.simd ?? []).map((f) => (f === 'pni' ? 'sse3' : f)),
    openblasOwnCore: choice.simulated !== undefined ? `${own} (simulated by BLASNET_SIMULATE_OPENBLAS_CORE)` : own,
    coreInUse: info.openblasCore,
    coreReason: reason,
  };
}

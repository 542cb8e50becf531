// Which OpenBLAS core (kernel set) to ask for: pure decisions, no I/O. The chooser (core-chooser.ts)
// gathers the inputs: the user's OPENBLAS_CORETYPE, the CPU's features, OpenBLAS's own choice and
// the trials of a candidate core in child processes.
import type { CpuDescription } from './cpu-features';

/**
 * OpenBLAS's core names (as openblas_get_corename() prints them and OPENBLAS_CORETYPE takes them),
 * ranked by the widest SIMD their kernels use. A core missing here is newer than this table:
 * OpenBLAS knew the CPU, so its choice is kept.
 */
export const CORE_RANK: Readonly<Record<string, number>> = {
  Katmai: 0, Coppermine: 0, Northwood: 0, Banias: 0, Athlon: 0, Opteron: 0,
  Prescott: 1, Atom: 1, OpteronSSE3: 1, Nano: 1,
  Core2: 2, Penryn: 2, Dunnington: 2, Barcelona: 2, Bobcat: 2,
  Nehalem: 3,
  Sandybridge: 4, Bulldozer: 4, Piledriver: 4, Steamroller: 4, Excavator: 4,
  Haswell: 5, Zen: 5,
  SkylakeX: 6,
  Cooperlake: 7,
  SapphireRapids: 8,
};

/**
 * The strongest core the CPU's features allow, or undefined when nothing beyond OpenBLAS's own
 * detection is worth trying (no AVX2+FMA). AVX2 CPUs get Haswell whatever their vendor: on a Zen 4,
 * timed with the chooser's own trial (one training step and one inference batch of 784-256-128-10,
 * one thread, best of 5, six alternating runs), Zen, Haswell, SkylakeX and Cooperlake were within
 * 5% of one another, so the Zen variant is not worth a vendor rule.
 */
export function strongestCore(cpu: CpuDescription): string | undefined {
  const has = (f: string) => cpu.simd.includes(f);
  if (['avx512f', 'avx512bw', 'avx512dq', 'avx512vl'].every(has)) return has('avx512_bf16') ? 'Cooperlake' : 'SkylakeX';
  if (has('avx2') && has('fma')) return 'Haswell';
  return undefined;
}

export type CorePlan =
  | { action: 'user'; core: string }
  | { action: 'keep'; why: string }
  /** OpenBLAS's own core must be looked up (in a child process) before deciding. */
  | { action: 'identify' }
  | { action: 'try'; candidate: string };

export interface PlanInput {
  /** OPENBLAS_CORETYPE as the user set it (not as blasnet set it for this process). */
  userCore?: string;
  /** BLASNET_CORE_CHOOSER=off. */
  disabled?: boolean;
  /** Undefined where the CPU's features cannot be read. */
  cpu?: CpuDescription;
  /** The core OpenBLAS picks by itself on this CPU (or the simulated one). */
  autoCore?: string;
}

/** What to do before OpenBLAS loads: honour the user, keep OpenBLAS's choice, or try a stronger core. */
export function planCore({ userCore, disabled, cpu, autoCore }: PlanInput): CorePlan {
  if (userCore !== undefined && userCore !== '') return { action: 'user', core: userCore };
  if (disabled) return { action: 'keep', why: 'the chooser is off (BLASNET_CORE_CHOOSER=off)' };
  if (cpu === undefined) return { action: 'keep', why: 'the CPU features cannot be read on this platform' };
  const best = strongestCore(cpu);
  if (best === undefined) return { action: 'keep', why: 'the CPU has no AVX2+FMA: nothing stronger to try' };
  if (autoCore === undefined) return { action: 'identify' };
  const autoRank = CORE_RANK[autoCore];
  if (autoRank === undefined) return { action: 'keep', why: `${autoCore} is newer than blasnet's core table` };
  if (autoRank >= CORE_RANK[best]!) return { action: 'keep', why: `${autoCore} is already the strongest core for these features` };
  return { action: 'try', candidate: best };
}

/** A candidate's (or OpenBLAS's own core's) run in a child process: checked, then timed. */
export type Trial = { ok: true; seconds: number } | { ok: false; reason: string };

/** Why the core in use is the one in use. */
export type CoreReason = 'user' | 'chosen' | 'kept' | 'fallback';

export interface CoreVerdict {
  core: string;
  reason: CoreReason;
  /** One line a person can read: what was compared, or what failed. */
  detail: string;
}

/** A candidate must beat OpenBLAS's own core by this fraction: timing noise never flips the choice. */
export const MIN_GAIN = 0.05;

/** The candidate when it computed correctly and ran faster, else OpenBLAS's own core. */
export function judgeTrials(autoCore: string, candidate: string, auto: Trial, trial: Trial): CoreVerdict {
  if (!trial.ok) return { core: autoCore, reason: 'fallback', detail: `${candidate} failed its check (${trial.reason})` };
  if (!auto.ok) return { core: autoCore, reason: 'fallback', detail: `OpenBLAS's own ${autoCore} could not be timed (${auto.reason})` };
  const speedup = auto.seconds / trial.seconds;
  const ratio = `${speedup.toFixed(2)}× as fast as ${autoCore} on a training step and an inference batch, 1 thread`;
  if (trial.seconds < auto.seconds * (1 - MIN_GAIN)) return { core: candidate, reason: 'chosen', detail: `${candidate} verified, ${ratio}` };
  return { core: autoCore, reason: 'kept', detail: `${candidate} verified but not faster (${ratio})` };
}

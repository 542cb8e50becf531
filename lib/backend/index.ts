import { jsBackend } from './js';
import { loadNativeAddon, nativeBackendFrom, nativeFix, type NativeAddon } from './native';
import { confirmCore, prepareOpenblasCore, type CoreStatus } from './core-chooser';
import type { Backend, BackendName } from './types';
import { checkInt, checkOneOf, fail } from '../validate';

export type { Backend, BackendName } from './types';

let nativeAddon: NativeAddon | undefined;
let nativeBackend: Backend | undefined;
let nativeReason = '';
let coreStatus: CoreStatus & { coreChoiceMs: number } | undefined;
let active: Backend;

function tryNative(): Backend | undefined {
  if (nativeBackend !== undefined || nativeReason !== '') return nativeBackend;
  // OpenBLAS reads OPENBLAS_CORETYPE when it loads with the addon: the core is chosen first.
  const choice = prepareOpenblasCore();
  const loaded = loadNativeAddon();
  if (loaded.ok) {
    nativeAddon = loaded.addon;
    nativeBackend = nativeBackendFrom(loaded.addon);
    coreStatus = { ...confirmCore(choice, loaded.addon.info()), coreChoiceMs: choice.millis };
  } else {
    nativeReason = loaded.reason;
  }
  return nativeBackend;
}

function pickAtStartup(): Backend {
  const forced = process.env.BLASNET_BACKEND;
  if (forced !== undefined && forced !== '') {
    checkOneOf('BLASNET_BACKEND', 'the environment variable', forced, ['js', 'native'] as const);
    if (forced === 'js') return jsBackend;
    const native = tryNative();
    if (native === undefined) {
      throw new Error(`blasnet: BLASNET_BACKEND=native but the native addon could not be loaded (${nativeReason}). ` +
        `Fix: ${nativeFix()}.`);
    }
    return native;
  }
  const native = tryNative();
  if (native !== undefined) return native;
  process.stderr.write(`blasnet: native addon unavailable (${nativeReason}); using the slower JS backend. ` +
    `Fix: ${nativeFix()}\n`);
  return jsBackend;
}

active = pickAtStartup();

/** The active backend's kernels (internal: unvalidated; the public, checked ones are `ops`). */
export function getBackend(): Backend {
  return active;
}

/** The name of the active backend: 'native' (OpenBLAS addon) or 'js'. */
export function backend(): BackendName {
  return active.name;
}

/** Whether the native addon loaded, and if not, why. */
export function nativeStatus(): { available: boolean; reason: string } {
  tryNative();
  return { available: nativeBackend !== undefined, reason: nativeReason };
}

/** Switches the active backend at run time. */
export function useBackend(name: BackendName): void {
  checkOneOf('useBackend', 'name', name, ['js', 'native'] as const);
  if (name === 'js') { active = jsBackend; return; }
  const native = tryNative();
  if (native === undefined) fail('useBackend', 'name', 'an available backend', `'native', which could not be loaded: ${nativeReason}`);
  active = native;
}

/** The backend object of that name, for tests and benchmarks that compare the two. */
export function backendByName(name: BackendName): Backend | undefined {
  return name === 'js' ? jsBackend : tryNative();
}

/** What nativeInfo() reports: OpenBLAS's build, core and threads, the pool's threads, and the core choice. */
export type NativeInfo = ReturnType<NativeAddon['info']> & CoreStatus & {
  /** Milliseconds the core chooser took before the addon loaded (with a cached verdict, a few at most). */
  coreChoiceMs: number;
};

/**
 * Native build details: OpenBLAS's configuration, the CPU and its SIMD features, OpenBLAS's own core,
 * the core in use and why, and the thread counts; undefined when the addon is unavailable.
 */
export function nativeInfo(): NativeInfo | undefined {
  return tryNative() === undefined ? undefined : { ...nativeAddon!.info(), ...coreStatus! };
}

/**
 * threads() returns the thread count; threads(n) sets OpenBLAS's threads and the elementwise pool
 * together (0 restores the default, the number of cores) and returns the new count.
 *
 * Process-wide: OpenBLAS and the pool exist once per process, so a call in one worker thread sets
 * the count for the main thread and every worker. While a search, ensemble or cross-validation runs
 * on several workers it is 1 (one compute thread per trial), and the call restores it when it
 * returns. blasnet's own kernels give the same bits at any count; OpenBLAS's sgemm rounds
 * differently at different counts, so keep the count fixed where results must repeat bit for bit.
 * A kernel called while another thread runs a parallel kernel runs on its caller's thread alone.
 */
export function threads(n?: number): number {
  if (n !== undefined) {
    checkInt('threads', 'n', n, 0, 1024);
    tryNative()?.setThreads(n);
  }
  return nativeBackend?.getThreads() ?? 1;
}

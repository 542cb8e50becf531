import * as path from 'node:path';
import type { Backend } from './types';

/** What the compiled addon exports besides the Backend primitives (native/addon.cc). */
export interface NativeAddon extends Omit<Backend, 'name'> {
  /** OpenBLAS's build configuration string, core name and thread count. */
  info(): { openblasConfig: string; openblasCore: string; openblasThreads: number; poolThreads: number };
}

export type NativeLoad = { ok: true; addon: NativeAddon; file: string } | { ok: false; reason: string };

// The package root is two levels above this file both in lib/backend (tests) and dist/backend.
export const packageRoot = path.resolve(__dirname, '..', '..');

type NodeGypBuild = { (dir: string): NativeAddon; resolve(dir: string): string };

let resolved: string | undefined;

/** The addon file: a prebuild under prebuilds/ or the local build/Release, as node-gyp-build finds it. */
function addonFile(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  resolved ??= (require('node-gyp-build') as NodeGypBuild).resolve(packageRoot);
  return resolved;
}

/** The addon file that loadNativeAddon loads, without loading it; undefined when there is none. */
export function resolveAddonFile(): string | undefined {
  try {
    return addonFile();
  } catch {
    return undefined;
  }
}

interface AddonHelp {
  FIX: string;
  loadFailureCause(err: unknown): string;
  missingBuildTools(): string[];
}

// Shared with the install step (a plain script, run before dist/ exists), and needed only when the
// addon did not load.
function addonHelp(): AddonHelp {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(packageRoot, 'scripts', 'addon-help.cjs')) as AddonHelp;
}

/** What to install, on Debian/Ubuntu, Fedora/RHEL and Alpine, for the addon to build; then `npm rebuild blasnet`. */
export function nativeFix(): string {
  return addonHelp().FIX;
}

/** Finds a prebuild under prebuilds/ or the local build/Release, via node-gyp-build. */
export function loadNativeAddon(): NativeLoad {
  try {
    const file = addonFile();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(file) as NativeAddon;
    return { ok: true, addon, file };
  } catch (err) {
    // The cause (no prebuild for this platform, or one the loader refused) and, since `npm rebuild`
    // would compile one, whatever compiling it here lacks.
    const help = addonHelp();
    const missing = help.missingBuildTools();
    const cause = help.loadFailureCause(err);
    return { ok: false, reason: missing.length === 0 ? cause : `${cause}; compiling it here needs ${missing.join(', ')}` };
  }
}

/** The addon's functions are the Backend primitives themselves: no JS wrapper on the hot path. */
export function nativeBackendFrom(addon: NativeAddon): Backend {
  return { ...addon, name: 'native' } as Backend;
}

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

/** Finds a prebuild under prebuilds/ or the local build/Release, via node-gyp-build. */
export function loadNativeAddon(): NativeLoad {
  try {
    const file = addonFile();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(file) as NativeAddon;
    return { ok: true, addon, file };
  } catch (err) {
    const message = (err as Error).message.split('\n')[0];
    return { ok: false, reason: message };
  }
}

/** The addon's functions are the Backend primitives themselves: no JS wrapper on the hot path. */
export function nativeBackendFrom(addon: NativeAddon): Backend {
  return { ...addon, name: 'native' } as Backend;
}

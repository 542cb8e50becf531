// The chooser's verdict on disk, one small JSON file per machine-and-build, so that a normal start
// reads a file instead of running trials. A verdict is reused only while everything it depends on
// is unchanged: the CPU (model and SIMD features), blasnet's version, the addon file, the OpenBLAS
// library files it loaded (size and mtime) and any simulated core. Anything else — a missing, stale
// or unreadable file — reads as no verdict, and the trials run again.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CoreVerdict } from './core-choice';

export interface CacheKey {
  cpuModel: string;
  vendor: string;
  simd: string[];
  blasnetVersion: string;
  /** The addon file node-gyp-build resolves (a prebuild or the local build). */
  addonFile: string;
  /** BLASNET_SIMULATE_OPENBLAS_CORE, or null. */
  simulated: string | null;
  /** BLASNET_TEST_CORE_FAULT, or null: a verdict made under a fault is never reused without it. */
  fault: string | null;
}

export interface FileStamp { path: string; size: number; mtimeMs: number }

export interface CacheEntry {
  key: CacheKey;
  /** The shared objects the trials loaded (addon, OpenBLAS), as they were then. */
  files: FileStamp[];
  /** openblas_get_config() without the core name: the OpenBLAS build the verdict was made with. */
  openblasBuild: string;
  /** The core OpenBLAS picked by itself (or the simulated one). */
  autoCore: string;
  verdict: CoreVerdict;
  /** Trial times in seconds, by core, when trials ran. */
  seconds: Record<string, number>;
  date: string;
}

/** Where verdicts are kept, in order of preference: the user's cache directory, then a private temp one. */
export function cacheDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  const home = env.HOME || os.homedir();
  if (env.XDG_CACHE_HOME) dirs.push(path.join(env.XDG_CACHE_HOME, 'blasnet'));
  else if (home) dirs.push(path.join(home, '.cache', 'blasnet'));
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  dirs.push(path.join(env.TMPDIR || os.tmpdir(), `blasnet-${uid}`));
  return [...new Set(dirs)];
}

/** The file for key: named by a 32-bit FNV-1a hash of it (a collision only costs a rerun: the
 *  file holds the whole key). node:crypto would add milliseconds to every start. */
export function cacheFileName(key: CacheKey): string {
  const text = JSON.stringify(key);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `openblas-core-${(h >>> 0).toString(16).padStart(8, '0')}.json`;
}

export function stampFile(file: string): FileStamp | undefined {
  try {
    const s = fs.statSync(file);
    return { path: file, size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return undefined;
  }
}

function sameKey(a: CacheKey, b: CacheKey): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isEntry(x: unknown): x is CacheEntry {
  const e = x as CacheEntry;
  return typeof e === 'object' && e !== null && typeof e.key === 'object' && Array.isArray(e.files) &&
    typeof e.openblasBuild === 'string' && typeof e.autoCore === 'string' && typeof e.verdict?.core === 'string' &&
    ['user', 'chosen', 'kept', 'fallback'].includes(e.verdict?.reason) && typeof e.verdict?.detail === 'string';
}

/** The files' current size and mtime are those recorded. */
function filesUnchanged(files: FileStamp[]): boolean {
  return files.every((f) => {
    const now = stampFile(f.path);
    return now !== undefined && now.size === f.size && now.mtimeMs === f.mtimeMs;
  });
}

/** The fresh verdict for key and the file it came from, or undefined (none, stale or corrupt). */
export function readEntry(key: CacheKey, env: NodeJS.ProcessEnv = process.env): { entry: CacheEntry; file: string } | undefined {
  const name = cacheFileName(key);
  for (const dir of cacheDirs(env)) {
    const file = path.join(dir, name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    if (isEntry(parsed) && sameKey(parsed.key, key) && filesUnchanged(parsed.files)) return { entry: parsed, file };
  }
  return undefined;
}

/** Writes entry into the first cache directory that takes it (atomically: a reader never sees half a file). */
export function writeEntry(entry: CacheEntry, env: NodeJS.ProcessEnv = process.env): { file: string } | { error: string } {
  const name = cacheFileName(entry.key);
  const errors: string[] = [];
  for (const dir of cacheDirs(env)) {
    const file = path.join(dir, name);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(tmp, `${JSON.stringify(entry, null, 2)}\n`);
      fs.renameSync(tmp, file);
      return { file };
    } catch (err) {
      try { fs.unlinkSync(tmp); } catch { /* never written */ }
      errors.push(`${dir}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return { error: errors.join('; ') };
}

/** Forgets a verdict found stale after loading (its trials run again at the next start). */
export function removeEntry(file: string): void {
  try { fs.unlinkSync(file); } catch { /* already gone */ }
}

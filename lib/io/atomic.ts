import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';

/** A temporary file of a process that is gone is removed once it is this old (see cleanStaleTemps). */
export const STALE_TEMP_MS = 10 * 60 * 1000;

let counter = 0;

/** A name no other writer can hold: pid and thread tell writers apart, the counter and random bytes
 *  tell one writer's saves apart. The file is also created exclusively, so a clash would throw. */
function tempName(file: string): string {
  counter = (counter + 1) >>> 0;
  const unique = `${counter.toString(16)}${crypto.randomBytes(6).toString('hex')}`;
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${threadId}.${unique}.tmp`);
}

/**
 * Writes a file so that it lands whole or not at all, and a reader sees the old or the new version,
 * never a mix: the bytes go to a temporary file of its own in the same directory, are written out
 * completely and flushed to disk, then renamed over the target (atomic within a file system), and the
 * directory is flushed so that the rename itself survives a power loss. Throws if any step fails,
 * leaving the previous version in place. Temporary files left by killed processes are removed.
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`writeFileAtomic: expected data to be a string or a Uint8Array, received ${typeof data}`);
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  cleanStaleTemps(file);
  const tmp = tempName(file);
  let fd = fs.openSync(tmp, 'wx');
  try {
    writeFully(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = -1;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd >= 0) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  syncDirectory(dir);
}

/** write(2) may write less than asked (a signal, a full pipe, some file systems): loop until done. */
function writeFully(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    const written = fs.writeSync(fd, bytes, offset, bytes.length - offset);
    if (written <= 0) throw new Error(`writeFileAtomic: the system wrote ${written} bytes at offset ${offset} of ${bytes.length}`);
    offset += written;
  }
}

function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return; // a platform that cannot open directories (Windows) has no directory fsync either
  }
  try {
    fs.fsyncSync(fd);
  } catch (err) {
    // Some file systems refuse fsync on a directory; the rename has happened regardless.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR' && code !== 'ENOTSUP') throw err;
  } finally {
    fs.closeSync(fd);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the temporary files a killed writer left beside `file`: names of writeFileAtomic's pattern
 * whose process no longer runs and that were last written more than `olderThanMs` ago. A file of a
 * live process (this one included) is never touched; the age guards against a process id seen from
 * another machine or container sharing the directory. Returns the files removed.
 */
export function cleanStaleTemps(file: string, olderThanMs = STALE_TEMP_MS): string[] {
  const dir = path.dirname(file);
  // pid.threadId.unique (this version) or pid.milliseconds (earlier versions).
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(file))}\\.(\\d+)\\.\\d+(\\.[0-9a-f]+)?\\.tmp$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const name of names) {
    const match = pattern.exec(name);
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    const tmp = path.join(dir, name);
    try {
      if (now - fs.lstatSync(tmp).mtimeMs < olderThanMs) continue;
      fs.unlinkSync(tmp);
      removed.push(tmp);
    } catch {
      // Gone already (another cleaner) or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}

// writeFileAtomic: whole or nothing, unique temporary files, short writes, stale temporary files.
import { afterEach, describe, expect, test, vi } from 'vitest';
import fsDefault from 'node:fs';
import * as fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { threadId } from 'node:worker_threads';
import { cleanStaleTemps, STALE_TEMP_MS, writeFileAtomic } from '../../lib/io/atomic';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-atomic-'));
}

afterEach(() => {
  vi.restoreAllMocks();
  syncBuiltinESMExports();
});

describe('writeFileAtomic', () => {
  test('a system that writes a few bytes per call still gets the whole file', () => {
    const real = fsDefault.writeSync;
    const calls: number[] = [];
    vi.spyOn(fsDefault, 'writeSync').mockImplementation(((fd: number, buf: Uint8Array, offset: number, length: number) => {
      const n = Math.min(length, 7);
      calls.push(n);
      return real(fd, buf, offset, n);
    }) as typeof fsDefault.writeSync);
    syncBuiltinESMExports();
    const file = path.join(tmpDir(), 'x.bin');
    const data = new Uint8Array(100).map((_, i) => i);
    writeFileAtomic(file, data);
    expect(calls.length).toBe(15);
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(data);
  });

  test('a write that makes no progress throws and leaves the previous version and no temporary file', () => {
    const file = path.join(tmpDir(), 'x.bin');
    writeFileAtomic(file, 'previous');
    vi.spyOn(fsDefault, 'writeSync').mockImplementation((() => 0) as unknown as typeof fsDefault.writeSync);
    syncBuiltinESMExports();
    expect(() => writeFileAtomic(file, 'next')).toThrow(/wrote 0 bytes at offset 0 of 4/);
    expect(fs.readFileSync(file, 'utf8')).toBe('previous');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['x.bin']);
  });

  test('each save gets its own temporary name (pid, thread, counter, random bytes)', () => {
    const file = path.join(tmpDir(), 'x.bin');
    const names = new Set<string>();
    const spy = vi.spyOn(fsDefault, 'openSync');
    syncBuiltinESMExports();
    for (let i = 0; i < 50; i++) writeFileAtomic(file, `v${i}`);
    for (const [p, flags] of spy.mock.calls) if (flags === 'wx') names.add(path.basename(String(p)));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(new RegExp(`^\\.x\\.bin\\.${process.pid}\\.${threadId}\\.[0-9a-f]+\\.tmp$`));
    expect(fs.readFileSync(file, 'utf8')).toBe('v49');
  });
});

describe('cleanStaleTemps', () => {
  test('removes old temporary files of dead processes only', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'model.safetensors');
    const dead = await deadPid();
    const live = spawn('sleep', ['30']);
    try {
      const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
      const names = {
        deadOld: `.model.safetensors.${dead}.0.1a2b3c.tmp`,
        deadOldLegacy: `.model.safetensors.${dead}.1733011200000.tmp`,
        deadRecent: `.model.safetensors.${dead}.0.4d5e6f.tmp`,
        liveOld: `.model.safetensors.${live.pid}.0.abcdef.tmp`,
        ownOld: `.model.safetensors.${process.pid}.3.abcdef.tmp`,
        otherFile: `.other.safetensors.${dead}.0.abcdef.tmp`,
        unrelated: 'notes.txt',
      };
      for (const [key, name] of Object.entries(names)) {
        fs.writeFileSync(path.join(dir, name), 'x');
        if (key !== 'deadRecent') fs.utimesSync(path.join(dir, name), old, old);
      }
      writeFileAtomic(file, 'model'); // saves clean up on the way
      const left = new Set(fs.readdirSync(dir));
      expect(left.has(names.deadOld)).toBe(false);
      expect(left.has(names.deadOldLegacy)).toBe(false);
      for (const key of ['deadRecent', 'liveOld', 'ownOld', 'otherFile', 'unrelated'] as const) expect(left.has(names[key])).toBe(true);
      expect(cleanStaleTemps(file, 0)).toEqual([path.join(dir, names.deadRecent)]);
    } finally {
      live.kill('SIGKILL');
    }
  });
});

/** The id of a process that has exited (and not been reused yet: checked). */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0']);
    child.on('error', reject);
    child.on('exit', () => {
      try {
        process.kill(child.pid!, 0);
        reject(new Error(`pid ${child.pid} was reused at once`));
      } catch {
        resolve(child.pid!);
      }
    });
  });
}

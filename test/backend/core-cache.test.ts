// The chooser's verdict cache: a verdict is reused only while its key and the files it was made
// with are unchanged, and a cache directory that cannot be written falls back to a private temp one.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDirs, readEntry, stampFile, writeEntry, type CacheEntry, type CacheKey } from '../../lib/backend/core-cache';

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-cache-test-'));
  const lib = path.join(dir, 'libopenblas.so');
  fs.writeFileSync(lib, 'a library');
  const key: CacheKey = {
    cpuModel: 'AMD EPYC', vendor: 'AuthenticAMD', simd: ['sse2', 'avx2'], blasnetVersion: '0.1.0', addonFile: lib, simulated: null, fault: null,
  };
  const entry: CacheEntry = {
    key, files: [stampFile(lib)!], openblasBuild: 'OpenBLAS 0.3.21 DYNAMIC_ARCH', autoCore: 'Prescott',
    verdict: { core: 'Cooperlake', reason: 'chosen', detail: 'faster' }, seconds: { Prescott: 3, Cooperlake: 1 }, date: 'now',
  };
  const env = { XDG_CACHE_HOME: path.join(dir, 'cache'), TMPDIR: path.join(dir, 'tmp') };
  return { dir, lib, key, entry, env };
}

describe('verdict cache', () => {
  it('prefers XDG_CACHE_HOME, else ~/.cache, then a private temp directory', () => {
    expect(cacheDirs({ XDG_CACHE_HOME: '/x', HOME: '/h', TMPDIR: '/t' })).toEqual(['/x/blasnet', expect.stringMatching(/^\/t\/blasnet-/)]);
    expect(cacheDirs({ HOME: '/h', TMPDIR: '/t' })).toEqual(['/h/.cache/blasnet', expect.stringMatching(/^\/t\/blasnet-/)]);
  });

  it('reads back what it wrote, for the same key only', () => {
    const { key, entry, env } = setup();
    const written = writeEntry(entry, env);
    expect(written).toEqual({ file: expect.stringContaining(path.join(env.XDG_CACHE_HOME, 'blasnet')) });
    expect(readEntry(key, env)?.entry.verdict).toEqual(entry.verdict);
    expect(readEntry({ ...key, blasnetVersion: '0.2.0' }, env)).toBeUndefined();
    expect(readEntry({ ...key, simd: ['sse2'] }, env)).toBeUndefined();
    expect(readEntry({ ...key, simulated: 'Prescott' }, env)).toBeUndefined();
  });

  it('treats a verdict as stale once a file it was made with changes', () => {
    const { lib, key, entry, env } = setup();
    writeEntry(entry, env);
    fs.writeFileSync(lib, 'another build of the library');
    expect(readEntry(key, env)).toBeUndefined();
    fs.unlinkSync(lib);
    expect(readEntry(key, env)).toBeUndefined();
  });

  it('ignores a corrupt or incomplete file', () => {
    const { key, entry, env } = setup();
    const { file } = writeEntry(entry, env) as { file: string };
    fs.writeFileSync(file, '{"key": {');
    expect(readEntry(key, env)).toBeUndefined();
    fs.writeFileSync(file, JSON.stringify({ ...entry, verdict: { core: 'Cooperlake', reason: 'because' } }));
    expect(readEntry(key, env)).toBeUndefined();
  });

  it('falls back to the temp directory when the cache directory cannot be made', () => {
    const { dir, key, entry } = setup();
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, '');
    const env = { XDG_CACHE_HOME: blocker, TMPDIR: path.join(dir, 'tmp') };
    const written = writeEntry(entry, env);
    expect(written).toEqual({ file: expect.stringContaining(path.join(dir, 'tmp', 'blasnet-')) });
    expect(readEntry(key, env)?.entry.verdict.core).toBe('Cooperlake');
    const nowhere = { XDG_CACHE_HOME: blocker, TMPDIR: blocker };
    expect(writeEntry(entry, nowhere)).toEqual({ error: expect.stringMatching(/a-file\/blasnet: ENOTDIR.*; .*a-file\/blasnet-.*: ENOTDIR/) });
  });
});

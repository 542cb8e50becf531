// The cause and fix blasnet gives when the addon does not load (scripts/addon-help.cjs, used by the
// install step and by the library's fallback notice), on node-gyp-build's real errors and on
// directories made here to hold or lack the build tools.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const help = require('../../scripts/addon-help.cjs') as {
  FIX: string;
  loadFailureCause(err: unknown): string;
  missingBuildTools(o: { searchPath: string; headerDirs: string[] }): string[];
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;

function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

let dir: string;
const saved = { CXX: process.env.CXX, PYTHON: process.env.PYTHON };
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'blasnet-help-'));
  writeFileSync(path.join(dir, 'package.json'), '{"name":"blasnet-probe"}');
  delete process.env.CXX;
  delete process.env.PYTHON;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
});

describe('addon load failure cause', () => {
  it('names the platform when there is no prebuild and no build', () => {
    const err = thrownBy(() => nodeGypBuild(dir));
    // node-gyp-build's message names the libc it matched prebuilds against.
    const libc = process.platform === 'linux' ? ` (${/libc=(\w+)/.exec(err.message)![1]})` : '';
    expect(help.loadFailureCause(err)).toBe(`no prebuilt addon for ${process.platform}-${process.arch}${libc} in the package and no local build`);
  });

  it('passes on the loader\'s own first line when a build exists but does not load', () => {
    mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
    writeFileSync(path.join(dir, 'build', 'Release', 'probe.node'), 'not an ELF file');
    const err = thrownBy(() => nodeGypBuild(dir));
    const cause = help.loadFailureCause(err);
    expect(cause).toMatch(/^the addon failed to load: .*probe\.node/);
    expect(cause).not.toContain('\n');
  });

  it('names the fix for Debian/Ubuntu, Fedora/RHEL and Alpine', () => {
    expect(help.FIX).toContain('Debian/Ubuntu: apt-get install g++ make python3 libopenblas-dev');
    expect(help.FIX).toContain('Fedora/RHEL: dnf install gcc-c++ make python3 openblas-devel');
    expect(help.FIX).toContain('Alpine: apk add g++ make python3 openblas-dev');
    expect(help.FIX).toMatch(/npm rebuild blasnet$/);
  });
});

describe('missing build tools', () => {
  it('lists everything when the PATH and include directories hold nothing', () => {
    expect(help.missingBuildTools({ searchPath: dir, headerDirs: [dir] }))
      .toEqual(['a C++ compiler (g++)', 'make', 'python3', "OpenBLAS's headers (cblas.h)"]);
  });

  it('lists nothing once each tool is an executable on the PATH and cblas.h is in an include directory', () => {
    for (const tool of ['c++', 'make', 'python3']) {
      writeFileSync(path.join(dir, tool), '#!/bin/sh\n');
      chmodSync(path.join(dir, tool), 0o755);
    }
    writeFileSync(path.join(dir, 'cblas.h'), '');
    expect(help.missingBuildTools({ searchPath: `/nonexistent${path.delimiter}${dir}`, headerDirs: [dir] })).toEqual([]);
  });

  it('does not count a file that is not executable', () => {
    writeFileSync(path.join(dir, 'make'), '');
    chmodSync(path.join(dir, 'make'), 0o644);
    expect(help.missingBuildTools({ searchPath: dir, headerDirs: [dir] })).toContain('make');
  });
});

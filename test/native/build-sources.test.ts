// Both native builds compile one list of sources: binding.gyp's "sources" (node-gyp: prebuilds and
// installs without cmake), which CMakeLists.txt reads through cmake/native-sources.cmake (cmake-js).
// A kernel file left out of a build links, loads, and then kills Node with a symbol lookup error at
// its first call, so the list must name every native/*.cc, and CMake must read back the same list.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeRequired } from '../helpers/native';

const root = path.resolve(__dirname, '..', '..');

function gypSources(): string[] {
  // JSON.parse, not a Python literal reader: CMake's string(JSON) must be able to read the file too.
  const gyp = JSON.parse(readFileSync(path.join(root, 'binding.gyp'), 'utf8')) as { targets: { sources: string[] }[] };
  expect(gyp.targets).toHaveLength(1);
  return gyp.targets[0].sources;
}

const cmakeFound = spawnSync('cmake', ['--version']).status === 0;

describe('native source list', () => {
  it('binding.gyp lists every native/*.cc file, once, and nothing else', () => {
    const onDisk = readdirSync(path.join(root, 'native')).filter((f) => f.endsWith('.cc')).map((f) => `native/${f}`);
    const listed = gypSources();
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(onDisk.sort());
  });

  it.skipIf(!cmakeFound && !nativeRequired)('CMake compiles exactly binding.gyp\'s list', () => {
    const run = spawnSync('cmake', ['-P', path.join(root, 'cmake', 'native-sources.cmake')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    // In script mode message() writes to stderr, one source per line.
    const fromCmake = run.stderr.split('\n').filter((line) => line !== '');
    expect(fromCmake).toEqual(gypSources());
    // …and that is the list the addon target is built from, not a glob or a list of its own.
    const cmakeLists = readFileSync(path.join(root, 'CMakeLists.txt'), 'utf8');
    expect(cmakeLists).toMatch(/^include\(cmake\/native-sources\.cmake\)/m);
    expect(cmakeLists).toMatch(/add_library\(\$\{PROJECT_NAME\} SHARED \$\{BLASNET_SOURCES\} \$\{CMAKE_JS_SRC\}\)/);
    expect(cmakeLists).not.toMatch(/\.cc\b/);
  });
});

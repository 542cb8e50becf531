// CMakeLists.txt compiles native/*.cc by glob; binding.gyp (node-gyp, prebuildify) lists its sources
// by hand. A source missing there still links (undefined symbols are allowed) and only fails when the
// addon loads, so the list is held to the directory here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(__dirname, '../..');

it('binding.gyp compiles every native/*.cc file', () => {
  const gyp = JSON.parse(readFileSync(join(root, 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, '')) as {
    targets: { target_name: string; sources: string[] }[];
  };
  const sources = gyp.targets.find((t) => t.target_name === 'blasnet')?.sources ?? [];
  const files = readdirSync(join(root, 'native')).filter((f) => f.endsWith('.cc')).map((f) => `native/${f}`);
  expect([...sources].sort()).toEqual(files.sort());
});

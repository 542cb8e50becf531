// Tests that run blasnet in a child process or a worker thread load the built package (dist/, made
// by `npm run build:ts`, which `npm test` runs first). A dist older than lib/ would test old code.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const root = path.resolve(__dirname, '../..');
export const distIndex = path.join(root, 'dist', 'index.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : entry.name.endsWith('.ts') ? fs.statSync(p).mtimeMs : 0);
  }
  return newest;
}

/** dist/index.js, after checking that it was built from the current lib/. */
export function builtPackage(): string {
  if (!fs.existsSync(distIndex)) throw new Error(`${distIndex} is missing: run npm run build:ts`);
  if (fs.statSync(distIndex).mtimeMs < newestSource(path.join(root, 'lib'))) {
    throw new Error('dist/ is older than lib/: run npm run build:ts (npm test does it first)');
  }
  return distIndex;
}

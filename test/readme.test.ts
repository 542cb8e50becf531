// The README's code must keep working: every ```js block is run as an ES module against the built
// package, except those that train on the full Fashion-MNIST (the examples test covers that path).
import { expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const blocks = [...fs.readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

test('the README has code blocks to check', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(2);
});

for (const [i, code] of blocks.entries()) {
  test.skipIf(code.includes('loadFashionMnist'))(`README code block ${i + 1} runs`, () => {
    const file = path.join(root, `.readme-block-${i + 1}.mjs`);
    fs.writeFileSync(file, code);
    try {
      execFileSync(process.execPath, [file], { cwd: root, encoding: 'utf8', timeout: 60_000, stdio: 'pipe' });
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
}

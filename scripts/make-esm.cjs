#!/usr/bin/env node
// Writes dist/index.mjs, the ESM entry point: it re-exports the CommonJS build's named exports so
// `import { Sequential } from 'blasnet'` and `require('blasnet')` share one module instance.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

process.env.BLASNET_BACKEND = 'js'; // listing the exports must not need (or warn about) the addon
const dist = path.resolve(__dirname, '..', 'dist');
const names = Object.keys(require(path.join(dist, 'index.js'))).filter((n) => n !== 'default' && n !== '__esModule');
const lines = [
  "import cjs from './index.js';",
  ...names.map((n) => `export const ${n} = cjs.${n};`),
  'export default cjs;',
  '',
];
fs.writeFileSync(path.join(dist, 'index.mjs'), lines.join('\n'));

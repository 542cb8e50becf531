'use strict';
// Loads blasnet for the benchmarks. Normally that is the built package (dist/, made by `npm install`
// or `npx tsc -p tsconfig.json`). When dist/ is missing, or BENCH_FROM_SOURCE=1 asks for it, the
// TypeScript sources in lib/ are transpiled in memory instead, so a checkout whose build is stale or
// broken elsewhere can still be measured. Either way the benchmark code sees the same exports.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
let loaded;

function registerTypeScript() {
  if (require.extensions['.ts']) return;
  const ts = require(require.resolve('typescript', { paths: [root] }));
  require.extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const out = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    // @ts-expect-error Module#_compile is Node's own (untyped) hook for compiled source
    module._compile(out.outputText, filename);
  };
}

function distIsPresent() {
  return fs.existsSync(path.join(root, 'dist', 'index.js'));
}

/** 'dist' or 'source': where the loaded blasnet came from. */
function origin() {
  return process.env.BENCH_FROM_SOURCE === '1' || !distIsPresent() ? 'source' : 'dist';
}

/** Requires one module of blasnet by its path under lib/ (e.g. 'backend/index'). */
function requireModule(name) {
  if (origin() === 'dist') return require(path.join(root, 'dist', name));
  registerTypeScript();
  return require(path.join(root, 'lib', `${name}.ts`));
}

/** True when lib/<name>.ts exists (a part of the library that may not have landed yet). */
function hasModule(name) {
  return fs.existsSync(path.join(root, 'lib', `${name}.ts`)) &&
    (origin() === 'source' || fs.existsSync(path.join(root, 'dist', `${name}.js`)));
}

/**
 * The package's public exports, plus backendByName from the backend module should the top level not
 * re-export it.
 */
function blasnet() {
  if (loaded) return loaded;
  const top = origin() === 'dist' ? require(root) : requireModule('index');
  if (typeof top.backendByName === 'function') {
    loaded = top;
  } else {
    loaded = { ...top, backendByName: requireModule('backend/index').backendByName };
  }
  return loaded;
}

/** lib/ sources newer than their dist/ output (or missing from it): a stale build measures old code. */
function staleDistFiles() {
  if (origin() !== 'dist') return [];
  const stale = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const rel = path.relative(path.join(root, 'lib'), file).replace(/\.ts$/, '.js');
        const built = path.join(root, 'dist', rel);
        if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(file).mtimeMs) stale.push(rel);
      }
    }
  };
  walk(path.join(root, 'lib'));
  return stale;
}

module.exports = { blasnet, requireModule, hasModule, origin, staleDistFiles, root };

// The kernel signature table (lib/backend/kernels.ts) against what actually exists: both backends
// implement exactly its kernels, the addon counts each kernel's arguments as the table does and
// refuses the same hyper-parameters, and native/kernels.h numbers the activation, loss and optimizer
// kinds as lib/backend/types.ts does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsBackend } from '../../lib/backend/js';
import { hyperUsed, kernelNames, kernels } from '../../lib/backend/kernels';
import { Act, Loss, Opt, OptHyper } from '../../lib/backend/types';
import { describeNative } from '../helpers/native';

/** The addon's exports that are not kernels. */
const nativeExtras = ['info'];

/** leakyRelu → LEAKY_RELU */
const upperSnake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** The enumerators of `enum <name> : int { A = 0, B, … };` in native/kernels.h, in order. */
function nativeEnum(header: string, name: string): string[] {
  const match = new RegExp(`enum ${name} : int \\{([^}]*)\\}`).exec(header);
  if (match === null) throw new Error(`native/kernels.h has no enum ${name}`);
  const entries = match[1].split(',').map((e) => e.trim()).filter((e) => e !== '');
  // The table must be numbered implicitly from 0, so that position is value.
  expect(entries[0], `${name} starts at 0`).toMatch(/= 0$/);
  expect(entries.slice(1).every((e) => !e.includes('=')), `${name} numbers only its first entry`).toBe(true);
  return entries.map((e) => e.replace(/\s*=\s*0$/, ''));
}

describe('kernel signature table', () => {
  it('the JS backend implements exactly the kernels in the table', () => {
    const methods = Object.keys(jsBackend).filter((k) => k !== 'name').sort();
    expect(methods).toEqual([...kernelNames].sort());
  });

  it('each table entry names its arguments uniquely and gives lengths only for array arguments', () => {
    for (const fn of kernelNames) {
      const args = kernels[fn].args;
      const names = args.map(([name]) => name);
      expect(new Set(names).size, fn).toBe(names.length);
      const arrays = new Set<string>(args.filter(([, kind]) => kind === 'f32' || kind === 'i32' || kind === 'f64').map(([name]) => name));
      // every size 2, every flag true and every code 0: the length rules must still name array arguments only
      const sizes = Object.fromEntries(args.filter(([name]) => !arrays.has(name)).map(([name, kind]) => [name, kind === 'bool' ? true : kind === 'act' || kind === 'loss' || kind === 'opt' ? 0 : 2]));
      for (const name of Object.keys(kernels[fn].lengths(sizes))) expect(arrays.has(name), `${fn}: ${name}`).toBe(true);
    }
  });

  it('native/kernels.h numbers the activation, loss and optimizer kinds and the hyper-parameters as types.ts', () => {
    const header = readFileSync(join(__dirname, '../../native/kernels.h'), 'utf8');
    const tables: [string, string, Record<string, number>][] = [
      ['ActKind', 'ACT_', Act],
      ['LossKind', 'LOSS_', Loss],
      ['OptKind', 'OPT_', Opt],
      ['OptHyper', 'H_', Object.fromEntries(Object.entries(OptHyper).filter(([k]) => k !== 'length'))],
    ];
    for (const [name, prefix, codes] of tables) {
      const expected = Object.entries(codes).sort((a, b) => a[1] - b[1]).map(([k]) => prefix + upperSnake(k));
      expect(Object.values(codes).sort((a, b) => a - b), `${name} in types.ts is 0, 1, 2, …`).toEqual(expected.map((_, i) => i));
      expect(nativeEnum(header, name), name).toEqual([...expected, `${prefix}COUNT`]);
    }
  });
});

describeNative('kernel signature table against the addon', (native) => {
  const addon = native as unknown as Record<string, (...args: unknown[]) => unknown>;

  it('the addon exports exactly the kernels in the table (and info)', () => {
    const exports = Object.keys(native).filter((k) => k !== 'name' && !nativeExtras.includes(k)).sort();
    expect(exports).toEqual([...kernelNames].sort());
  });

  it('the addon expects as many arguments as the table lists', () => {
    for (const fn of kernelNames) {
      const n = kernels[fn].args.length;
      expect(() => addon[fn](...Array.from({ length: n + 1 }, () => 0)), fn).toThrow(`${fn}: expected ${n} arguments, received ${n + 1}`);
    }
  });

  it('optimizerStep refuses a non-finite hyper-parameter exactly when the kind reads it (hyperUsed)', () => {
    const names = Object.keys(OptHyper).filter((k) => k !== 'length') as (keyof ReturnType<typeof hyperUsed>)[];
    for (const kind of Object.values(Opt)) {
      const used = hyperUsed(kind);
      for (const name of names) {
        const h = new Float64Array([0.01, 0.9, 0.999, 1e-8, 0.01, 1]);
        h[OptHyper[name]] = NaN;
        const call = () => native.optimizerStep(kind, new Float32Array(2), new Float32Array(2), new Float32Array(2), new Float32Array(2), 2, h);
        if (used[name]) expect(call, `kind ${kind}, ${name}`).toThrow(`optimizerStep: expected h[${name}] to be a finite number, received NaN`);
        else expect(call, `kind ${kind}, ${name}`).not.toThrow();
      }
    }
  });
});

import type { Random } from './random';
import { checkNumber, checkOneOf, checkOptions, fail } from './validate';

/**
 * Initialisers, chosen by name. fanIn/fanOut are a weight's input and output sizes (for Dense
 * `[out, in]`: fanIn = in, fanOut = out; its bias uses the same fans).
 *
 *  zeros                         0 (breaks nothing for biases; for weights every unit of a layer
 *                                then computes and learns the same feature — a warning says so once)
 *  uniform                       U(−1/√fanIn, 1/√fanIn), meant for W and b alike (PyTorch's default
 *                                for Linear; keeps Wx + b near 0, out of saturation)
 *  normal                        N(0, std²), std default 0.01 ("small random")
 *  xavierNormal  = glorotNormal  N(0, 2/(fanIn+fanOut))
 *  xavierUniform = glorotUniform U(±√(6/(fanIn+fanOut))), the same variance
 *  lecunNormal                   N(0, 1/fanIn) (LeCun et al. 1998; some texts call it "Xavier, variance 1/n_in")
 *  heNormal  = kaimingNormal     N(0, 2/fanIn), for ReLU layers
 *  heUniform = kaimingUniform    U(±√(6/fanIn)), the same variance
 *
 * Every draw comes from the given seeded Random, in index order, so a seed fixes the weights bit
 * for bit on every machine and backend.
 */
export const initNames = [
  'zeros', 'uniform', 'normal',
  'xavierNormal', 'glorotNormal', 'xavierUniform', 'glorotUniform',
  'lecunNormal',
  'heNormal', 'kaimingNormal', 'heUniform', 'kaimingUniform',
] as const;
/** The name of a weight initialiser. */
export type InitName = (typeof initNames)[number];

/** A name, or { name: 'normal', std } to choose normal's standard deviation. */
export type InitSpec = InitName | { readonly name: InitName; readonly std?: number };

/** Validates an initialiser spec and returns it in plain JSON form (for config()). */
export function checkInit(fn: string, arg: string, spec: unknown): InitSpec {
  if (typeof spec === 'string') return checkOneOf(fn, arg, spec, initNames);
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    fail(fn, arg, `an initialiser name (${initNames.map((n) => `'${n}'`).join(', ')}) or { name, std }`, spec, 'type');
  }
  checkOptions(fn, arg, spec, ['name', 'std'], 'key');
  const { name, std } = spec as { name?: unknown; std?: unknown };
  const checkedName = checkOneOf(fn, `${arg}.name`, name, initNames);
  if (std === undefined) return { name: checkedName };
  if (checkedName !== 'normal') fail(fn, `${arg}.std`, "absent (only 'normal' takes a std)", String(std));
  checkNumber(fn, `${arg}.std`, std);
  if ((std as number) < 0) fail(fn, `${arg}.std`, 'a number ≥ 0', String(std));
  return { name: checkedName, std: std as number };
}

let zeroWeightsWarned = false;

/** Resets the once-per-process zero-weights warning (for tests of the warning itself). */
export function resetInitWarnings(): void {
  zeroWeightsWarned = false;
}

/**
 * Fills out[0..n) from the (already validated) spec. `role` only decides whether zeros deserve the
 * symmetry warning: zero biases are normal practice, zero weights are not.
 */
export function initialize(out: Float32Array, spec: InitSpec, fanIn: number, fanOut: number, rng: Random,
  role: 'weight' | 'bias' = 'weight'): void {
  const name = typeof spec === 'string' ? spec : spec.name;
  const n = out.length;
  switch (name) {
    case 'zeros':
      if (role === 'weight' && !zeroWeightsWarned) {
        zeroWeightsWarned = true;
        process.stderr.write('blasnet: weights initialised to zeros: the units of such a layer stay identical ' +
          '(symmetric units learn the same feature); use a random initialiser to break the symmetry.\n');
      }
      out.fill(0);
      return;
    case 'uniform':
      return fillUniform(out, n, 1 / Math.sqrt(fanIn), rng);
    case 'normal':
      return fillNormal(out, n, typeof spec === 'string' || spec.std === undefined ? 0.01 : spec.std, rng);
    case 'xavierNormal':
    case 'glorotNormal':
      return fillNormal(out, n, Math.sqrt(2 / (fanIn + fanOut)), rng);
    case 'xavierUniform':
    case 'glorotUniform':
      return fillUniform(out, n, Math.sqrt(6 / (fanIn + fanOut)), rng);
    case 'lecunNormal':
      return fillNormal(out, n, Math.sqrt(1 / fanIn), rng);
    case 'heNormal':
    case 'kaimingNormal':
      return fillNormal(out, n, Math.sqrt(2 / fanIn), rng);
    case 'heUniform':
    case 'kaimingUniform':
      return fillUniform(out, n, Math.sqrt(6 / fanIn), rng);
    default:
      fail('initialize', 'spec', `one of ${initNames.join(', ')}`, String(name));
  }
}

function fillUniform(out: Float32Array, n: number, limit: number, rng: Random): void {
  for (let i = 0; i < n; i++) out[i] = rng.uniform(-limit, limit);
}

function fillNormal(out: Float32Array, n: number, std: number, rng: Random): void {
  for (let i = 0; i < n; i++) out[i] = rng.normal(0, std);
}

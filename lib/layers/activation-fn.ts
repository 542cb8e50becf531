import { getBackend } from '../backend/index';
import { Act, type ActCode } from '../backend/types';
import { checkNumber, checkOneOf, fail } from '../validate';

// The activation functions shared by the Activation layer and Dense's fused activation: a name
// resolved once to a kernel code, and the forward/backward calls that dispatch on it.

/** The activation functions, by name. */
export const activationNames = [
  'identity', 'linear', 'step', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softmax',
] as const;
/** 'linear' is accepted as another name for 'identity'. */
export type ActivationName = (typeof activationNames)[number];

const defaultAlpha = { leakyRelu: 0.01, elu: 1 } as const;

export interface ResolvedActivation {
  /** The canonical name ('linear' becomes 'identity'). */
  readonly name: Exclude<ActivationName, 'linear'>;
  /** The elementwise kernel, or -1 for softmax (a row operation). */
  readonly code: ActCode | -1;
  /** leakyRelu's slope or elu's α; 0 for the others. */
  readonly alpha: number;
}

/** Validates a name and optional alpha (only leakyRelu and elu take one). */
export function resolveActivation(fn: string, arg: string, name: unknown, alpha: unknown): ResolvedActivation {
  const checked = checkOneOf(fn, arg, name, activationNames);
  const canonical = checked === 'linear' ? 'identity' : checked;
  let a = 0;
  if (canonical === 'leakyRelu' || canonical === 'elu') {
    a = alpha === undefined ? defaultAlpha[canonical] : checkNumber(fn, 'alpha', alpha);
  } else if (alpha !== undefined) {
    fail(fn, 'alpha', `absent ('${canonical}' takes no alpha; only leakyRelu and elu do)`, String(alpha));
  }
  return { name: canonical, code: canonical === 'softmax' ? -1 : Act[canonical], alpha: a };
}

/** y = φ(x) over `rows` rows of `width` values (softmax normalises each row). */
export function activationForward(act: ResolvedActivation, y: Float32Array, x: Float32Array, rows: number,
  width: number): void {
  if (act.code === -1) getBackend().softmaxForward(y, x, rows, width);
  else getBackend().activationForward(act.code, act.alpha, y, x, rows * width);
}

/** dx = ∂L/∂x from dy = ∂L/∂y, the pre-activation x and the output y of the same forward. */
export function activationBackward(act: ResolvedActivation, dx: Float32Array, dy: Float32Array, x: Float32Array,
  y: Float32Array, rows: number, width: number): void {
  if (act.code === -1) getBackend().softmaxBackward(dx, dy, y, rows, width);
  else getBackend().activationBackward(act.code, act.alpha, dx, dy, x, y, rows * width);
}

/** 'relu', or 'leakyRelu(0.2)' when alpha differs from the default (for summaries). */
export function activationLabel(act: ResolvedActivation): string {
  if (act.name === 'leakyRelu' || act.name === 'elu') {
    return act.alpha === defaultAlpha[act.name] ? act.name : `${act.name}(${act.alpha})`;
  }
  return act.name;
}

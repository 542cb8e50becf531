import { fail } from '../validate';
import { categoricalCrossentropy, softmaxCrossentropy } from './categorical';
import { binaryCrossentropy, binaryCrossentropyFromLogits, halfMse, hinge, kl, mae, mse } from './elementwise';
import type { LossFunction } from './types';

export type { LossFunction } from './types';
export { ElementwiseLoss } from './elementwise';
export { CategoricalCrossentropy, SoftmaxCrossentropy } from './categorical';
export { applyPenalties, checkPenalties, l1, l1l2, l2, penaltyValue, type Penalties } from './penalties';

const factories = {
  mse,
  halfMse,
  mae,
  binaryCrossentropy,
  binaryCrossentropyFromLogits,
  categoricalCrossentropy,
  softmaxCrossentropy,
  hinge,
  kl,
} as const;

/** The name of a built-in loss. */
export type LossName = keyof typeof factories;
/** The built-in losses, by name. */
export const lossNames = Object.keys(factories) as LossName[];

/** The losses of a regression model: its outputs are values, not classes (no class weights, no
 *  class probabilities). */
export const REGRESSION_LOSSES: ReadonlySet<string> = new Set<LossName>(['mse', 'halfMse', 'mae']);

/**
 * A fresh loss by name (each instance owns its scratch buffers, so give each model its own), or a
 * user-supplied LossFunction returned as is after checking its shape.
 */
export function getLoss(loss: LossName | LossFunction): LossFunction {
  const expected = `one of ${lossNames.map((n) => `'${n}'`).join(', ')}, or a LossFunction object`;
  if (typeof loss === 'string') {
    if (!Object.hasOwn(factories, loss)) fail('getLoss', 'loss', expected, JSON.stringify(loss));
    return factories[loss]();
  }
  if (typeof loss !== 'object' || loss === null) fail('getLoss', 'loss', expected, loss, 'type');
  const candidate = loss as Partial<LossFunction>;
  if (typeof candidate.name !== 'string' || typeof candidate.compute !== 'function' ||
    typeof candidate.checkTarget !== 'function' || typeof candidate.acceptsLabels !== 'boolean') {
    fail('getLoss', 'loss', 'a LossFunction { name, acceptsLabels, compute, checkTarget }', loss, 'type');
  }
  return loss;
}

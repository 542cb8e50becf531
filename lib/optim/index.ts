// Optimizers, learning-rate schedules and gradient clipping.
export { Optimizer, type OptimizerConfig } from './optimizer';
export {
  sgd, momentum, momentumEma, nesterov, adagrad, rmsprop, adam, adamw, optimizer, optimizerNames,
  type OptimizerSpec, type SgdOptions, type MomentumOptions, type AdagradOptions, type RmspropOptions,
  type AdamOptions, type AdamwOptions,
} from './optimizers';
export { inverseTimeDecay, exponentialDecay, stepDecay, type LrSchedule } from './schedules';
export { globalGradNorm, clipGradsByValue, clipGradsByNorm } from './clip';

import type { Backend } from '../types';
import { gemm } from './gemm';
import { activationBackward, activationForward } from './activation';
import { oneHot, softmaxBackward, softmaxCrossentropy, softmaxForward } from './softmax';
import { loss } from './loss';
import { dropoutForward } from './dropout';
import { batchNormBackward, batchNormForward, layerNormBackward, layerNormForward } from './normalization';
import { optimizerStep } from './optimizer';
import { addBias, argmaxRows, gatherRows, sumRows } from './matrix';
import { addSign, axpy, clip, fill, mul, scale, sumAbs, sumSquares } from './elementwise';

export { dropoutKeep, dropoutThreshold, fmix32 } from './dropout';

/**
 * The pure-JavaScript backend: the definition of every primitive in types.ts (the native backend is
 * tested against it) and the fallback when the addon cannot load. Single-threaded; all math on
 * Float32Array views, with reductions accumulated in doubles.
 */
export const jsBackend: Backend = {
  name: 'js',
  gemm,
  addBias,
  sumRows,
  activationForward,
  activationBackward,
  softmaxForward,
  softmaxBackward,
  softmaxCrossentropy,
  loss,
  oneHot,
  dropoutForward,
  mul,
  batchNormForward,
  batchNormBackward,
  layerNormForward,
  layerNormBackward,
  optimizerStep,
  gatherRows,
  argmaxRows,
  axpy,
  scale,
  fill,
  addSign,
  sumSquares,
  sumAbs,
  clip,
  getThreads: () => 1,
  // There is one JavaScript thread; the count is accepted so callers need not special-case it.
  setThreads: (_n: number) => undefined,
};

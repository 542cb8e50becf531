import type { Layer, Param } from '../layers/layer';
import type { Random } from '../random';
import { fail } from '../validate';

/**
 * What training needs from a model (Sequential provides it): its layers, its seeded generator, and
 * the unchecked batch forward/backward that run the layers' own buffers.
 */
export interface TrainableModel {
  readonly layers: readonly Layer[];
  readonly rng: Random;
  readonly built: boolean;
  readonly inputShape: readonly number[] | undefined;
  readonly outputShape: readonly number[];
  readonly inputSize: number;
  readonly outputSize: number;
  /** Sizes the layers for a per-sample input shape. */
  build(inputShape?: readonly number[]): unknown;
  /** Every learned parameter. */
  params(): Param[];
  /** The output of m rows of x. */
  forwardBatch(x: Float32Array, m: number, training: boolean): Float32Array;
  /** Back-propagates dy for the last forward's m rows; returns ∂L/∂input when asked. */
  backwardBatch(dy: Float32Array, m: number, needInputGrad?: boolean): Float32Array;
}

/** Builds the model from the data's per-sample shape when nothing else fixed its input shape. */
export function ensureBuiltFor(model: TrainableModel, fn: string, arg: string, x: unknown): void {
  if (model.built) return;
  const first = model.layers[0] as { inputs?: unknown } | undefined;
  if (model.inputShape !== undefined || typeof first?.inputs === 'number') {
    model.build();
    return;
  }
  const shape = (x as { shape?: unknown } | null)?.shape;
  if (Array.isArray(shape) && shape.length >= 2) model.build(shape.slice(1));
  else if (Array.isArray(x) && Array.isArray(x[0])) model.build([(x[0] as unknown[]).length]);
  else fail(fn, arg, 'a Tensor [n, ...features] (the model has no input shape yet to read flat data with)', x, 'type');
}

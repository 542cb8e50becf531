import type { Random } from '../random';

/** A learnable buffer and its gradient (same length), as optimizers and save/load see them. */
export interface Param {
  /** Unique within its layer: 'weight', 'bias', 'gamma', 'beta', … */
  readonly name: string;
  readonly shape: readonly number[];
  readonly value: Float32Array;
  readonly grad: Float32Array;
  /** Whether L1/L2 penalties and weight decay apply (weights yes, biases and norm params no). */
  readonly decay: boolean;
}

/** Non-learned state that must survive save/load (e.g. batch norm's running mean and variance). */
export interface StateBuffer {
  readonly name: string;
  readonly shape: readonly number[];
  readonly value: Float32Array;
}

/** What a model gives its layers when it builds them. */
export interface LayerContext {
  /** The seeded generator for initialisers and dropout seeds. */
  readonly rng: Random;
}

/**
 * A layer is a forward/backward pair over buffers it owns. Shapes are per sample: a batch is m rows
 * of `inputSize` floats, row-major. Buffers are sized on first use for m and reused, so a training
 * step in steady state allocates nothing.
 */
export interface Layer {
  /** The class name used in summaries and saved architecture ('Dense', 'Activation', …). */
  readonly kind: string;
  /** Called once by the model with the per-sample input shape; allocates parameters and returns the
   *  per-sample output shape. */
  build(inputShape: readonly number[], ctx: LayerContext): readonly number[];
  /** x holds m rows; returns the layer's own output buffer (m rows). The layer keeps what backward
   *  needs (x itself, pre-activations, masks). */
  forward(x: Float32Array, m: number, training: boolean): Float32Array;
  /** dy is ∂L/∂output for the m rows of the last forward; writes parameter gradients (overwriting)
   *  and returns ∂L/∂input (the layer's own buffer). When needInputGrad is false (first layer), it
   *  may skip computing it and return an empty array. */
  backward(dy: Float32Array, m: number, needInputGrad: boolean): Float32Array;
  /** The learned parameters, each with its gradient buffer. */
  params(): Param[];
  /** Non-learned state saved with the model (empty for most layers). */
  state(): StateBuffer[];
  /** JSON-serialisable constructor arguments: `new (layers[kind])(config)` rebuilds the layer. */
  config(): Record<string, unknown>;
}

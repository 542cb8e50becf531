import { allocFloat32, RowBuffer } from '../alloc';
import { getBackend } from '../backend/index';
import { checkInit, initialize, type InitSpec } from '../init';
import { checkBoolean, checkInt, checkOptions, fail, shapeString } from '../validate';
import { activationBackward, activationForward, activationLabel, resolveActivation, type ActivationName,
  type ResolvedActivation } from './activation-fn';
import { BaseLayer, EMPTY } from './base';
import { checkShape, sizeOfShape } from '../tensor';
import type { Layer, LayerContext, Param } from './layer';

/** A Dense layer's options: initialiser, bias and fused activation. */
export interface DenseOptions {
  /** Weight initialiser (see lib/init.ts). Default 'uniform': U(±1/√inputs), PyTorch's default. */
  init?: InitSpec;
  /** Bias initialiser. Default: 'uniform' when init is 'uniform' (W and b alike), else 'zeros'. */
  biasInit?: InitSpec;
  /** Whether the layer has a bias. Default true. */
  bias?: boolean;
  /** A fused activation applied after the bias (saves a layer hop per step). Default 'identity'. */
  activation?: ActivationName;
  /** leakyRelu's slope or elu's α for the fused activation. */
  alpha?: number;
}

/** A Dense layer's JSON configuration: its sizes and options. */
export interface DenseConfig extends DenseOptions {
  inputs: number;
  units: number;
}

const optionKeys = ['init', 'biasInit', 'bias', 'activation', 'alpha'];

/**
 * A fully connected layer: z = x·Wᵀ + b, a = φ(z), with W: [units, inputs] and b: [units].
 *
 * Gradients. The loss hands backward dy = ∂L/∂a where L is already the batch mean (losses scale
 * their gradient by 1/m), so with δ = dy ⊙ φ'(z) the parameter gradients are plain sums over the
 * rows: dW = δᵀ·x and db = Σ_rows δ. These equal the textbook ∂E/∂W = δᵀa/m and ∂E/∂b = Σ δ/m,
 * whose δ is the per-sample error before the 1/m. The input gradient is dx = δ·W.
 * All three are single gemm/sumRows calls on the row-major buffers; nothing is transposed or copied.
 *
 * @example
 *   const hidden = new Dense(784, 256, { activation: 'relu', init: 'heNormal' });
 *   const same = new Dense({ inputs: 784, units: 256, activation: 'relu', init: 'heNormal' });
 */
export class Dense extends BaseLayer implements Layer {
  readonly kind = 'Dense';
  readonly inputs: number;
  readonly units: number;
  readonly useBias: boolean;
  readonly init: InitSpec;
  readonly biasInit: InitSpec;
  readonly activation: ResolvedActivation;
  private weightParam: Param | undefined;
  private biasParam: Param | undefined;
  private x: Float32Array | undefined;
  private z: Float32Array | undefined;
  private a: Float32Array | undefined;
  private readonly zBuf: RowBuffer;
  private readonly aBuf: RowBuffer;
  private readonly dzBuf: RowBuffer;
  private readonly dxBuf: RowBuffer;

  /** A layer of `units` outputs from `inputs` inputs, from its configuration… */
  constructor(config: DenseConfig);
  /** …or from its sizes and options. */
  constructor(inputs: number, units: number, options?: DenseOptions);
  constructor(inputsOrConfig: number | DenseConfig, unitsArg?: number, optionsArg: DenseOptions = {}) {
    super();
    let inputs: unknown;
    let units: unknown;
    let options: DenseOptions;
    if (typeof inputsOrConfig === 'object' && inputsOrConfig !== null) {
      ({ inputs, units, ...options } = inputsOrConfig);
    } else {
      inputs = inputsOrConfig;
      units = unitsArg;
      if (typeof optionsArg !== 'object' || optionsArg === null) fail('Dense', 'options', 'an object', optionsArg, 'type');
      options = optionsArg;
    }
    this.inputs = checkInt('Dense', 'inputs', inputs, 1);
    this.units = checkInt('Dense', 'units', units, 1);
    checkOptions('Dense', 'options', options, optionKeys, 'key');
    this.useBias = options.bias === undefined ? true : checkBoolean('Dense', 'options.bias', options.bias);
    this.init = options.init === undefined ? 'uniform' : checkInit('Dense', 'options.init', options.init);
    const initName = typeof this.init === 'string' ? this.init : this.init.name;
    this.biasInit = options.biasInit === undefined
      ? (initName === 'uniform' ? 'uniform' : 'zeros')
      : checkInit('Dense', 'options.biasInit', options.biasInit);
    this.activation = resolveActivation('Dense', 'options.activation', options.activation ?? 'identity', options.alpha);
    this.zBuf = new RowBuffer(this.units);
    this.aBuf = new RowBuffer(this.units);
    this.dzBuf = new RowBuffer(this.units);
    this.dxBuf = new RowBuffer(this.inputs);
  }

  /** The weight [units, inputs] and its gradient (after build). */
  get weight(): Param {
    this.checkBuilt('weight');
    return this.weightParam!;
  }

  /** The bias [units] and its gradient (after build), or undefined when bias is false. */
  get bias(): Param | undefined {
    this.checkBuilt('bias');
    return this.biasParam;
  }

  /** Accepts any per-sample shape of `inputs` values ([784] or [28, 28] alike: rows are flat). */
  build(inputShape: readonly number[], ctx: LayerContext): readonly number[] {
    const shape = checkShape('Dense.build', 'inputShape', inputShape);
    if (sizeOfShape(shape) !== this.inputs) {
      fail('Dense.build', 'inputShape', `[${this.inputs}] (${this.inputs} features per sample)`, shapeString(shape));
    }
    if (typeof ctx !== 'object' || ctx === null || typeof ctx.rng?.normal !== 'function') {
      fail('Dense.build', 'ctx', 'a LayerContext { rng: Random }', ctx, 'type');
    }
    const w = allocFloat32(this.units * this.inputs);
    initialize(w, this.init, this.inputs, this.units, ctx.rng, 'weight');
    this.weightParam = { name: 'weight', shape: [this.units, this.inputs], value: w, grad: allocFloat32(w.length), decay: true };
    if (this.useBias) {
      const b = allocFloat32(this.units);
      initialize(b, this.biasInit, this.inputs, this.units, ctx.rng, 'bias');
      this.biasParam = { name: 'bias', shape: [this.units], value: b, grad: allocFloat32(this.units), decay: false };
    }
    this.built = true;
    return [this.units];
  }

  forward(x: Float32Array, m: number, _training = false): Float32Array {
    this.checkForward(x, m, this.inputs);
    const backend = getBackend();
    const z = this.zBuf.rows(m);
    backend.gemm(false, true, m, this.units, this.inputs, 1, x, this.weightParam!.value, 0, z);
    if (this.biasParam !== undefined) backend.addBias(z, this.biasParam.value, m, this.units);
    this.x = x;
    this.m = m;
    this.z = z;
    if (this.activation.name === 'identity') return z;
    const a = this.aBuf.rows(m);
    activationForward(this.activation, a, z, m, this.units);
    this.a = a;
    return a;
  }

  backward(dy: Float32Array, m: number, needInputGrad = true): Float32Array {
    this.checkBackward(dy, m, this.units);
    const backend = getBackend();
    let dz = dy;
    if (this.activation.name !== 'identity') {
      dz = this.dzBuf.rows(m);
      activationBackward(this.activation, dz, dy, this.z!, this.a!, m, this.units);
    }
    const weight = this.weightParam!;
    backend.gemm(true, false, this.units, this.inputs, m, 1, dz, this.x!, 0, weight.grad);
    if (this.biasParam !== undefined) backend.sumRows(this.biasParam.grad, dz, m, this.units, 1, 0);
    if (!needInputGrad) return EMPTY;
    const dx = this.dxBuf.rows(m);
    backend.gemm(false, false, m, this.inputs, this.units, 1, dz, weight.value, 0, dx);
    return dx;
  }

  override params(): Param[] {
    if (this.weightParam === undefined) return [];
    return this.biasParam === undefined ? [this.weightParam] : [this.weightParam, this.biasParam];
  }

  override config(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      inputs: this.inputs,
      units: this.units,
      init: this.init,
      biasInit: this.biasInit,
      bias: this.useBias,
      activation: this.activation.name,
    };
    if (this.activation.name === 'leakyRelu' || this.activation.name === 'elu') config.alpha = this.activation.alpha;
    return config;
  }

  override toString(): string {
    const act = this.activation.name === 'identity' ? '' : `, ${activationLabel(this.activation)}`;
    return `Dense(${this.inputs}→${this.units}${act}${this.useBias ? '' : ', no bias'})`;
  }
}

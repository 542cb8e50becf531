import { sizeOfShape, checkShape } from '../tensor';
import type { Layer, LayerContext, Param } from '../layers/layer';
import { layerClasses } from '../layers/index';
import { isAllocationLimitError, withAllocationLimit } from '../alloc';
import { Random } from '../random';
import { Tensor } from '../tensor';
import { checkBoolean, checkInt, checkOptions, fail, isFloat32Array, shapeString } from '../validate';
import { formatSummary, layerLabel } from './summary';
import { assertRowsFinite } from '../train/check-data';
import { encodeModelRecord, readModelRecord, writeModelRecord, type ModelRecord } from '../io/model-record';
import { modelRecord, restoreRecord, type SaveOptions } from './record';
import { saveOnnx, type OnnxSaveOptions } from '../onnx/save';
import { compileModel, evaluate as evaluateModel, evaluateAsync as evaluateModelAsync, predictAsync as predictModelAsync, fit as trainAsync, fitSync as trainSync, predict as predictModel,
  type CompileOptions, type DataInput, type FitOptions, type History, type InferenceOptions } from '../train/index';
import { predictClasses, predictClassNames, predictProba } from '../train/classify';
import { fitStream, isBatchSource, type BatchSource, type StreamFitOptions } from '../train/fit-stream';
import { evaluateStream } from '../train/evaluate-stream';
import { classNamesFromExtra, withClassNames } from './class-names';

/** A Sequential model's input shape and seed. */
export interface SequentialOptions {
  /** The per-sample input shape ([784], or [28, 28]); otherwise taken from build(), from the first
   *  layer when it declares `inputs` (Dense does), or from the first forward's tensor. */
  inputShape?: readonly number[];
  /** Seed of the model's Random (initialisers now; dropout, and shuffling and augmentation of a fit
   *  without its own seed, in training). Its state is saved with the model. */
  seed?: number;
}

/** A parameter with a model-wide key: `${layerIndex}.${param.name}`, e.g. '0.weight'. */
export interface ParamEntry {
  readonly key: string;
  readonly layerIndex: number;
  readonly param: Param;
}

/** The architecture without weights: enough to rebuild the same (untrained) model. */
export interface SequentialJSON {
  format: 'blasnet.sequential';
  version: 1;
  inputShape: number[] | null;
  layers: { kind: string; config: Record<string, unknown> }[];
}

/** Building a loaded model may allocate this many times the values its file stores, plus the slack:
 *  a layer's parameters, their gradients and its per-feature buffers (batch norm's take 2.25×). */
const LOAD_ALLOWANCE_FACTOR = 3;
const LOAD_ALLOWANCE_SLACK = 65536;

const layerMethods = ['build', 'forward', 'backward', 'params', 'state', 'config'] as const;

/**
 * Layers applied in order. forward/backward chain the layers' own forward/backward; every buffer
 * involved belongs to a layer and is reused from step to step.
 *
 * @example
 *   const model = new Sequential([
 *     new Dense(784, 256, { activation: 'relu', init: 'heNormal' }),
 *     new Dense(256, 10),
 *   ], { seed: 42 });
 *   const logits = model.forward(x);          // x: Tensor [m, 784] → Tensor [m, 10]
 *   console.log(model.summary());
 */
export class Sequential {
  /** The layers in order (add() appends; do not modify the array directly). */
  readonly layers: readonly Layer[];
  /** The model's seeded generator. */
  readonly rng: Random;
  /** What a classifier's output classes are called (class i is classNames[i]); saved with the model
   *  and used by predictClassNames. */
  classNames: readonly string[] | undefined;
  private readonly layerList: Layer[] = [];
  private readonly declaredInputShape: readonly number[] | undefined;
  private builtFlag = false;
  private shapes: readonly (readonly number[])[] = [];
  private inSize = 0;
  private outSize = 0;
  private lastM = 0;

  /** A model of the given layers, applied in order. */
  constructor(layers: readonly Layer[] = [], options: SequentialOptions = {}) {
    if (!Array.isArray(layers)) fail('Sequential', 'layers', 'an array of layers', layers, 'type');
    if (typeof options !== 'object' || options === null) fail('Sequential', 'options', 'an object', options, 'type');
    checkOptions('Sequential', 'options', options, ['inputShape', 'seed'], 'key');
    if (options.inputShape !== undefined) this.declaredInputShape = [...checkShape('Sequential', 'options.inputShape', options.inputShape)];
    if (options.seed !== undefined) checkInt('Sequential', 'options.seed', options.seed, 0, 2 ** 32 - 1);
    this.rng = new Random(options.seed);
    this.layers = this.layerList;
    layers.forEach((layer, i) => this.addLayer(layer, `layers[${i}]`));
  }

  /** Whether parameters exist (build ran). */
  get built(): boolean {
    return this.builtFlag;
  }

  /** Per-sample input shape, once known. */
  get inputShape(): readonly number[] | undefined {
    return this.builtFlag ? this.shapes[0] : this.declaredInputShape;
  }

  /** Per-sample output shape (after build). */
  get outputShape(): readonly number[] {
    this.ensureBuilt('Sequential.outputShape');
    return this.shapes[this.shapes.length - 1];
  }

  /** Floats per input sample / per output sample (after build). */
  get inputSize(): number {
    this.ensureBuilt('Sequential.inputSize');
    return this.inSize;
  }

  /** Values per sample in the model's output. */
  get outputSize(): number {
    this.ensureBuilt('Sequential.outputSize');
    return this.outSize;
  }

  /** Appends a layer; on a built model the new layer is built at once on the current output. */
  add(layer: Layer): this {
    return this.addLayer(layer, 'layer');
  }

  private addLayer(layer: Layer, argName: string): this {
    if (typeof layer !== 'object' || layer === null || typeof layer.kind !== 'string' ||
      layerMethods.some((method) => typeof (layer as unknown as Record<string, unknown>)[method] !== 'function')) {
      fail('Sequential.add', argName, `a Layer (an object with kind and ${layerMethods.join(', ')})`, layer, 'type');
    }
    if (this.builtFlag) {
      const shape = this.buildLayer(layer, this.layerList.length, this.outputShape);
      this.shapes = [...this.shapes, shape];
      this.outSize = sizeOfShape(shape);
    }
    this.layerList.push(layer);
    return this;
  }

  /**
   * Builds every layer in order on the per-sample shape the previous one produces, allocating and
   * initialising parameters from the model's Random. A layer that cannot take its predecessor's
   * output raises a RangeError naming both. Building a built model again is a no-op (the same shape)
   * or an error (another shape).
   */
  build(inputShape?: readonly number[]): this {
    const given = inputShape === undefined ? undefined : checkShape('Sequential.build', 'inputShape', inputShape);
    if (this.builtFlag) {
      if (given !== undefined && shapeString(given) !== shapeString(this.shapes[0])) {
        fail('Sequential.build', 'inputShape', `${shapeString(this.shapes[0])}, the shape the model was built with`, shapeString(given));
      }
      return this;
    }
    if (this.layerList.length === 0) throw new Error('Sequential.build: the model has no layers; add() some first');
    const shape = given ?? this.declaredInputShape ?? this.firstLayerInputShape();
    if (shape === undefined) {
      throw new Error('Sequential.build: the input shape is unknown; call build(inputShape) or pass ' +
        '{ inputShape } to the constructor');
    }
    const shapes: (readonly number[])[] = [[...shape]];
    for (let i = 0; i < this.layerList.length; i++) {
      shapes.push(this.buildLayer(this.layerList[i], i, shapes[i]));
    }
    this.shapes = shapes;
    this.inSize = sizeOfShape(shapes[0]);
    this.outSize = sizeOfShape(shapes[shapes.length - 1]);
    this.builtFlag = true;
    return this;
  }

  /** All learnable parameters, layer by layer (builds first when the input shape is known). */
  params(): Param[] {
    this.ensureBuilt('Sequential.params');
    return this.layerList.flatMap((layer) => layer.params());
  }

  /** The parameters with model-wide keys ('0.weight', '0.bias', '2.weight', …). */
  paramEntries(): ParamEntry[] {
    this.ensureBuilt('Sequential.paramEntries');
    return this.layerList.flatMap((layer, layerIndex) =>
      layer.params().map((param) => ({ key: `${layerIndex}.${param.name}`, layerIndex, param })));
  }

  /** Number of learnable scalars. */
  paramCount(): number {
    return this.params().reduce((sum, p) => sum + p.value.length, 0);
  }

  /**
   * Runs the layers on x: a Tensor [m, ...inputShape] (any trailing shape with the same number of
   * values per sample), or a Float32Array of m·inputSize floats. Returns a Tensor [m, ...outputShape]
   * that views the last layer's buffer: it is overwritten by the next forward (clone() to keep it).
   * x is checked for NaN and ±Infinity (a RangeError names the row and column) unless
   * `checkFinite: false`, which skips that pass over x in a hot loop.
   */
  forward(x: Tensor | Float32Array, options: { training?: boolean; checkFinite?: boolean } = {}): Tensor {
    if (typeof options !== 'object' || options === null) fail('Sequential.forward', 'options', 'an object', options, 'type');
    const training = options.training === undefined ? false : checkBoolean('Sequential.forward', 'options.training', options.training);
    const checkFinite = options.checkFinite === undefined ? true : checkBoolean('Sequential.forward', 'options.checkFinite', options.checkFinite);
    if (!this.builtFlag && x instanceof Tensor && x.rank >= 2 && this.declaredInputShape === undefined &&
      this.firstLayerInputShape() === undefined) {
      this.build(x.shape.slice(1));
    }
    this.ensureBuilt('Sequential.forward');
    const { data, m } = this.batchOf('Sequential.forward', 'x', x, this.inSize, this.shapes[0]);
    if (checkFinite) assertRowsFinite('Sequential.forward', 'x', data, this.inSize);
    const out = this.forwardBatch(data, m, training);
    const size = m * this.outSize;
    return new Tensor(out.length === size ? out : out.subarray(0, size), [m, ...this.outputShape]);
  }

  /**
   * Back-propagates dLoss = ∂L/∂output (m·outputSize floats, for the m rows of the last forward)
   * through every layer, overwriting each parameter's grad. With { inputGrad: true } also returns
   * ∂L/∂x as a Tensor shaped like the model input (a view, overwritten by the next backward).
   */
  backward(dLoss: Tensor | Float32Array, options: { inputGrad?: boolean } = {}): Tensor | undefined {
    if (typeof options !== 'object' || options === null) fail('Sequential.backward', 'options', 'an object', options, 'type');
    const inputGrad = options.inputGrad === undefined ? false : checkBoolean('Sequential.backward', 'options.inputGrad', options.inputGrad);
    this.ensureBuilt('Sequential.backward');
    if (this.lastM === 0) throw new Error('Sequential.backward: called before forward');
    const { data, m } = this.batchOf('Sequential.backward', 'dLoss', dLoss, this.outSize, this.outputShape);
    if (m !== this.lastM) fail('Sequential.backward', 'dLoss', `${this.lastM} rows, as in the last forward`, `${m} rows`);
    const dx = this.backwardBatch(data, m, inputGrad);
    if (!inputGrad) return undefined;
    const size = m * this.inSize;
    return new Tensor(dx.length === size ? dx : dx.subarray(0, size), [m, ...this.shapes[0]]);
  }

  /** The unchecked fast path used by training: x holds m rows of inputSize floats (built model). */
  forwardBatch(x: Float32Array, m: number, training: boolean): Float32Array {
    let y = x;
    for (let i = 0; i < this.layerList.length; i++) y = this.layerList[i].forward(y, m, training);
    this.lastM = m;
    return y;
  }

  /** The unchecked fast path of backward; returns ∂L/∂x when needInputGrad (else an empty array:
   *  the first layer skips that product). */
  backwardBatch(dy: Float32Array, m: number, needInputGrad = false): Float32Array {
    let g = dy;
    for (let i = this.layerList.length - 1; i >= 0; i--) g = this.layerList[i].backward(g, m, i > 0 || needInputGrad);
    return g;
  }

  /** A table of layers, output shapes and parameter counts, with the total. */
  summary(): string {
    this.ensureBuilt('Sequential.summary');
    return formatSummary(this.shapes[0], this.layerList.map((layer, i) => ({ layer, outputShape: this.shapes[i + 1] })));
  }

  /** The architecture (kinds, configs, input shape) as plain JSON; weights are not included. */
  toJSON(): SequentialJSON {
    const inputShape = this.inputShape ?? this.firstLayerInputShape();
    return {
      format: 'blasnet.sequential',
      version: 1,
      inputShape: inputShape === undefined ? null : [...inputShape],
      layers: this.layerList.map((layer) => ({ kind: layer.kind, config: layer.config() })),
    };
  }

  /** Rebuilds an (untrained, freshly initialised) model from toJSON()'s output. */
  static fromJSON(json: SequentialJSON, options: { seed?: number } = {}): Sequential {
    const fn = 'Sequential.fromJSON';
    if (typeof json !== 'object' || json === null) fail(fn, 'json', 'an object from Sequential.toJSON()', json, 'type');
    if (json.format !== 'blasnet.sequential') fail(fn, 'json.format', "'blasnet.sequential'", String(json.format));
    if (json.version !== 1) fail(fn, 'json.version', '1', String(json.version));
    if (!Array.isArray(json.layers)) fail(fn, 'json.layers', 'an array', json.layers, 'type');
    if (json.layers.length === 0) fail(fn, 'json.layers', 'a non-empty array of layers', '[]');
    const layers = json.layers.map((entry, i) => {
      const kind = entry?.kind;
      if (typeof kind !== 'string' || !Object.hasOwn(layerClasses, kind)) {
        fail(fn, `json.layers[${i}].kind`, `one of ${Object.keys(layerClasses).join(', ')}`, JSON.stringify(kind));
      }
      return new layerClasses[kind](entry.config);
    });
    const model = new Sequential(layers, {
      ...(json.inputShape === null || json.inputShape === undefined ? {} : { inputShape: json.inputShape }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
    if (model.inputShape !== undefined || model.firstLayerInputShape() !== undefined) model.build();
    return model;
  }

  // ─── Training (lib/train): compile / fit / evaluate / predict ─────────────────────────────────────

  /** Sets the loss, optimizer, metrics, L1/L2 penalties and gradient clipping used by fit and
   *  evaluate (see CompileOptions). Compiling again starts a fresh optimizer state. */
  compile(options: CompileOptions): this {
    compileModel(this, options);
    return this;
  }

  /** Trains on (x, y) without blocking the event loop; resolves with the per-epoch history
   *  (see FitOptions for epochs, batchSize, validation, callbacks, early stopping, abort). */
  fit(x: DataInput, y: DataInput, options?: FitOptions): Promise<History>;
  /** Trains on a source of { x, y } batches (csvDataset, or any iterable / async iterable that
   *  starts over each epoch) without holding the data in memory. */
  fit(data: BatchSource, options?: StreamFitOptions): Promise<History>;
  fit(x: DataInput | BatchSource, y?: DataInput | StreamFitOptions, options?: FitOptions): Promise<History> {
    if (isBatchSource(x)) return fitStream(this, x, y as StreamFitOptions | undefined);
    return trainAsync(this, x, y as DataInput, options);
  }

  /** fit for scripts: the same training, synchronously. */
  fitSync(x: DataInput, y: DataInput, options?: FitOptions): History {
    return trainSync(this, x, y, options);
  }

  /** { loss, ...metrics } on (x, y) in inference mode, in batches. */
  evaluate(x: DataInput, y: DataInput, options?: InferenceOptions): Record<string, number> {
    return evaluateModel(this, x, y, options);
  }

  /** Outputs for every row of x in inference mode, in batches: a new Tensor [n, ...outputShape]. */
  predict(x: DataInput, options?: InferenceOptions): Tensor {
    return predictModel(this, x, options);
  }

  /** evaluate without blocking the event loop (time-sliced like fit). */
  evaluateAsync(x: DataInput, y: DataInput, options?: InferenceOptions): Promise<Record<string, number>>;
  /** evaluate over a source of { x, y } batches (csvDataset, an iterable or async iterable). */
  evaluateAsync(data: BatchSource): Promise<Record<string, number>>;
  evaluateAsync(x: DataInput | BatchSource, y?: DataInput, options?: InferenceOptions): Promise<Record<string, number>> {
    if (isBatchSource(x)) return evaluateStream(this, x);
    return evaluateModelAsync(this, x, y as DataInput, options);
  }

  /** predict without blocking the event loop (time-sliced like fit; safe while a fit runs). */
  predictAsync(x: DataInput, options?: InferenceOptions): Promise<Tensor> {
    return predictModelAsync(this, x, options);
  }

  /** Class probabilities [n, classes] (rows sum to 1), whether the model ends in softmax/sigmoid or
   *  gives logits. */
  predictProba(x: DataInput, options?: InferenceOptions): Tensor {
    return predictProba(this, x, options);
  }

  /** The most probable class of each row, as indices. */
  predictClasses(x: DataInput, options?: InferenceOptions): Int32Array {
    return predictClasses(this, x, options);
  }

  /** The most probable class of each row by name (model.classNames unless given). */
  predictClassNames(x: DataInput, classNames?: readonly string[], options?: InferenceOptions): string[] {
    return predictClassNames(this, x, classNames, options);
  }

  // ─── Save / load (lib/model/record.ts builds the record, lib/io/model-record.ts the file) ──────────

  /** Saves architecture, training configuration, weights, generator state and (by default) optimizer
   *  state to `target` — a directory (written as target/model.safetensors) or a .safetensors path —
   *  atomically. Returns the file written. With { format: 'onnx' } writes exportOnnx's graph
   *  instead (target/model.onnx or a .onnx path). */
  save(target: string, options?: SaveOptions | OnnxSaveOptions): string {
    const format = (options as { format?: unknown } | undefined)?.format;
    if (format === 'onnx') {
      const onnx = options as OnnxSaveOptions;
      return saveOnnx(this, target, onnx.classNames === undefined && this.classNames !== undefined ? { ...onnx, classNames: this.classNames } : onnx);
    }
    if (format !== undefined) fail('model.save', 'options.format', "'onnx' (or absent, for blasnet's own file)", String(format));
    return writeModelRecord('model.save', target, this.toRecord(withClassNames(this, options as SaveOptions | undefined), 'model.save'));
  }

  /** The same content as save() writes, as bytes. */
  toBuffer(options?: SaveOptions): Buffer {
    return encodeModelRecord(this.toRecord(withClassNames(this, options)));
  }

  /** What save() writes, as a plain record (architecture, tensors, training, optimizer, generator, extra). */
  toRecord(options?: SaveOptions, fn = 'model.toBuffer'): ModelRecord {
    return modelRecord(fn, this, options);
  }

  /** Loads a model written by save() or toBuffer(); it predicts bit-identically and, when it was
   *  saved compiled, is compiled again (with its optimizer state when saved). */
  static load(source: string | Uint8Array): Sequential {
    return Sequential.fromRecord(readModelRecord('loadModel', source));
  }

  /** Rebuilds a model from a record read from a model file. */
  static fromRecord(record: ModelRecord, fn = 'loadModel'): Sequential {
    // The layers are built under a limit set by what the file stores, so an architecture that
    // declares more than its tensors hold fails before its buffers are allocated.
    const stored = [...record.tensors.values()].reduce((sum, t) => sum + t.data.length, 0);
    const limit = LOAD_ALLOWANCE_FACTOR * stored + LOAD_ALLOWANCE_SLACK;
    const model = withAllocationLimit(limit, (requested) => new RangeError(`${fn}: the architecture asks for a buffer of ` +
      `${requested} values, more than a file storing ${stored} values may allocate (${limit}: ${LOAD_ALLOWANCE_FACTOR} × ` +
      `its values + ${LOAD_ALLOWANCE_SLACK}); the architecture does not match the tensors (corrupted file?)`),
    () => Sequential.fromJSON(record.architecture as unknown as SequentialJSON));
    restoreRecord(fn, model, record);
    model.classNames = classNamesFromExtra(record.extra);
    return model;
  }

  // ─── Internals ──────────────────────────────────────────────────────────────────────────────────

  private ensureBuilt(fn: string): void {
    if (this.builtFlag) return;
    if (this.layerList.length > 0 && (this.declaredInputShape !== undefined || this.firstLayerInputShape() !== undefined)) {
      this.build();
      return;
    }
    throw new Error(`${fn}: the model is not built; call build(inputShape) or pass { inputShape } to the constructor`);
  }

  /** The first layer's own input size when it declares one (Dense(inputs, …) does). */
  private firstLayerInputShape(): readonly number[] | undefined {
    const inputs = (this.layerList[0] as { inputs?: unknown } | undefined)?.inputs;
    return typeof inputs === 'number' ? [inputs] : undefined;
  }

  private buildLayer(layer: Layer, index: number, shape: readonly number[]): readonly number[] {
    const ctx: LayerContext = { rng: this.rng };
    try {
      return layer.build(shape, ctx);
    } catch (err) {
      if (!(err instanceof RangeError) || isAllocationLimitError(err)) throw err;
      const source = index === 0 ? 'the model input'
        : `layer ${index - 1} ${layerLabel(this.layerList[index - 1])}`;
      throw new RangeError(`Sequential.build: layer ${index} ${layerLabel(layer)} cannot follow ${source}, ` +
        `whose output shape is ${shapeString(shape)} (${err.message})`);
    }
  }

  private batchOf(fn: string, arg: string, x: Tensor | Float32Array, size: number, shape: readonly number[]):
    { data: Float32Array; m: number } {
    if (x instanceof Tensor) {
      if (x.rank < 2 || sizeOfShape(x.shape.slice(1)) !== size || x.shape[0] < 1) {
        fail(fn, arg, `a tensor of shape [m, ${shape.join(', ')}] with m ≥ 1`, shapeString(x.shape));
      }
      return { data: x.data, m: x.shape[0] };
    }
    if (!isFloat32Array(x)) fail(fn, arg, 'a Tensor or a Float32Array', x, 'type');
    if (x.length === 0 || x.length % size !== 0) {
      fail(fn, arg, `a whole number ≥ 1 of rows of ${size} floats`, `${x.length} floats`);
    }
    return { data: x, m: x.length / size };
  }
}

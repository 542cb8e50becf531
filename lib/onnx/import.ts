import { Sequential } from '../model/sequential';
import { layerClasses } from '../layers/index';
import { scalerFromJSON, type ScalerJSON } from '../data/preprocess';
import { shapeString } from '../validate';
import { decodeModel, TensorType, type AttributeProto, type ModelProto, type NodeProto, type TensorProto } from './proto';
import { WireError } from './wire';
import { readSource } from '../io/read-source';

// An ONNX graph back into a Sequential, for the MLPs that exportOnnx, torch.onnx.export and
// skl2onnx write: one chain from the input to the output through Gemm (or MatMul + Add),
// elementwise activations, Softmax, BatchNormalization, LayerNormalization, Dropout/Identity
// (nothing at inference), Flatten, and Add around an earlier tensor of the chain (a Residual).
// Per-feature Sub/Div (or Sub/Mul/Add) before the first layer is a scaler, returned beside the
// model. Anything else stops the import at the first node it cannot run, by name.

/** What {@link importOnnx} returns: the model, and the extra JSON (scaler, class names) the graph carried. */
export interface ImportedOnnx {
  model: Sequential;
  /** classNames, scaler (ScalerJSON), featureNames, labelName when the file has them, and the raw
   *  metadata_props as `metadata` — the shape loadModel's `extra` has. */
  extra: Record<string, unknown>;
}

/** A layer before construction: weights are known before the following nodes decide its form. */
interface LayerPlan {
  kind: string;
  config: Record<string, unknown>;
  /** Parameter and state values by the names the built layer gives them. */
  values: Map<string, Float32Array>;
  /** Set on a Dense made from MatMul, whose bias may come with the next Add. */
  fromMatMul?: boolean;
}

const FN = 'importOnnx';
const elementwise: Record<string, string> = { Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', LeakyRelu: 'leakyRelu', Elu: 'elu' };
const defaultAlpha: Record<string, number> = { LeakyRelu: 0.01, Elu: 1 };

class Importer {
  private readonly consts = new Map<string, TensorProto>();
  /** Every tensor of the chain: the number of layers before it and its per-sample shape. */
  private readonly chain = new Map<string, { layers: number; shape: readonly number[] }>();
  private readonly plans: LayerPlan[] = [];
  private readonly scalerSteps: { op: string; values: Float32Array; node: NodeProto }[] = [];
  private readonly bools = new Set<string>();
  private current: string;
  private shape: readonly number[];

  constructor(private readonly proto: ModelProto, input: string, inputShape: readonly number[]) {
    for (const t of proto.graph.initializers) this.consts.set(t.name, t);
    this.current = input;
    this.shape = inputShape;
    this.chain.set(input, { layers: 0, shape: inputShape });
  }

  /** Position of the node being read, to name nodes that have no name. */
  index = 0;

  private fail(node: NodeProto, why: string): never {
    throw new RangeError(`${FN}: node '${node.name || `#${this.index}`}' (${node.opType}) ${why}`);
  }

  private features(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  private attr(node: NodeProto, name: string): AttributeProto | undefined {
    return node.attributes.find((a) => a.name === name);
  }

  private intAttr(node: NodeProto, name: string, fallback: number): number {
    return this.attr(node, name)?.i ?? fallback;
  }

  private floatAttr(node: NodeProto, name: string, fallback: number): number {
    return this.attr(node, name)?.f ?? fallback;
  }

  /** A float constant input, with its dims checked against `expected` (a size of −1 matches any). */
  private constInput(node: NodeProto, index: number, role: string, expected?: readonly number[]): TensorProto {
    const name = node.inputs[index];
    const t = name === undefined ? undefined : this.consts.get(name);
    if (t === undefined) this.fail(node, `needs its ${role} (input ${index}) to be a constant initializer, received '${name ?? ''}'`);
    if (t.dataType !== TensorType.FLOAT) this.fail(node, `needs its ${role} '${name}' to be float32, received data type ${t.dataType}`);
    if (expected !== undefined && (t.dims.length !== expected.length || t.dims.some((d, i) => expected[i] >= 0 && d !== expected[i]))) {
      this.fail(node, `needs its ${role} '${name}' of shape ${shapeString(expected).replace(/-1/g, '?')}, received ${shapeString(t.dims)}`);
    }
    return t;
  }

  /** The node's data input must be the chain's current tensor: blasnet models are chains. */
  private onChain(node: NodeProto, index = 0): void {
    const name = node.inputs[index];
    if (name !== this.current) {
      this.fail(node, `reads '${name}', which is not the output of the node before it in the chain ('${this.current}'); ` +
        'blasnet imports a chain of layers from the input to the output');
    }
  }

  private perFeature(node: NodeProto, index: number, role: string): Float32Array {
    const n = this.features();
    const t = this.constInput(node, index, role);
    if (t.floats.length !== n || t.dims.some((d, i) => i < t.dims.length - 1 && d !== 1)) {
      this.fail(node, `needs its ${role} '${t.name}' to hold one value per feature (${n}), received shape ${shapeString(t.dims)}`);
    }
    return t.floats;
  }

  private add(plan: LayerPlan, node: NodeProto, shape: readonly number[] = this.shape): void {
    this.plans.push(plan);
    this.advance(node, shape);
  }

  private advance(node: NodeProto, shape: readonly number[] = this.shape): void {
    this.current = node.outputs[0];
    this.shape = shape;
    this.chain.set(this.current, { layers: this.plans.length, shape });
  }

  private activation(node: NodeProto, activation: string, alpha?: number): void {
    this.onChain(node);
    this.add({ kind: 'Activation', config: alpha === undefined ? { activation } : { activation, alpha }, values: new Map() }, node);
  }

  private dense(node: NodeProto, weight: Float32Array, units: number, bias: Float32Array | undefined, fromMatMul: boolean): void {
    const inputs = this.features();
    const values = new Map([['weight', weight]]);
    if (bias !== undefined) values.set('bias', bias);
    this.add({ kind: 'Dense', config: { inputs, units, bias: bias !== undefined }, values, fromMatMul }, node, [units]);
  }

  run(node: NodeProto): void {
    if (node.domain !== '' && node.domain !== 'ai.onnx') this.fail(node, `is in the operator domain '${node.domain}'; blasnet imports standard ONNX operators`);
    switch (node.opType) {
      case 'Constant': {
        const t = this.attr(node, 'value')?.t;
        if (t === undefined) this.fail(node, 'has no tensor value (only value= constants are read)');
        this.consts.set(node.outputs[0], { ...t, name: node.outputs[0] });
        return;
      }
      case 'Identity':
      case 'Dropout': {
        // Exporters alias shared weights through Identity: a constant stays a constant.
        const constant = this.consts.get(node.inputs[0]);
        if (node.opType === 'Identity' && constant !== undefined) {
          this.consts.set(node.outputs[0], { ...constant, name: node.outputs[0] });
          return;
        }
        this.onChain(node);
        if (node.inputs.length > 2 && node.inputs[2] !== '') this.fail(node, 'has a training_mode input; only inference graphs are imported');
        return this.advance(node);
      }
      case 'Flatten':
        this.onChain(node);
        if (this.intAttr(node, 'axis', 1) !== 1) this.fail(node, `flattens from axis ${this.intAttr(node, 'axis', 1)}; only axis 1 (one row per sample) is imported`);
        return this.advance(node, [this.features()]);
      case 'Gemm': return this.gemm(node);
      case 'MatMul': {
        this.onChain(node);
        const t = this.constInput(node, 1, 'weight', [this.features(), -1]);
        const [inputs, units] = t.dims;
        return this.dense(node, transpose(t.floats, inputs, units), units, undefined, true);
      }
      case 'Add': case 'Sub': case 'Mul': case 'Div': return this.arithmetic(node);
      case 'Relu': case 'Sigmoid': case 'Tanh':
        return this.activation(node, elementwise[node.opType]);
      case 'LeakyRelu': case 'Elu':
        return this.activation(node, elementwise[node.opType], Math.fround(this.floatAttr(node, 'alpha', defaultAlpha[node.opType])));
      case 'Softmax': {
        const axis = this.intAttr(node, 'axis', -1);
        if (this.shape.length !== 1 || (axis !== -1 && axis !== 1)) {
          this.fail(node, `normalises axis ${axis} of samples of shape ${shapeString(this.shape)}; blasnet's softmax takes the last axis of flat samples`);
        }
        return this.activation(node, 'softmax');
      }
      case 'GreaterOrEqual': {
        this.onChain(node);
        const zero = this.constInput(node, 1, 'threshold');
        if (zero.floats.length !== 1 || zero.floats[0] !== 0) this.fail(node, 'compares with something other than 0 (only x ≥ 0, the step activation, is imported)');
        this.bools.add(node.outputs[0]);
        return;
      }
      case 'Cast':
        if (!this.bools.has(node.inputs[0]) || this.intAttr(node, 'to', 0) !== TensorType.FLOAT) {
          this.fail(node, 'is not the float cast of an x ≥ 0 comparison (the step activation)');
        }
        this.current = node.inputs[0];
        return this.activation({ ...node, inputs: [this.current] }, 'step');
      case 'BatchNormalization': return this.batchNorm(node);
      case 'LayerNormalization': return this.layerNorm(node);
      default:
        return this.fail(node, 'is not supported: blasnet imports MLPs made of Gemm/MatMul+Add, Relu, Sigmoid, Tanh, LeakyRelu, Elu, ' +
          'Softmax, BatchNormalization, LayerNormalization, Dropout, Identity, Flatten, a step (GreaterOrEqual + Cast), ' +
          'residual Adds and a per-feature scaler in front');
    }
  }

  private gemm(node: NodeProto): void {
    this.onChain(node);
    if (this.intAttr(node, 'transA', 0) !== 0) this.fail(node, 'has transA = 1; only x·Wᵀ with samples as rows is imported');
    const transB = this.intAttr(node, 'transB', 0);
    const inputs = this.features();
    const t = this.constInput(node, 1, 'weight', transB ? [-1, inputs] : [inputs, -1]);
    const units = transB ? t.dims[0] : t.dims[1];
    const alpha = this.floatAttr(node, 'alpha', 1);
    const beta = this.floatAttr(node, 'beta', 1);
    let weight = transB ? Float32Array.from(t.floats) : transpose(t.floats, inputs, units);
    if (alpha !== 1) weight = weight.map((v) => v * alpha);
    let bias: Float32Array | undefined;
    if (node.inputs.length > 2 && node.inputs[2] !== '') {
      const c = this.constInput(node, 2, 'bias');
      if (c.floats.length !== units || c.dims.length > 2 || (c.dims.length === 2 && c.dims[0] !== 1)) {
        this.fail(node, `needs its bias '${c.name}' of shape [${units}], received ${shapeString(c.dims)}`);
      }
      bias = beta === 1 ? Float32Array.from(c.floats) : c.floats.map((v) => v * beta);
    }
    this.dense(node, weight, units, bias, false);
  }

  private arithmetic(node: NodeProto): void {
    const [a, b] = node.inputs;
    const last = this.plans.at(-1);
    if (node.opType === 'Add' && this.chain.has(a) && this.chain.has(b)) return this.residual(node);
    this.onChain(node);
    if (this.consts.has(a)) this.fail(node, 'has its constant first; blasnet reads x op constant');
    if (node.opType === 'Add' && last?.kind === 'Dense' && last.fromMatMul && !last.values.has('bias')) {
      const units = last.config.units as number;
      last.values.set('bias', Float32Array.from(this.perFeature(node, 1, 'bias')));
      last.config.bias = true;
      last.fromMatMul = false;
      return this.advance(node, [units]);
    }
    if (this.plans.length > 0) {
      this.fail(node, 'with a constant is only imported as a Dense layer\'s bias (after MatMul) or as a scaler in front of the first layer');
    }
    this.scalerSteps.push({ op: node.opType, values: this.perFeature(node, 1, 'operand'), node });
    this.advance(node);
  }

  private residual(node: NodeProto): void {
    const [a, b] = node.inputs;
    const skip = a === this.current ? b : a;
    if (a !== this.current && b !== this.current) this.fail(node, `adds '${a}' and '${b}', neither of which is the chain's current tensor '${this.current}'`);
    const from = this.chain.get(skip)!;
    if (shapeString(from.shape) !== shapeString(this.shape)) {
      this.fail(node, `adds '${skip}' of sample shape ${shapeString(from.shape)} to '${this.current}' of shape ${shapeString(this.shape)}`);
    }
    // x + x (a block whose layers are all identities at inference, e.g. Dropout): F is the identity.
    const inner = from.layers === this.plans.length
      ? [{ kind: 'Activation', config: { activation: 'identity' }, values: new Map<string, Float32Array>() }]
      : fuseActivations(this.plans.splice(from.layers));
    // Tensors inside the block are no longer points of the chain a later Add could skip from.
    for (const [name, at] of this.chain) if (at.layers > from.layers) this.chain.delete(name);
    const values = new Map<string, Float32Array>();
    inner.forEach((p, i) => p.values.forEach((v, name) => values.set(`${i}.${name}`, v)));
    this.add({ kind: 'Residual', config: { layers: inner.map((p) => ({ kind: p.kind, config: p.config })) }, values }, node);
  }

  private batchNorm(node: NodeProto): void {
    this.onChain(node);
    if (this.intAttr(node, 'training_mode', 0) !== 0) this.fail(node, 'is in training mode; only inference graphs are imported');
    const n = this.features();
    const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => this.constInput(node, i, ['scale', 'B', 'input_mean', 'input_var'][i - 1], [n]).floats);
    const momentum = 1 - this.floatAttr(node, 'momentum', 0.9);
    this.add({
      kind: 'BatchNorm',
      config: { eps: this.floatAttr(node, 'epsilon', 1e-5), momentum: momentum >= 0 && momentum <= 1 ? momentum : 0.1 },
      values: new Map([['gamma', gamma], ['beta', beta], ['runningMean', mean], ['runningVar', variance]]),
    }, node);
  }

  private layerNorm(node: NodeProto): void {
    this.onChain(node);
    const axis = this.intAttr(node, 'axis', -1);
    if (this.shape.length !== 1 || (axis !== -1 && axis !== 1)) {
      this.fail(node, `normalises from axis ${axis} samples of shape ${shapeString(this.shape)}; blasnet's LayerNorm takes every feature of a flat sample`);
    }
    const n = this.features();
    const gamma = this.constInput(node, 1, 'scale', [n]).floats;
    const beta = node.inputs.length > 2 && node.inputs[2] !== '' ? this.constInput(node, 2, 'B', [n]).floats : new Float32Array(n);
    this.add({ kind: 'LayerNorm', config: { eps: this.floatAttr(node, 'epsilon', 1e-5) }, values: new Map([['gamma', gamma], ['beta', beta]]) }, node);
  }

  finish(output: string, inputShape: readonly number[]): ImportedOnnx {
    if (output !== this.current) {
      throw new RangeError(`${FN}: the graph's output '${output}' is not the end of the chain of layers ('${this.current}')`);
    }
    if (this.plans.length === 0) throw new RangeError(`${FN}: the graph has no layer (Gemm, MatMul, an activation, a norm) to import`);
    const plans = fuseActivations(this.plans);
    const layers = plans.map((p) => new layerClasses[p.kind](p.config));
    const model = new Sequential(layers, { inputShape }).build();
    model.layers.forEach((layer, i) => {
      for (const p of [...layer.params(), ...layer.state()]) p.value.set(plans[i].values.get(p.name)!);
    });
    const extra = this.extra();
    const classes = model.outputSize === 1 ? 2 : model.outputSize;
    if (Array.isArray(extra.classNames) && extra.classNames.length === classes) model.classNames = extra.classNames as string[];
    return { model, extra };
  }

  private extra(): Record<string, unknown> {
    const meta = this.proto.metadata;
    const extra: Record<string, unknown> = { metadata: { ...meta } };
    const parsed = (key: string): unknown => {
      try {
        return meta[key] === undefined ? undefined : JSON.parse(meta[key]);
      } catch {
        throw new RangeError(`${FN}: the metadata '${key}' is not valid JSON`);
      }
    };
    const classNames = parsed('class_names');
    if (Array.isArray(classNames) && classNames.every((c) => typeof c === 'string')) extra.classNames = classNames;
    const featureNames = parsed('feature_names');
    if (Array.isArray(featureNames) && featureNames.every((c) => typeof c === 'string')) extra.featureNames = featureNames;
    if (meta.label_name !== undefined) extra.labelName = meta.label_name;
    if (this.scalerSteps.length > 0) extra.scaler = this.scaler(parsed('blasnet_scaler'));
    return extra;
  }

  /** The scaler in front, from the graph's float32 constants; the exact values blasnet kept in the
   *  metadata are preferred when they round to those constants. */
  private scaler(exact: unknown): ScalerJSON {
    const ops = this.scalerSteps.map((s) => s.op).join(',');
    const v = this.scalerSteps.map((s) => Array.from(s.values));
    let json: ScalerJSON;
    if (ops === 'Sub,Div') {
      json = { kind: 'StandardScaler', mean: v[0], std: v[1] };
    } else if (ops === 'Sub,Mul,Add' && v[2].every((x) => x === v[2][0])) {
      // Only the product of span and 1/(max − min) is in the graph: take the span as 1.
      const lo = v[2][0];
      json = { kind: 'MinMaxScaler', min: v[0], max: v[0].map((m, j) => (v[1][j] === 0 ? m : m + 1 / v[1][j])), range: [lo, lo + 1] };
    } else {
      const node = this.scalerSteps[0].node;
      return this.fail(node, `begins a ${ops} sequence in front of the first layer; only (x − mean)/std and (x − min)·factor + low scalers are imported`);
    }
    if (exact !== null && typeof exact === 'object' && (exact as ScalerJSON).kind === json.kind) {
      const e = exact as ScalerJSON;
      const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => Math.fround(x) === b[i]);
      if (e.kind === 'StandardScaler' && json.kind === 'StandardScaler' && same(e.mean, json.mean) && same(e.std, json.std)) json = e;
      if (e.kind === 'MinMaxScaler' && json.kind === 'MinMaxScaler' && same(e.min, json.min) && Math.fround(e.range[0]) === json.range[0]) json = e;
    }
    return scalerFromJSON(json).toJSON();
  }
}

/** Dense followed by an Activation becomes one Dense with that activation: the same kernels on the
 *  same values (identical outputs), one layer and one buffer pass fewer. Done once the chain's
 *  structure is known, so a residual Add can still start from the Dense's own output. */
function fuseActivations(plans: readonly LayerPlan[]): LayerPlan[] {
  const out: LayerPlan[] = [];
  for (const plan of plans) {
    const last = out.at(-1);
    if (plan.kind === 'Activation' && last?.kind === 'Dense' && last.config.activation === undefined) {
      out[out.length - 1] = { ...last, config: { ...last.config, ...plan.config } };
    } else {
      out.push(plan);
    }
  }
  return out;
}

function transpose(src: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = src[i * cols + j];
  return out;
}

/**
 * Loads an ONNX MLP (bytes or a path) as a Sequential, with the scaler in front of it and the
 * class names of the metadata in `extra`, as loadModel returns them. Bytes that are not an ONNX
 * model, and the first node that is not part of an MLP, raise a RangeError naming what and where.
 *
 * @example
 *   const { model, extra } = importOnnx(fs.readFileSync('mlp.onnx'));
 */
export function importOnnx(source: Uint8Array | string): ImportedOnnx {
  const bytes = readSource(FN, source, 'a Uint8Array (the .onnx bytes) or a path');
  let proto: ModelProto;
  try {
    proto = decodeModel(bytes);
  } catch (err) {
    if (err instanceof WireError) throw new RangeError(`${FN}: not a valid ONNX model (${err.message})`);
    throw err;
  }
  const opset = proto.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (proto.irVersion < 3 || opset === undefined) {
    throw new RangeError(`${FN}: not a valid ONNX model (ir_version ${proto.irVersion}, ${opset === undefined ? 'no' : 'an'} ai.onnx opset)`);
  }
  const g = proto.graph;
  const initializerNames = new Set(g.initializers.map((t) => t.name));
  const inputs = g.inputs.filter((v) => !initializerNames.has(v.name));
  if (inputs.length !== 1 || g.outputs.length !== 1) {
    const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
    throw new RangeError(`${FN}: the graph has ${count(inputs.length, 'input')} and ${count(g.outputs.length, 'output')} ` +
      '(besides initializers); blasnet imports one of each');
  }
  const input = inputs[0];
  const sample = input.dims.slice(1);
  if (input.elemType !== TensorType.FLOAT || input.dims.length < 2 || !sample.every((d) => typeof d === 'number' && d >= 1)) {
    throw new RangeError(`${FN}: the graph input '${input.name}' is ${input.elemType === TensorType.FLOAT ? 'float32' : `of data type ${input.elemType}`} ` +
      `with shape [${input.dims.join(', ')}]; blasnet imports float32 [batch, ...fixed sample shape]`);
  }
  const importer = new Importer(proto, input.name, sample as number[]);
  g.nodes.forEach((node, i) => {
    importer.index = i;
    importer.run(node);
  });
  return importer.finish(g.outputs[0].name, sample as number[]);
}

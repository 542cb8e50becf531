import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Layer } from '../layers/layer';
import { layerLabel } from '../model/summary';
import type { Sequential } from '../model/sequential';
import { scalerFromJSON, type Scaler, type ScalerJSON } from '../data/preprocess';
import { fail, shapeString } from '../validate';
import { AttrType, encodeModel, TensorType, type AttributeProto, type NodeProto, type TensorProto } from './proto';

// A Sequential as an ONNX graph (opset 17), in inference form: Dense → Gemm, activations → their
// operators, BatchNorm → BatchNormalization on the running statistics, LayerNorm →
// LayerNormalization, Dropout → nothing, Residual → its inner graph and an Add. The batch dimension
// is dynamic ('batch'); the graph's input is 'input' and its output 'output'.

export const OPSET = 17;
/** ONNX IR version 8 is the one that goes with opset 17. */
const IR_VERSION = 8;
export const INPUT = 'input';
export const OUTPUT = 'output';

/** Options of {@link exportOnnx}: what goes in front of the graph and into its metadata. */
export interface OnnxExportOptions {
  /** A fitted scaler (or its toJSON()) applied to raw features in front of the model. */
  scaler?: Scaler | ScalerJSON;
  /** Class names, kept in the metadata as JSON ('class_names'). */
  classNames?: readonly string[];
  /** Further metadata_props entries. */
  metadata?: Record<string, string>;
}

/** blasnet's version, from its package.json (two levels up from lib/onnx and dist/onnx alike). */
export function blasnetVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const activationOps: Record<string, string> = { sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'Relu', leakyRelu: 'LeakyRelu', elu: 'Elu' };

class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private count = 0;

  constant(name: string, dims: number[], values: ArrayLike<number>): string {
    this.initializers.push({ name, dims, dataType: TensorType.FLOAT, floats: Float32Array.from(values), ints: [] });
    return name;
  }

  node(opType: string, name: string, inputs: string[], attributes: AttributeProto[] = []): string {
    const output = `t${this.count++}`;
    this.nodes.push({ name, opType, domain: '', inputs, outputs: [output], attributes });
    return output;
  }
}

const floatAttr = (name: string, f: number): AttributeProto => ({ name, type: AttrType.FLOAT, f });
const intAttr = (name: string, i: number): AttributeProto => ({ name, type: AttrType.INT, i });

interface Site {
  /** 'layer 3' or 'layer 3.1' (inside a Residual), as messages and node names say it. */
  readonly where: string;
  /** Prefix of node and initializer names: 'layer3.' */
  readonly prefix: string;
}

function cannot(site: Site, layer: Layer, why: string): never {
  throw new RangeError(`exportOnnx: ${site.where} ${layerLabel(layer)} cannot be expressed in ONNX: ${why}`);
}

function activation(g: GraphBuilder, x: string, name: string, alpha: number, site: Site, shape: readonly number[], layer: Layer): string {
  switch (name) {
    case 'identity': return x;
    case 'step': {
      // blasnet's step is 1 where x ≥ 0, else 0.
      const zero = g.constant(`${site.prefix}zero`, [], [0]);
      const ge = g.node('GreaterOrEqual', `${site.prefix}step`, [x, zero]);
      return g.node('Cast', `${site.prefix}step_cast`, [ge], [intAttr('to', TensorType.FLOAT)]);
    }
    case 'softmax':
      if (shape.length !== 1) cannot(site, layer, `softmax over the last axis of a ${shapeString(shape)} sample (the graph flattens samples to rows)`);
      return g.node('Softmax', `${site.prefix}softmax`, [x], [intAttr('axis', -1)]);
    case 'leakyRelu':
    case 'elu':
      return g.node(activationOps[name], `${site.prefix}${name}`, [x], [floatAttr('alpha', alpha)]);
    default:
      if (activationOps[name] === undefined) cannot(site, layer, `no ONNX operator for the activation '${name}'`);
      return g.node(activationOps[name], `${site.prefix}${name}`, [x]);
  }
}

function paramOf(layer: Layer, name: string): Float32Array {
  const p = layer.params().find((q) => q.name === name) ?? layer.state().find((s) => s.name === name);
  if (p === undefined) throw new Error(`exportOnnx: ${layer.kind} has no '${name}'`);
  return p.value;
}

/** Appends one layer's nodes reading x; returns the tensor it produces and the sample shape after it. */
function emitLayer(g: GraphBuilder, layer: Layer, x: string, shape: readonly number[], site: Site): { out: string; shape: readonly number[] } {
  const config = layer.config();
  switch (layer.kind) {
    case 'Dense': {
      const w = layer.params().find((p) => p.name === 'weight')!;
      const [units, inputs] = w.shape;
      const weight = g.constant(`${site.prefix}weight`, [units, inputs], w.value);
      const inputsList = [x, weight];
      if (config.bias !== false) inputsList.push(g.constant(`${site.prefix}bias`, [units], paramOf(layer, 'bias')));
      const z = g.node('Gemm', `${site.prefix}gemm`, inputsList, [intAttr('transB', 1)]);
      return { out: activation(g, z, String(config.activation), Number(config.alpha ?? 0), site, [units], layer), shape: [units] };
    }
    case 'Activation':
      return { out: activation(g, x, String(config.activation), Number(config.alpha ?? 0), site, shape, layer), shape };
    case 'Dropout':
      return { out: x, shape };
    case 'BatchNorm': {
      const n = paramOf(layer, 'gamma').length;
      const inputs = [x, g.constant(`${site.prefix}gamma`, [n], paramOf(layer, 'gamma')), g.constant(`${site.prefix}beta`, [n], paramOf(layer, 'beta')),
        g.constant(`${site.prefix}running_mean`, [n], paramOf(layer, 'runningMean')), g.constant(`${site.prefix}running_var`, [n], paramOf(layer, 'runningVar'))];
      return { out: g.node('BatchNormalization', `${site.prefix}batchnorm`, inputs, [floatAttr('epsilon', Number(config.eps))]), shape };
    }
    case 'LayerNorm': {
      const n = paramOf(layer, 'gamma').length;
      const inputs = [x, g.constant(`${site.prefix}gamma`, [n], paramOf(layer, 'gamma')), g.constant(`${site.prefix}beta`, [n], paramOf(layer, 'beta'))];
      return { out: g.node('LayerNormalization', `${site.prefix}layernorm`, inputs, [intAttr('axis', -1), floatAttr('epsilon', Number(config.eps))]), shape };
    }
    case 'Residual': {
      const inner = (layer as unknown as { layers?: readonly Layer[] }).layers;
      if (!Array.isArray(inner)) cannot(site, layer, 'its inner layers are not readable');
      let h = x;
      let s = shape;
      inner.forEach((l: Layer, i: number) => {
        ({ out: h, shape: s } = emitLayer(g, l, h, s, { where: `${site.where}.${i}`, prefix: `${site.prefix}${i}.` }));
      });
      // Always x + F(x): a block of Dropout layers alone is the identity at inference, and gives 2x.
      return { out: g.node('Add', `${site.prefix}add`, [x, h]), shape };
    }
    default:
      return cannot(site, layer, `no ONNX form is defined for the layer kind '${layer.kind}'`);
  }
}

function scalerNodes(g: GraphBuilder, x: string, scaler: ScalerJSON, features: number): string {
  const width = scaler.kind === 'StandardScaler' ? scaler.mean.length : scaler.min.length;
  if (width !== features) fail('exportOnnx', 'options.scaler', `a scaler of ${features} features (the model's input size)`, `${width} features`);
  if (scaler.kind === 'StandardScaler') {
    const centred = g.node('Sub', 'scaler.sub', [x, g.constant('scaler.mean', [width], scaler.mean)]);
    return g.node('Div', 'scaler.div', [centred, g.constant('scaler.std', [width], scaler.std)]);
  }
  // (x − min)·factor + lo, as MinMaxScaler.transform computes it (factor 0 for a constant column).
  const [lo, hi] = scaler.range;
  const factor = scaler.min.map((m, j) => (scaler.max[j] > m ? (hi - lo) / (scaler.max[j] - m) : 0));
  const shifted = g.node('Sub', 'scaler.sub', [x, g.constant('scaler.min', [width], scaler.min)]);
  const scaled = g.node('Mul', 'scaler.mul', [shifted, g.constant('scaler.factor', [width], factor)]);
  return g.node('Add', 'scaler.add', [scaled, g.constant('scaler.low', [width], new Array(width).fill(lo))]);
}

/**
 * The model as ONNX bytes (opset 17, IR 8): input 'input' [batch, ...inputShape] float, output
 * 'output' [batch, ...outputShape], inference semantics. A layer with no ONNX form raises a
 * RangeError naming it and why.
 *
 * @example
 *   fs.writeFileSync('model.onnx', exportOnnx(model, { classNames: ['cat', 'dog'] }));
 */
export function exportOnnx(model: Sequential, options: OnnxExportOptions = {}): Uint8Array {
  const fn = 'exportOnnx';
  if (typeof model !== 'object' || model === null || typeof (model as Sequential).paramEntries !== 'function') {
    fail(fn, 'model', 'a Sequential', model, 'type');
  }
  if (typeof options !== 'object' || options === null) fail(fn, 'options', 'an object', options, 'type');
  for (const key of Object.keys(options)) {
    if (!['scaler', 'classNames', 'metadata'].includes(key)) fail(fn, 'options', 'keys among scaler, classNames, metadata', `unknown key '${key}'`);
  }
  if (!model.built) model.build(); // from the known input shape, or an error saying how to give one
  const inputShape = model.inputShape!;
  const features = model.inputSize;
  const metadata: Record<string, string> = { blasnet_version: blasnetVersion() };
  if (options.classNames !== undefined) {
    const names = options.classNames;
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) fail(fn, 'options.classNames', 'an array of strings', names, 'type');
    // A single-output model is a binary classifier: two classes (as predictClassNames counts them).
    const classes = model.outputSize === 1 ? 2 : model.outputSize;
    if (names.length !== classes) fail(fn, 'options.classNames', `${classes} names (one per class)`, `${names.length}`);
    metadata.class_names = JSON.stringify(names);
  }
  if (options.metadata !== undefined && (typeof options.metadata !== 'object' || options.metadata === null)) {
    fail(fn, 'options.metadata', 'an object of strings', options.metadata, 'type');
  }
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    if (typeof value !== 'string') fail(fn, `options.metadata.${key}`, 'a string', value, 'type');
    metadata[key] = value;
  }

  const g = new GraphBuilder();
  let x = INPUT;
  if (inputShape.length > 1) x = g.node('Flatten', 'flatten', [x], [intAttr('axis', 1)]);
  if (options.scaler !== undefined) {
    const raw = options.scaler as Scaler | ScalerJSON;
    if (typeof raw !== 'object' || raw === null) fail(fn, 'options.scaler', 'a fitted StandardScaler or MinMaxScaler (or its toJSON())', raw, 'type');
    const json = scalerFromJSON('toJSON' in raw && typeof raw.toJSON === 'function' ? raw.toJSON() : raw).toJSON();
    x = scalerNodes(g, x, json, features);
    // Exact values, so that importOnnx restores the scaler bit for bit (the graph holds float32s).
    metadata.blasnet_scaler = JSON.stringify(json);
  }
  // The true sample shape (rows are flat in the graph, but softmax must know its axis).
  let shape: readonly number[] = inputShape;
  model.layers.forEach((layer, i) => {
    ({ out: x, shape } = emitLayer(g, layer, x, shape, { where: `layer ${i}`, prefix: `layer${i}.` }));
  });
  // The last node writes 'output' directly; a graph that computes nothing passes its input through.
  // (Layers that add no node leave x as the last node's output.)
  if (x === INPUT) g.node('Identity', 'output', [x]);
  g.nodes.at(-1)!.outputs[0] = OUTPUT;

  return encodeModel({
    irVersion: IR_VERSION,
    producerName: 'blasnet',
    producerVersion: metadata.blasnet_version,
    opsets: [{ domain: '', version: OPSET }],
    graph: {
      name: 'blasnet',
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [{ name: INPUT, elemType: TensorType.FLOAT, dims: ['batch', ...inputShape] }],
      outputs: [{ name: OUTPUT, elemType: TensorType.FLOAT, dims: ['batch', ...model.outputShape] }],
    },
    metadata,
  });
}

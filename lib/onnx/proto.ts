import { asString, readFields, readFloats, readInts, WireError, Writer, type Field } from './wire';

// The ONNX messages blasnet reads and writes, with the field numbers of onnx/onnx.proto. Fields
// outside this subset are skipped on reading (a file may carry doc strings, value_info, …); the
// importer then rejects what it cannot run, by node.

export const TensorType = { FLOAT: 1, BOOL: 9, INT64: 7 } as const;
export const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

export interface TensorProto {
  name: string;
  dims: number[];
  dataType: number;
  /** FLOAT tensors (from float_data or raw_data); empty for others. */
  floats: Float32Array;
  /** INT64 tensors (from int64_data or raw_data); empty for others. */
  ints: number[];
}

export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: string;
  t?: TensorProto;
  ints?: number[];
  floats?: number[];
}

export interface NodeProto {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: AttributeProto[];
}

/** A tensor input/output: element type and shape, a dimension being a size or a named (dynamic) one. */
export interface ValueInfoProto {
  name: string;
  elemType: number;
  dims: (number | string)[];
}

export interface GraphProto {
  name: string;
  nodes: NodeProto[];
  initializers: TensorProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
}

export interface ModelProto {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  opsets: { domain: string; version: number }[];
  graph: GraphProto;
  metadata: Record<string, string>;
}

// ─── Writing ─────────────────────────────────────────────────────────────────────────────────────

function writeTensor(w: Writer, t: TensorProto): void {
  w.packedInts(1, t.dims).int(2, t.dataType).string(8, t.name);
  if (t.dataType === TensorType.FLOAT) {
    const raw = new Uint8Array(t.floats.length * 4);
    const view = new DataView(raw.buffer);
    t.floats.forEach((v, i) => view.setFloat32(i * 4, v, true));
    w.bytes(9, raw);
  } else if (t.dataType === TensorType.INT64) {
    w.packedInts(7, t.ints);
  }
}

function writeAttribute(w: Writer, a: AttributeProto): void {
  w.string(1, a.name).int(20, a.type);
  if (a.f !== undefined) w.float(2, a.f);
  if (a.i !== undefined) w.int(3, a.i);
  if (a.s !== undefined) w.string(4, a.s);
  if (a.t !== undefined) w.message(5, (m) => writeTensor(m, a.t!));
  if (a.ints !== undefined) w.packedInts(8, a.ints);
}

function writeValueInfo(w: Writer, v: ValueInfoProto): void {
  w.string(1, v.name).message(2, (type) => type.message(1, (tensor) => {
    tensor.int(1, v.elemType).message(2, (shape) => {
      for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
    });
  }));
}

export function encodeModel(model: ModelProto): Uint8Array {
  const w = new Writer();
  w.int(1, model.irVersion).string(2, model.producerName).string(3, model.producerVersion);
  w.message(7, (g) => {
    for (const n of model.graph.nodes) {
      g.message(1, (m) => {
        for (const i of n.inputs) m.string(1, i);
        for (const o of n.outputs) m.string(2, o);
        m.string(3, n.name).string(4, n.opType);
        for (const a of n.attributes) m.message(5, (am) => writeAttribute(am, a));
        if (n.domain !== '') m.string(7, n.domain);
      });
    }
    g.string(2, model.graph.name);
    for (const t of model.graph.initializers) g.message(5, (m) => writeTensor(m, t));
    for (const v of model.graph.inputs) g.message(11, (m) => writeValueInfo(m, v));
    for (const v of model.graph.outputs) g.message(12, (m) => writeValueInfo(m, v));
  });
  for (const o of model.opsets) w.message(8, (m) => m.string(1, o.domain).int(2, o.version));
  for (const [key, value] of Object.entries(model.metadata)) w.message(14, (m) => m.string(1, key).string(2, value));
  return w.finish();
}

// ─── Reading ─────────────────────────────────────────────────────────────────────────────────────

function fieldsOf(fields: readonly Field[], n: number): Field[] {
  return fields.filter((f) => f.field === n);
}

function str(fields: readonly Field[], n: number): string {
  const all = fieldsOf(fields, n);
  return all.length === 0 ? '' : asString(all[all.length - 1]);
}

function int(fields: readonly Field[], n: number): number | undefined {
  const all = fieldsOf(fields, n);
  if (all.length === 0) return undefined;
  const f = all[all.length - 1];
  if (f.wireType !== 0) throw new WireError(`field ${n} should be an integer`);
  return f.num;
}

function nested(f: Field): Field[] {
  if (f.wireType !== 2) throw new WireError(`field ${f.field} should be a message`);
  return readFields(f.bytes);
}

function readTensor(fields: readonly Field[]): TensorProto {
  const name = str(fields, 8);
  const dims = readInts(fields, 1);
  const dataType = int(fields, 2) ?? 0;
  const size = dims.reduce((a, b) => a * b, 1);
  const raw = fieldsOf(fields, 9);
  if (fieldsOf(fields, 14).length > 0 && int(fields, 14) === 1) throw new WireError(`tensor '${name}' keeps its data in an external file`);
  let floats = new Float32Array(0);
  let ints: number[] = [];
  if (dataType === TensorType.FLOAT) {
    if (raw.length > 0) {
      const bytes = raw[raw.length - 1].bytes;
      if (bytes.length !== size * 4) throw new WireError(`tensor '${name}' holds ${bytes.length} bytes, its dims [${dims.join(', ')}] need ${size * 4}`);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      floats = new Float32Array(size);
      for (let i = 0; i < size; i++) floats[i] = view.getFloat32(i * 4, true);
    } else {
      floats = Float32Array.from(readFloats(fields, 4));
    }
    if (floats.length !== size) throw new WireError(`tensor '${name}' holds ${floats.length} floats, its dims [${dims.join(', ')}] need ${size}`);
  } else if (dataType === TensorType.INT64) {
    if (raw.length > 0) {
      const bytes = raw[raw.length - 1].bytes;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i + 8 <= bytes.length; i += 8) ints.push(Number(view.getBigInt64(i, true)));
    } else {
      ints = readInts(fields, 7);
    }
    if (ints.length !== size) throw new WireError(`tensor '${name}' holds ${ints.length} integers, its dims [${dims.join(', ')}] need ${size}`);
  }
  return { name, dims, dataType, floats, ints };
}

function readAttribute(fields: readonly Field[]): AttributeProto {
  const a: AttributeProto = { name: str(fields, 1), type: int(fields, 20) ?? 0 };
  for (const f of fields) {
    if (f.field === 2 && f.wireType === 5) a.f = f.num;
    else if (f.field === 3 && f.wireType === 0) a.i = f.num;
    else if (f.field === 4) a.s = asString(f);
    else if (f.field === 5) a.t = readTensor(nested(f));
  }
  if (fieldsOf(fields, 8).length > 0) a.ints = readInts(fields, 8);
  if (fieldsOf(fields, 7).length > 0) a.floats = readFloats(fields, 7);
  return a;
}

function readValueInfo(fields: readonly Field[]): ValueInfoProto {
  const v: ValueInfoProto = { name: str(fields, 1), elemType: 0, dims: [] };
  const type = fieldsOf(fields, 2).at(-1);
  const tensor = type === undefined ? undefined : fieldsOf(nested(type), 1).at(-1);
  if (tensor === undefined) return v;
  const t = nested(tensor);
  v.elemType = int(t, 1) ?? 0;
  const shape = fieldsOf(t, 2).at(-1);
  if (shape !== undefined) {
    v.dims = fieldsOf(nested(shape), 1).map((d) => {
      const df = nested(d);
      const value = int(df, 1);
      return value !== undefined ? value : str(df, 2);
    });
  }
  return v;
}

function readNode(fields: readonly Field[]): NodeProto {
  return {
    name: str(fields, 3),
    opType: str(fields, 4),
    domain: str(fields, 7),
    inputs: fieldsOf(fields, 1).map(asString),
    outputs: fieldsOf(fields, 2).map(asString),
    attributes: fieldsOf(fields, 5).map((f) => readAttribute(nested(f))),
  };
}

/** Parses a ModelProto; throws WireError for bytes that are not one (truncated, another format). */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const fields = readFields(bytes);
  const graphField = fieldsOf(fields, 7).at(-1);
  if (graphField === undefined) throw new WireError('no graph (field 7) in the model');
  const g = nested(graphField);
  const metadata: Record<string, string> = {};
  for (const f of fieldsOf(fields, 14)) {
    const e = nested(f);
    metadata[str(e, 1)] = str(e, 2);
  }
  return {
    irVersion: int(fields, 1) ?? 0,
    producerName: str(fields, 2),
    producerVersion: str(fields, 3),
    opsets: fieldsOf(fields, 8).map((f) => {
      const o = nested(f);
      return { domain: str(o, 1), version: int(o, 2) ?? 0 };
    }),
    graph: {
      name: str(g, 2),
      nodes: fieldsOf(g, 1).map((f) => readNode(nested(f))),
      initializers: fieldsOf(g, 5).map((f) => readTensor(nested(f))),
      inputs: fieldsOf(g, 11).map((f) => readValueInfo(nested(f))),
      outputs: fieldsOf(g, 12).map((f) => readValueInfo(nested(f))),
    },
    metadata,
  };
}

import type { Layer, LayerContext, Param, StateBuffer } from './layer';
import { BaseLayer, EMPTY } from './base';
import { checkShape, sizeOfShape } from '../tensor';
import { getBackend } from '../backend/index';
import { RowBuffer } from '../alloc';
import { fail, shapeString } from '../validate';

/** A saved inner layer: its kind and its constructor arguments. */
export interface LayerDescription {
  kind: string;
  config: Record<string, unknown>;
}

/** A Residual layer's JSON configuration: its inner layers. */
export interface ResidualConfig {
  layers: LayerDescription[];
}

/** Residual blocks nest at most this deep: build, forward, backward and save walk one level per
 *  call, so a deeper nesting (thousands) would overflow the stack instead of failing clearly. A
 *  deep network is a long Sequential of blocks, which has no such limit. */
export const MAX_RESIDUAL_NESTING = 100;

/**
 * A skip connection around a block: y = x + F(x), F being the inner layers in order. F must give
 * back the shape it received. The gradient reaches the input both through F and directly
 * (dx = dy + F'ᵀdy), which is why residual blocks ease the vanishing-gradient problem.
 * Inner parameters are named `<index>.<name>` (e.g. '0.weight').
 *
 * @example
 *   const model = new Sequential([new Dense(2, 16), new Activation('relu'),
 *     new Residual([new Dense(16, 16), new Activation('relu'), new Dense(16, 16)]),
 *     new Dense(16, 1)], { seed: 1 });
 */
export class Residual extends BaseLayer implements Layer {
  readonly kind = 'Residual';
  readonly layers: readonly Layer[];
  private size = 0;
  private out: RowBuffer | undefined;
  private dx: RowBuffer | undefined;
  private innerParams: Param[] = [];
  private innerState: StateBuffer[] = [];
  /** 1 for a block of plain layers, 1 + the deepest inner Residual's otherwise. */
  readonly nesting: number;

  /** x + f(x), with f the given layers in order (or their descriptions). */
  constructor(layers: readonly Layer[] | ResidualConfig) {
    super();
    const list: unknown = Array.isArray(layers) ? layers : (layers as ResidualConfig | null)?.layers;
    if (!Array.isArray(list)) fail('Residual', 'layers', 'an array of layers (or { layers: [{ kind, config }] })', layers, 'type');
    if (list.length === 0) fail('Residual', 'layers', 'at least one layer', 'an empty array');
    // A description is measured before it is rebuilt: rebuilding recurses once per level.
    checkNesting(1 + describedNesting(list));
    this.layers = Object.freeze(list.map((item: unknown, i: number) => toLayer(item, i)));
    this.nesting = 1 + this.layers.reduce((deepest, l) => Math.max(deepest, l instanceof Residual ? l.nesting : 0), 0);
    checkNesting(this.nesting);
  }

  build(inputShape: readonly number[], ctx: LayerContext): readonly number[] {
    const shape = checkShape('Residual.build', 'inputShape', inputShape);
    let inner: readonly number[] = shape;
    for (const layer of this.layers) inner = layer.build(inner, ctx);
    if (inner.length !== shape.length || inner.some((d, i) => d !== shape[i])) {
      fail('Residual.build', 'the output shape of the inner layers', `${shapeString(shape)} (the input shape, so that x + F(x) is defined)`,
        shapeString(inner));
    }
    this.size = sizeOfShape(shape);
    this.out = new RowBuffer(this.size);
    this.dx = new RowBuffer(this.size);
    // Named once here: the optimizer and save/load see the same objects on every call.
    this.innerParams = this.layers.flatMap((layer, i) => layer.params().map((p) => ({ ...p, name: `${i}.${p.name}` })));
    this.innerState = this.layers.flatMap((layer, i) => layer.state().map((s) => ({ ...s, name: `${i}.${s.name}` })));
    this.built = true;
    return [...shape];
  }

  forward(x: Float32Array, m: number, training = false): Float32Array {
    this.checkForward(x, m, this.size);
    let h = x;
    for (let i = 0; i < this.layers.length; i++) h = this.layers[i].forward(h, m, training);
    const y = this.out!.rows(m);
    copyRows(y, h);
    getBackend().axpy(y, 1, x, y.length);
    this.m = m;
    return y;
  }

  backward(dy: Float32Array, m: number, needInputGrad = true): Float32Array {
    this.checkBackward(dy, m, this.size);
    let g = dy;
    for (let i = this.layers.length - 1; i >= 0; i--) g = this.layers[i].backward(g, m, i > 0 || needInputGrad);
    if (!needInputGrad) return EMPTY;
    const dx = this.dx!.rows(m);
    copyRows(dx, g);
    getBackend().axpy(dx, 1, dy, dx.length);
    return dx;
  }

  /** The inner layers' parameters. */
  override params(): Param[] {
    return this.innerParams;
  }

  override state(): StateBuffer[] {
    return this.innerState;
  }

  override config(): Record<string, unknown> {
    return { layers: this.layers.map((l) => ({ kind: l.kind, config: l.config() })) };
  }

  override toString(): string {
    return `Residual([${this.layers.map((l) => String(l)).join(', ')}])`;
  }
}

/** dst ← the first dst.length floats of src (a layer may hand back a longer caller-owned array). */
function copyRows(dst: Float32Array, src: Float32Array): void {
  dst.set(src.length === dst.length ? src : src.subarray(0, dst.length));
}

/** Rebuilds a layer from its kind and config; installed by the layer registry (layers/index.ts), which
 *  imports this file (importing the registry from here would be a cycle). */
let rebuild: ((kind: string, config: Record<string, unknown>) => Layer | undefined) | undefined;
let knownKinds: () => string[] = () => [];

export function setLayerFactory(factory: (kind: string, config: Record<string, unknown>) => Layer | undefined, kinds: () => string[]): void {
  rebuild = factory;
  knownKinds = kinds;
}

function checkNesting(nesting: number): void {
  if (nesting > MAX_RESIDUAL_NESTING) {
    fail('Residual', 'layers', `Residual blocks nested at most ${MAX_RESIDUAL_NESTING} deep (chain deep networks in a Sequential instead)`,
      `blocks nested ${nesting > 10 * MAX_RESIDUAL_NESTING ? `more than ${10 * MAX_RESIDUAL_NESTING}` : nesting} deep`);
  }
}

/** How deep { kind: 'Residual', config: { layers } } descriptions nest in a list, by an explicit
 *  stack (no recursion), stopping once past the limit. */
function describedNesting(list: readonly unknown[]): number {
  let deepest = 0;
  const pending: [readonly unknown[], number][] = [[list, 0]];
  while (pending.length > 0) {
    const [items, depth] = pending.pop()!;
    deepest = Math.max(deepest, depth);
    if (depth > 10 * MAX_RESIDUAL_NESTING) break;
    for (const item of items) {
      if (item === null || typeof item !== 'object' || (item as LayerDescription).kind !== 'Residual') continue;
      const inner = ((item as LayerDescription).config as Partial<ResidualConfig> | null | undefined)?.layers;
      if (Array.isArray(inner)) pending.push([inner, depth + 1]);
    }
  }
  return deepest;
}

function toLayer(item: unknown, i: number): Layer {
  if (item !== null && typeof item === 'object' && typeof (item as Layer).forward === 'function' &&
    typeof (item as Layer).backward === 'function' && typeof (item as Layer).build === 'function') {
    return item as Layer;
  }
  if (item !== null && typeof item === 'object' && typeof (item as LayerDescription).kind === 'string') {
    const { kind, config } = item as LayerDescription;
    const layer = rebuild?.(kind, config ?? {});
    if (layer === undefined) fail('Residual', `layers[${i}].kind`, `a registered layer kind (${knownKinds().join(', ')})`, JSON.stringify(kind));
    return layer;
  }
  return fail('Residual', `layers[${i}]`, 'a layer or { kind, config }', item, 'type');
}

import { Activation } from './activation';
import { Dense } from './dense';
import type { Layer } from './layer';

export { Activation, type ActivationConfig } from './activation';
export { Dense, type DenseConfig, type DenseOptions } from './dense';
export { activationNames, type ActivationName } from './activation-fn';
export type { Layer, LayerContext, Param, StateBuffer } from './layer';

/** What save/load calls to rebuild a layer: `new layerClasses[kind](config)`. The config is
 *  typed loosely on purpose: it comes from JSON, and every constructor validates it at run time. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LayerClass = new (config: any) => Layer;

/** Every layer kind by its `kind` string; a new layer class adds one line here. */
export const layerClasses: Record<string, LayerClass> = {
  Dense,
  Activation,
};

import { Activation } from './activation';
import { Dense } from './dense';
import { Dropout } from './dropout';
import { BatchNorm } from './batchnorm';
import { LayerNorm } from './layernorm';
import { Residual, setLayerFactory } from './residual';
import type { Layer } from './layer';

export { Activation, type ActivationConfig } from './activation';
export { Dense, type DenseConfig, type DenseOptions } from './dense';
export { Dropout, type DropoutConfig } from './dropout';
export { BatchNorm, type BatchNormConfig } from './batchnorm';
export { LayerNorm, type LayerNormConfig } from './layernorm';
export { Residual, type ResidualConfig } from './residual';
export { activationNames, type ActivationName } from './activation-fn';
export type { Layer, LayerContext, Param, StateBuffer } from './layer';

/** What save/load calls to rebuild a layer: `new layerClasses[kind](config)`. The config is
 *  typed loosely on purpose: it comes from JSON, and every constructor validates it at run time. */
// biome-ignore lint/suspicious/noExplicitAny: the constructors take their configs from JSON and check them
export type LayerClass = new (config: any) => Layer;

/** Every layer kind by its `kind` string; a new layer class adds one line here. */
export const layerClasses: Record<string, LayerClass> = {
  Dense,
  Activation,
  Dropout,
  BatchNorm,
  LayerNorm,
  Residual,
};

// Residual rebuilds its inner layers from { kind, config } through this table.
setLayerFactory((kind, config) => (Object.hasOwn(layerClasses, kind) ? new layerClasses[kind](config) : undefined),
  () => Object.keys(layerClasses));

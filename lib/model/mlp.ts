import { Activation } from '../layers/activation';
import { BatchNorm } from '../layers/batchnorm';
import { Dense } from '../layers/dense';
import { Dropout } from '../layers/dropout';
import type { Layer } from '../layers/layer';
import type { ActivationName } from '../layers/activation-fn';
import { Sequential } from './sequential';

export interface MlpSpec {
  inputs: number;
  hidden: readonly number[];
  outputs: number;
  activation: ActivationName;
  dropout: number;
  batchNorm: boolean;
  seed: number;
}

/**
 * The multilayer perceptron `blasnet train` builds: per hidden layer Dense → (BatchNorm) →
 * activation → (Dropout), then a linear output layer (logits for softmax cross-entropy, values for
 * regression). He initialisation for the ReLU family, Glorot otherwise.
 */
export function buildMlp(spec: MlpSpec): Sequential {
  const init = spec.activation === 'relu' || spec.activation === 'leakyRelu' || spec.activation === 'elu' ? 'heNormal' : 'xavierUniform';
  const layers: Layer[] = [];
  let width = spec.inputs;
  for (const units of spec.hidden) {
    if (spec.batchNorm) {
      // The batch norm's beta does a bias's job, so the Dense before it has none.
      layers.push(new Dense(width, units, { init, bias: false }), new BatchNorm(), new Activation(spec.activation));
    } else {
      layers.push(new Dense(width, units, { init, activation: spec.activation }));
    }
    if (spec.dropout > 0) layers.push(new Dropout(spec.dropout));
    width = units;
  }
  layers.push(new Dense(width, spec.outputs, { init: 'xavierUniform' }));
  return new Sequential(layers, { seed: spec.seed });
}

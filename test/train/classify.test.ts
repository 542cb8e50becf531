// Class outputs checked against hand-worked softmax/sigmoid values on models whose weights are set
// by hand, so each expected number follows from the weights alone.
import { describe, expect, it } from 'vitest';
import { Activation } from '../../lib/layers/activation';
import { Dense } from '../../lib/layers/dense';
import { Sequential } from '../../lib/model/sequential';
import { Tensor } from '../../lib/tensor';
import { predictClasses, predictClassNames, predictProba } from '../../lib/train/classify';

/** Dense(1, k) with weight column w and zero bias: the logits of input x are x·w. */
function linear(w: number[], extra: ConstructorParameters<typeof Sequential>[0] = [], dense: ConstructorParameters<typeof Dense>[2] = {}): Sequential {
  const model = new Sequential([new Dense(1, w.length, dense), ...extra], { seed: 1 });
  model.build([1]);
  const [weight, bias] = model.layers[0].params();
  weight.value.set(w);
  bias.value.fill(0);
  return model;
}

const x = Tensor.from([[1], [-1], [0]]);
// softmax([0, 1, 2]) = [1, e, e²] / (1 + e + e²) = [0.0900306, 0.2447285, 0.6652410]
const s012 = [0.09003057, 0.24472847, 0.66524096];

describe('predictProba / predictClasses / predictClassNames', () => {
  it('logits of softmax cross-entropy go through a softmax', () => {
    const model = linear([0, 1, 2]);
    model.compile({ loss: 'softmaxCrossentropy', optimizer: 'sgd' });
    const p = model.predictProba(x).toArray() as number[][];
    p[0].forEach((v, j) => expect(v).toBeCloseTo(s012[j], 6));
    p[1].forEach((v, j) => expect(v).toBeCloseTo(s012[2 - j], 6));
    p[2].forEach((v) => expect(v).toBeCloseTo(1 / 3, 6));
    expect(Array.from(model.predictClasses(x))).toEqual([2, 0, 0]);
  });

  it('an uncompiled linear output is read as logits too; a softmax layer as probabilities', () => {
    expect((predictProba(linear([0, 1, 2]), x).toArray() as number[][])[0][2]).toBeCloseTo(s012[2], 6);
    const soft = linear([0, 1, 2], [new Activation('softmax')]);
    const p = soft.predictProba(x);
    // Already probabilities: equal to the model's own outputs.
    expect(Array.from(p.data)).toEqual(Array.from(soft.predict(x).data));
  });

  it('a single output is a binary classifier: [p(0), p(1)], by sigmoid of a logit or as a probability', () => {
    const ln3 = Math.log(3);
    const logit = linear([ln3]);
    logit.compile({ loss: 'binaryCrossentropyFromLogits', optimizer: 'sgd' });
    // sigmoid(ln 3) = 3/4, sigmoid(−ln 3) = 1/4, sigmoid(0) = 1/2
    const p = logit.predictProba(x).toArray() as number[][];
    [[0.25, 0.75], [0.75, 0.25], [0.5, 0.5]].forEach((row, i) => row.forEach((v, j) => expect(p[i][j]).toBeCloseTo(v, 6)));
    expect(Array.from(predictClasses(logit, x))).toEqual([1, 0, 0]);
    const prob = linear([ln3], [], { activation: 'sigmoid' });
    prob.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' });
    expect((prob.predictProba(x).toArray() as number[][])[0][1]).toBeCloseTo(0.75, 6);
    expect(Array.from(prob.predictClasses(x))).toEqual([1, 0, 0]);
  });

  it('class names come from the argument or from the model, and survive save/load', () => {
    const model = linear([0, 1, 2]);
    expect(predictClassNames(model, x, ['a', 'b', 'c'])).toEqual(['c', 'a', 'a']);
    expect(() => model.predictClassNames(x)).toThrow('predictClassNames: the model has no class names; pass them, or set model.classNames');
    model.classNames = ['low', 'mid', 'high'];
    expect(model.predictClassNames(x)).toEqual(['high', 'low', 'low']);
    const loaded = Sequential.load(model.toBuffer());
    expect(loaded.classNames).toEqual(['low', 'mid', 'high']);
    expect(loaded.predictClassNames(x)).toEqual(['high', 'low', 'low']);
    expect(() => model.predictClassNames(x, ['a', 'b'])).toThrow('predictClassNames: expected classNames to be 3 names, one per class, received 2 names');
    expect(() => model.predictClassNames(x, ['a', 'a', 'b'])).toThrow('predictClassNames: expected classNames to be a non-empty list of distinct names, received [a, a, b]');
    // A binary single-output model has two classes.
    expect(predictClassNames(linear([1]), x, ['no', 'yes'])).toEqual(['yes', 'no', 'no']);
  });

  it('refuses models whose outputs are not class scores', () => {
    const reg = linear([1, 2]);
    reg.compile({ loss: 'mse', optimizer: 'sgd' });
    expect(() => reg.predictProba(x)).toThrow("predictProba: the model is compiled with the regression loss 'mse'");
    const relu = linear([1, 2], [], { activation: 'relu' });
    expect(() => relu.predictClasses(x)).toThrow("predictClasses: the model's last activation is relu, which gives no class probabilities");
    const hinge = linear([1]);
    hinge.compile({ loss: 'hinge', optimizer: 'sgd' });
    expect(Array.from(hinge.predictClasses(x))).toEqual([1, 0, 0]);
    expect(() => hinge.predictProba(x)).toThrow('predictProba: a hinge-loss model gives scores, not probabilities; use predictClasses');
  });
});

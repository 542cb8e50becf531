import { allocFloat32, allocInt32 } from './alloc';
import { checkMatrix } from './data/check';
import { Random } from './random';
import { Tensor } from './tensor';
import { checkFinite, checkInt, checkOneOf, checkOptions, checkPositive, fail, shapeString } from './validate';

/** A Perceptron's learning rate, epoch limit, seed and labels. */
export interface PerceptronOptions {
  /** Learning rate η (default 1; the algorithm's outcome does not depend on it when w starts at 0). */
  lr?: number;
  /** Epochs before giving up (default 1000). */
  maxEpochs?: number;
  /** Seed of the per-epoch shuffle (default: time-based). */
  seed?: number;
  /** Label encoding: '01' (ŷ ∈ {0, 1}, the default) or 'pm1' (ŷ ∈ {−1, +1}). */
  labels?: '01' | 'pm1';
}

/** What Perceptron.fit did. */
export interface PerceptronFitResult {
  /** Whether the last epoch made no mistake (the data were separated). */
  converged: boolean;
  /** Epochs run. */
  epochs: number;
  /** Misclassified samples in each epoch. */
  mistakesPerEpoch: number[];
}

/**
 * Rosenblatt's perceptron: ŷ = step(w·x + b) (step(0) counts as the positive class). fit starts
 * from w = 0, b = 0 and visits the samples in a new random order each epoch; on a mistake it sets
 * w ← w + η(y − ŷ)x and b ← b + η(y − ŷ). It stops after an epoch without mistakes — which happens
 * exactly when the data are linearly separable (AND, OR) — or after maxEpochs (XOR never stops).
 *
 * @example
 *   const p = new Perceptron({ seed: 1 });
 *   p.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1]);   // AND → { converged: true, … }
 *   p.predict([[1, 1]]);                                       // Float32Array [1]
 */
export class Perceptron {
  readonly lr: number;
  readonly maxEpochs: number;
  readonly labels: '01' | 'pm1';
  private readonly rng: Random;
  private w: Float32Array = allocFloat32(0);
  private b = 0;

  /** A perceptron with weights at zero. */
  constructor(options: PerceptronOptions = {}) {
    if (typeof options !== 'object' || options === null) fail('Perceptron', 'options', 'an object', options, 'type');
    checkOptions('Perceptron', 'options', options, ['lr', 'maxEpochs', 'seed', 'labels'], 'key');
    this.lr = options.lr === undefined ? 1 : checkPositive('Perceptron', 'options.lr', options.lr);
    this.maxEpochs = options.maxEpochs === undefined ? 1000 : checkInt('Perceptron', 'options.maxEpochs', options.maxEpochs, 1);
    this.labels = options.labels === undefined ? '01' : checkOneOf('Perceptron', 'options.labels', options.labels, ['01', 'pm1'] as const);
    this.rng = new Random(options.seed === undefined ? undefined : checkInt('Perceptron', 'options.seed', options.seed, 0, 2 ** 32 - 1));
  }

  /** The learned weights w (one per feature; empty before fit). */
  get weights(): Float32Array {
    return this.w;
  }

  /** The learned bias. */
  get bias(): number {
    return this.b;
  }

  /** Trains on X (m samples × d features: a Tensor [m, d] or nested arrays) and m labels. */
  fit(X: Tensor | readonly (readonly number[])[], y: Tensor | ArrayLike<number>): PerceptronFitResult {
    const { data, m, d } = samples('Perceptron.fit', X);
    const targets = this.checkLabels(y, m);
    const negative = this.labels === '01' ? 0 : -1;
    const w = allocFloat32(d);
    let b = 0;
    const order = allocInt32(m);
    for (let i = 0; i < m; i++) order[i] = i;
    const mistakesPerEpoch: number[] = [];
    for (let epoch = 0; epoch < this.maxEpochs; epoch++) {
      this.rng.shuffle(order);
      let mistakes = 0;
      for (const i of order) {
        let s = b;
        for (let j = 0; j < d; j++) s += w[j] * data[i * d + j];
        const predicted = s >= 0 ? 1 : negative;
        const error = targets[i] - predicted;
        if (error === 0) continue;
        mistakes++;
        for (let j = 0; j < d; j++) w[j] += this.lr * error * data[i * d + j];
        b += this.lr * error;
      }
      mistakesPerEpoch.push(mistakes);
      if (mistakes === 0) break;
    }
    this.w = w;
    this.b = b;
    const epochs = mistakesPerEpoch.length;
    return { converged: mistakesPerEpoch[epochs - 1] === 0, epochs, mistakesPerEpoch };
  }

  /** Labels (in the chosen encoding) for each sample of X. */
  predict(X: Tensor | readonly (readonly number[])[]): Float32Array {
    if (this.w.length === 0) throw new Error('Perceptron.predict: call fit() first');
    const { data, m, d } = samples('Perceptron.predict', X);
    if (d !== this.w.length) fail('Perceptron.predict', 'X', `samples of ${this.w.length} features (as in fit)`, `${d} features`);
    const negative = this.labels === '01' ? 0 : -1;
    const out = allocFloat32(m);
    for (let i = 0; i < m; i++) {
      let s = this.b;
      for (let j = 0; j < d; j++) s += this.w[j] * data[i * d + j];
      out[i] = s >= 0 ? 1 : negative;
    }
    return out;
  }

  private checkLabels(y: Tensor | ArrayLike<number>, m: number): Float32Array {
    const values = y instanceof Tensor ? y.data : y;
    if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
      fail('Perceptron.fit', 'y', 'an array of labels', y, 'type');
    }
    if (values.length !== m) fail('Perceptron.fit', 'y', `${m} labels (one per sample of X)`, `${values.length} labels`);
    const allowed = this.labels === '01' ? [0, 1] : [-1, 1];
    const out = allocFloat32(m);
    for (let i = 0; i < m; i++) {
      const v = values[i];
      if (v !== allowed[0] && v !== allowed[1]) {
        fail('Perceptron.fit', `y[${i}]`, `${allowed[0]} or ${allowed[1]} (labels: '${this.labels}')`, String(v));
      }
      out[i] = v;
    }
    return out;
  }
}

function samples(fn: string, X: Tensor | readonly (readonly number[])[]): { data: Float32Array; m: number; d: number } {
  if (!(X instanceof Tensor) && !Array.isArray(X)) fail(fn, 'X', 'a Tensor [m, d] or an array of rows', X, 'type');
  const t = checkMatrix(fn, 'X', X instanceof Tensor ? X : Tensor.from(X as number[][]));
  if (t.shape[0] < 1 || t.shape[1] < 1) fail(fn, 'X', 'a non-empty matrix [m, d]', `shape ${shapeString(t.shape)}`);
  checkFinite(fn, 'X', t.data, t.shape[1]);
  return { data: t.data, m: t.shape[0], d: t.shape[1] };
}

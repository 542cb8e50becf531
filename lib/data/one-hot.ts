import { allocFloat32 } from '../alloc';
import { Tensor } from '../tensor';
import { checkClassLabels, checkInt, fail, isFloat32Array, isInt32Array, isUint8Array } from '../validate';

/** Integer class labels in any of the containers the data functions accept. */
export type Labels = Tensor | Float32Array | Int32Array | Uint8Array | readonly number[];

/** The label values of any accepted container, validated as integers in [0, numClasses). */
export function labelValues(fn: string, arg: string, labels: unknown, numClasses?: number): ArrayLike<number> {
  let values: ArrayLike<number>;
  if (labels instanceof Tensor) {
    if (labels.rank !== 1) fail(fn, arg, 'a rank-1 tensor of class indices', `shape [${labels.shape.join(', ')}]`);
    values = labels.data;
  } else if (isFloat32Array(labels) || isInt32Array(labels) || isUint8Array(labels) || Array.isArray(labels)) {
    values = labels as ArrayLike<number>;
  } else {
    fail(fn, arg, 'a Tensor, typed array or array of class indices', labels, 'type');
  }
  checkClassLabels(fn, arg, values, numClasses);
  return values;
}

/** One row per label with a 1 in the label's column: [n] class indices → [n, numClasses]. */
export function oneHot(labels: Labels, numClasses: number): Tensor {
  checkInt('oneHot', 'numClasses', numClasses, 1);
  const values = labelValues('oneHot', 'labels', labels, numClasses);
  const n = values.length;
  const out = allocFloat32(n * numClasses);
  for (let i = 0; i < n; i++) out[i * numClasses + values[i]] = 1;
  return new Tensor(out, [n, numClasses]);
}

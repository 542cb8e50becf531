// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 28×28 grey images of clothing in 10 classes,
// 60 000 for training and 10 000 for testing, in the IDX files of the original MNIST layout.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '../tensor';
import { checkInt, fail } from '../validate';
import { readIdxPair } from './idx';

/** Fashion-MNIST's class names, indexed by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);

/** Where Debian's `dataset-fashion-mnist` package puts the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** One split of a labelled data set: images and their class labels. */
export interface LabelledSplit {
  /** [n, 784] pixels in [0, 1]. */
  x: Tensor;
  /** [n] class indices 0–9 as floats. */
  y: Tensor;
}

/** Fashion-MNIST's training and test splits. */
export interface FashionMnist {
  train: LabelledSplit;
  test: LabelledSplit;
  classNames: string[];
}

/** Where to read Fashion-MNIST from, and how much of it. */
export interface FashionMnistOptions {
  dir?: string;
  /** Keep only the first `subset` samples of each split (all of the test split if it is smaller),
   *  for quick runs; only those samples are decoded. */
  subset?: number;
}

/** The first file in dir that exists among `<stem>` and `<stem>.gz`. */
function findFile(dir: string, stem: string): string {
  for (const name of [`${stem}.gz`, stem]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`loadFashionMnist: ${dir} has neither ${stem}.gz nor ${stem}`);
}

function checkLabels(path: string, y: Tensor, numClasses: number): void {
  const d = y.data;
  for (let i = 0; i < d.length; i++) {
    if (!(d[i] >= 0 && d[i] < numClasses && Number.isInteger(d[i]))) {
      throw new RangeError(`loadFashionMnist: ${path} has label ${d[i]} at index ${i}, expected an integer in [0, ${numClasses - 1}]`);
    }
  }
}

/**
 * Loads Fashion-MNIST from `dir` (default: the Debian package's location). Images come flattened to
 * 784 floats in [0, 1], labels as class indices; classNames[i] names class i.
 */
export function loadFashionMnist(options: FashionMnistOptions = {}): FashionMnist {
  const fn = 'loadFashionMnist';
  if (typeof options !== 'object' || options === null) fail(fn, 'options', 'an object', options, 'type');
  const { dir = FASHION_MNIST_DIR, subset } = options;
  if (typeof dir !== 'string' || dir.length === 0) fail(fn, 'options.dir', 'a non-empty string', dir, 'type');
  if (subset !== undefined) checkInt(fn, 'options.subset', subset, 1);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`${fn}: Fashion-MNIST directory ${dir} not found; install the data with \`apt-get install dataset-fashion-mnist\` (files go to ${FASHION_MNIST_DIR}) or pass options.dir`);
  }
  const load = (prefix: string): LabelledSplit => {
    const imagesPath = findFile(dir, `${prefix}-images-idx3-ubyte`);
    const labelsPath = findFile(dir, `${prefix}-labels-idx1-ubyte`);
    const split = readIdxPair(imagesPath, labelsPath, { scale: true, limit: subset });
    if (split.x.shape[1] !== 784) throw new RangeError(`${fn}: ${imagesPath} holds images of ${split.x.shape[1]} pixels, expected 28×28 = 784`);
    checkLabels(labelsPath, split.y, FASHION_MNIST_CLASSES.length);
    return split;
  };
  return { train: load('train'), test: load('t10k'), classNames: [...FASHION_MNIST_CLASSES] };
}

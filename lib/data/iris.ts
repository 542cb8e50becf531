// Fisher's iris (1936): 150 flowers, 4 measurements in cm, 3 species of 50. Shipped in the package
// as data/iris.csv.

import { join } from 'node:path';
import type { Tensor } from '../tensor';
import { fail } from '../validate';
import { checkObject } from './check';
import { loadCsv } from './csv';

/** data/iris.csv at the package root: lib/data/ and dist/data/ are both two levels below it. */
export const IRIS_PATH = join(__dirname, '..', '..', 'data', 'iris.csv');

/** The iris data set: measurements, species labels and their names. */
export interface Iris {
  /** `[150, 4]`: sepal_length, sepal_width, petal_length, petal_width (cm). */
  x: Tensor;
  /** [150] class indices as floats: 0 setosa, 1 versicolor, 2 virginica. */
  y: Tensor;
  featureNames: string[];
  classNames: string[];
}

/** Loads the iris data set shipped with the package (150 flowers, 4 features, 3 species); options.path reads another copy. */
export function loadIris(options: { path?: string } = {}): Iris {
  const o = checkObject('loadIris', 'options', options);
  const path = o.path ?? IRIS_PATH;
  if (typeof path !== 'string' || path.length === 0) fail('loadIris', 'options.path', 'a non-empty string', path, 'type');
  const data = loadCsv(path, { label: 'species' });
  return { x: data.x, y: data.y, featureNames: data.featureNames, classNames: data.classNames ?? [] };
}

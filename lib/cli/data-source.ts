import * as fs from 'node:fs';
import { loadCsv, type CsvHeaderOptions } from '../data/csv';
import { csvDataset, type CsvStream } from '../data/csv-stream';
import { describeEncoding, type CsvEncoding } from '../data/csv-encoding';
import { blobs, circles, loadIris, spirals, xor, type Dataset } from '../data/datasets';
import { loadFashionMnist } from '../data/fashion-mnist';
import { StandardScaler } from '../data/preprocess';
import { trainTestSplit } from '../data/split';
import { Tensor as TensorClass, type Tensor } from '../tensor';
import { ordinal } from '../words';

export interface Labelled {
  x: Tensor;
  y: Tensor;
}

/** What `blasnet train` trains on: train/test splits, already scaled, and how to read the labels. */
export interface TrainingData {
  name: string;
  train: Labelled;
  test: Labelled;
  task: 'classification' | 'regression';
  classNames?: string[];
  featureNames?: string[];
  labelName?: string;
  /** Fitted on the training rows; applied to the test rows and saved with the model. */
  scaler?: StandardScaler;
  /** Regression: fitted on the training targets, which the model learns standardised; its outputs
   *  go through inverseTransform. test.y stays in the target's own units. Saved with the model. */
  targetScaler?: StandardScaler;
  /** CSV only: how feature columns became numbers (fills, one-hot), saved with the model. */
  encoding?: CsvEncoding;
  /** Lines for people: how the data was split and encoded. */
  notes: string[];
  /** --stream: the training rows, read from the file each epoch (train then holds no rows). */
  stream?: CsvStream;
}

/** --stream keeps at most this many held-out rows in memory for the test figures. */
export const MAX_STREAM_TEST_ROWS = 20_000;

/**
 * A CSV file for --stream: every k-th row (k = round(1 / testFraction)) is held out for testing and
 * the rest stream through a bounded shuffle buffer; scalers and the encoding come from one pass.
 */
/** A classification CSV's label column must hold two classes at least. */
function checkTwoClasses(source: string, labelName: string, classNames: readonly string[] | undefined): void {
  if (classNames === undefined || classNames.length >= 2) return;
  const found = classNames.map((c) => JSON.stringify(c)).join(', ') || 'none';
  throw new RangeError(`${source}: a classifier needs at least 2 classes in column ${JSON.stringify(labelName)}, found ` +
    `${classNames.length}: ${found} (for a numeric target use --task regression)`);
}

export async function streamTrainingData(source: string, o: SourceOptions & { batchSize: number }): Promise<TrainingData> {
  if (!fs.existsSync(source)) throw new Error(`no such file '${source}' (--stream reads a CSV file)`);
  const task = o.task ?? 'classification';
  const every = Math.max(2, Math.round(1 / o.testFraction));
  const held = (r: number) => r % every === every - 1;
  const stream = await csvDataset(source, {
    ...o.csv,
    ...(o.label !== undefined ? { label: o.label } : {}),
    labelType: task === 'regression' ? 'number' : 'class',
    scaleTarget: task === 'regression',
    rows: (r) => !held(r), batchSize: o.batchSize, seed: o.seed,
    ...(o.onWarning ? { onWarning: o.onWarning } : {}),
  });
  checkTwoClasses(source, stream.labelName, stream.classNames);
  const test = await stream.withRows(held).load(MAX_STREAM_TEST_ROWS);
  // The held-out targets in the target's own units, as the in-memory path keeps them.
  const testY = stream.targetScaler ? new TensorClass(stream.targetScaler.inverseTransform(asColumn(test.y)).data, [test.y.shape[0]]) : test.y;
  const d = stream.featureCount;
  const notes = describeEncoding(stream.encoding, stream.filled);
  notes.push(`streaming ${stream.rows} training rows from the file each epoch; every ${ordinal(every)} row held out ` +
    `(${test.y.shape[0]}${test.y.shape[0] === MAX_STREAM_TEST_ROWS ? ', the first ' + MAX_STREAM_TEST_ROWS : ''} kept for the test figures); no validation split`);
  return {
    name: source.replace(/^.*[\\/]/, '').replace(/\.(csv|tsv|txt)$/i, ''),
    task, featureNames: stream.featureNames, labelName: stream.labelName, encoding: stream.encoding,
    ...(stream.classNames ? { classNames: stream.classNames } : {}),
    ...(stream.scaler ? { scaler: stream.scaler } : {}),
    ...(stream.targetScaler ? { targetScaler: stream.targetScaler } : {}),
    train: { x: new TensorClass(new Float32Array(0), [0, d]), y: new TensorClass(new Float32Array(0), [0]) },
    test: { x: test.x, y: testY },
    notes, stream,
  };
}

export interface SourceOptions {
  label?: string;
  task?: 'classification' | 'regression';
  testFraction: number;
  seed: number;
  /** Fashion-MNIST only: keep the first N samples of each split. */
  subset?: number;
  dataDir?: string;
  /** CSV only: dialect options (delimiter, header, skipRows). */
  csv?: CsvHeaderOptions;
  /** Receives warnings about the data (a guessed header, unseen categories). */
  onWarning?: (message: string) => void;
}

/** Below this many rows there is no test split: the model is tested on the rows it trained on. */
export const MIN_ROWS_FOR_TEST_SPLIT = 20;

const generators: Record<string, (seed: number) => Dataset> = {
  xor: () => xor(),
  circles: (seed) => circles({ n: 1000, noise: 0.08, factor: 0.5, seed }),
  spirals: (seed) => spirals({ n: 1000, noise: 0.15, seed }),
  blobs: (seed) => blobs({ n: 600, centers: 3, seed }),
};

export const builtInDataNames = ['fashion-mnist', 'iris', ...Object.keys(generators)];

function scaled(name: string, data: Omit<TrainingData, 'train' | 'test' | 'name' | 'notes'>, x: Tensor, y: Tensor, o: SourceOptions, notes: string[] = []): TrainingData {
  const n = x.shape[0];
  const small = n < MIN_ROWS_FOR_TEST_SPLIT;
  if (small) notes.push(`${n} rows (fewer than ${MIN_ROWS_FOR_TEST_SPLIT}): no test split, the test figures are on the training rows`);
  const { train, test } = small ? { train: { x, y }, test: { x, y } } : trainTestSplit(x, y, { testFraction: o.testFraction, seed: o.seed, stratify: data.task === 'classification' });
  const scaler = new StandardScaler().fit(train.x);
  // A target in the thousands gives a loss in the millions: the model learns it standardised.
  const targetScaler = data.task === 'regression' ? new StandardScaler().fit(asColumn(train.y)) : undefined;
  return {
    ...data,
    name,
    scaler,
    ...(targetScaler ? { targetScaler } : {}),
    notes,
    train: { x: scaler.transform(train.x), y: targetScaler ? targetScaler.transform(asColumn(train.y)) : train.y },
    test: { x: scaler.transform(test.x), y: test.y },
  };
}

function asColumn(y: Tensor): Tensor {
  return y.rank === 2 ? y : new TensorClass(y.data, [y.shape[0], 1]);
}

/** Resolves `fashion-mnist`, a built-in toy data set, or a CSV path into training data. */
export function loadTrainingData(source: string, o: SourceOptions): TrainingData {
  if (source === 'fashion-mnist') {
    const d = loadFashionMnist({ ...(o.dataDir ? { dir: o.dataDir } : {}), ...(o.subset ? { subset: o.subset } : {}) });
    // Pixels are already in [0, 1]; no scaler, so a saved model takes raw pixels / 255.
    return { name: source, train: d.train, test: d.test, task: 'classification', classNames: d.classNames, notes: [] };
  }
  if (source === 'iris') {
    const d = loadIris();
    return scaled(source, { task: 'classification', classNames: d.classNames, featureNames: d.featureNames }, d.x, d.y, o);
  }
  if (Object.hasOwn(generators, source)) {
    const d = generators[source](o.seed);
    return scaled(source, { task: 'classification', classNames: d.classNames, featureNames: ['x1', 'x2'] }, d.x, d.y, o);
  }
  if (!fs.existsSync(source)) {
    throw new Error(`no data set named '${source}' and no such file; use a CSV path or one of: ${builtInDataNames.join(', ')}`);
  }
  const task = o.task ?? 'classification';
  const csv = loadCsv(source, {
    ...o.csv,
    ...(o.label !== undefined ? { label: o.label } : {}),
    labelType: task === 'regression' ? 'number' : 'class',
    ...(o.onWarning ? { onWarning: o.onWarning } : {}),
  });
  checkTwoClasses(source, csv.labelName, csv.classNames);
  const notes = describeEncoding(csv.encoding, csv.filled);
  return scaled(source.replace(/^.*[\\/]/, '').replace(/\.(csv|tsv|txt)$/i, ''), {
    task, featureNames: csv.featureNames, labelName: csv.labelName, encoding: csv.encoding,
    ...(csv.classNames ? { classNames: csv.classNames } : {}),
  }, csv.x, csv.y, o, notes);
}

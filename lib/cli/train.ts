import * as path from 'node:path';
import { backend, threads } from '../backend/index';
import { activationNames, type ActivationName } from '../layers/activation-fn';
import { saveModel } from '../model/model-file';
import { optimizer as makeOptimizer, optimizerNames } from '../optim/optimizers';
import { exponentialDecay } from '../optim/schedules';
import { writeTrainingReport } from '../plot/report';
import type { OptName } from '../backend/types';
import { Tensor } from '../tensor';
import { choiceOption, intOption, listOption, numberOption, parse, UsageError } from './args';
import { buildMlp } from '../model/mlp';
import { builtInDataNames, loadTrainingData, streamTrainingData } from './data-source';
import { csvDialectOptions, csvDialectSpec, csvDialectUsage, rejectCsvOptions } from './csv-options';
import { plural } from '../words';
import { classificationReport, formatClassificationReport } from '../train/classification-report';
import { regressionScores } from '../train/scores';

/** Below this many training rows there is no validation split unless one is asked for. */
export const MIN_ROWS_FOR_VALIDATION = 50;

export const trainUsage = `Usage: blasnet train <data> [options]

<data> is fashion-mnist, a built-in set (${builtInDataNames.filter((n) => n !== 'fashion-mnist').join(', ')}) or a CSV file.
Trains a multilayer perceptron, prints the test accuracy (or error), and writes
the model and its pictures (loss.svg, accuracy.svg, confusion-matrix.svg, decision-boundary.svg for
2-feature data) to --out.

Options:
  --label <column>       CSV label column, by name (default: the last column)
  --task <t>             classification (default) or regression (CSV only)
${csvDialectUsage}
  --layers <a,b,...>     hidden layer widths (fashion-mnist default 512,256; others 32,16)
  --activation <name>    hidden activation (default relu): ${activationNames.filter((n) => n !== 'softmax').join(', ')}
  --dropout <p>          dropout after each hidden layer (fashion-mnist default 0.2; others 0)
  --batch-norm           batch normalisation before each hidden activation
  --stream               CSV: read the training rows from the file each epoch instead of loading
                         it (for files larger than memory; every 1/test-fraction-th row is held out)
  --class-weight balanced  weigh each class's samples by n / (classes · n_c) (imbalanced data)
  --epochs <n>           passes over the training data (fashion-mnist default 30; others 200)
  --batch-size <n>       samples per step (default 128; others 32)
  --optimizer <name>     ${optimizerNames.join(', ')} (default adam)
  --lr <rate>            learning rate (default 1e-3 for adam/adamw/rmsprop on fashion-mnist, else 0.01)
  --lr-decay <k>         multiply the rate by k every epoch (fashion-mnist default 0.9; others 1)
  --validation-split <f> fraction of training rows held out for the curves (default 0.1; none
                         below ${MIN_ROWS_FOR_VALIDATION} training rows)
  --test-fraction <f>    CSV/built-in data: fraction held out as the test set (default 0.2; none
                         below 20 rows)
  --subset <n>           fashion-mnist: use only the first n samples of each split
  --seed <n>             seed for data splits, initialisation and shuffling (default 1)
  --out <dir>            where to write the model and pictures (default runs/<data>)
  -q, --quiet            no progress output
  -h, --help             this help`;

export async function trainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    label: { type: 'string' }, task: { type: 'string' }, layers: { type: 'string' }, activation: { type: 'string' },
    dropout: { type: 'string' }, 'batch-norm': { type: 'boolean' }, epochs: { type: 'string' }, 'batch-size': { type: 'string' },
    optimizer: { type: 'string' }, lr: { type: 'string' }, 'lr-decay': { type: 'string' }, 'validation-split': { type: 'string' },
    'test-fraction': { type: 'string' }, subset: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' }, 'class-weight': { type: 'string' }, stream: { type: 'boolean' }, ...csvDialectSpec,
  });
  if (values.help) { console.log(trainUsage); return 0; }
  if (positionals.length !== 1) throw new UsageError(`train expects one data source, received ${positionals.length}`);
  const source = positionals[0];
  const big = source === 'fashion-mnist';
  if (builtInDataNames.includes(source)) rejectCsvOptions(source, values, ['label', 'task']);
  // Every option is checked before any data is read, so a typo fails at once.
  const seed = intOption(values, 'seed', 1, 0);
  const task = choiceOption(values, 'task', 'classification', ['classification', 'regression'] as const);
  const testFraction = numberOption(values, 'test-fraction', 0.2, 0.01, 0.99);
  const subset = values.subset !== undefined ? intOption(values, 'subset', 0) : undefined;
  const optName = choiceOption(values, 'optimizer', 'adam' as OptName, optimizerNames as readonly OptName[]);
  const adamLike = optName === 'adam' || optName === 'adamw' || optName === 'rmsprop';
  const lr = numberOption(values, 'lr', adamLike && big ? 1e-3 : 0.01, 0, 10);
  const lrDecay = numberOption(values, 'lr-decay', big ? 0.9 : 1, 0, 1);
  const hidden = listOption(values, 'layers', big ? [512, 256] : [32, 16]);
  const activation = choiceOption(values, 'activation', 'relu' as ActivationName, activationNames.filter((n) => n !== 'softmax'));
  const dropout = numberOption(values, 'dropout', big ? 0.2 : 0, 0, 0.95);
  const epochs = intOption(values, 'epochs', big ? 30 : 200);
  const batchSize = intOption(values, 'batch-size', big ? 128 : 32);
  const askedValidation = values['validation-split'] !== undefined;
  let validationSplit = numberOption(values, 'validation-split', 0.1, 0, 0.9);
  const quiet = values.quiet === true;
  const classWeight = values['class-weight'] === undefined ? undefined : choiceOption(values, 'class-weight', 'balanced', ['balanced'] as const);
  const csv = csvDialectOptions(values);
  if (classWeight !== undefined && task === 'regression') throw new UsageError('--class-weight applies to classification; regression has no classes');

  const streaming = values.stream === true;
  if (streaming && builtInDataNames.includes(source)) throw new UsageError(`--stream applies to CSV files; '${source}' is a built-in data set`);
  if (streaming && (askedValidation || classWeight !== undefined)) throw new UsageError(`${askedValidation ? '--validation-split' : '--class-weight'} is not available with --stream`);
  const sourceOptions = {
    ...(values.label !== undefined ? { label: String(values.label) } : {}),
    task, testFraction, seed, ...(subset !== undefined ? { subset } : {}), csv,
    onWarning: (message: string) => console.error(`blasnet: warning: ${message}`),
  };
  const data = streaming ? await streamTrainingData(source, { ...sourceOptions, batchSize }) : loadTrainingData(source, sourceOptions);
  const trainRows = data.stream ? data.stream.rows : data.train.x.shape[0];
  const inputs = data.stream ? data.stream.featureCount : data.train.x.shape[1];
  const notes = [...data.notes];
  if (streaming) {
    validationSplit = 0;
  } else if (!askedValidation && trainRows < MIN_ROWS_FOR_VALIDATION) {
    validationSplit = 0;
    notes.push(`${plural(trainRows, 'training row')} (fewer than ${MIN_ROWS_FOR_VALIDATION}): no validation split, the curves show training only`);
  } else if (validationSplit > 0 && (Math.round(trainRows * validationSplit) < 1 || Math.round(trainRows * validationSplit) > trainRows - 1)) {
    throw new UsageError(`--validation-split ${validationSplit} of ${plural(trainRows, 'training row')} leaves an empty part; use 0 or a larger fraction`);
  }
  const classification = data.task === 'classification';
  const outputs = classification ? data.classNames!.length : 1;
  const model = buildMlp({
    inputs, hidden, outputs, activation, dropout, batchNorm: values['batch-norm'] === true, seed,
  });
  model.compile({
    loss: classification ? 'softmaxCrossentropy' : 'mse',
    optimizer: makeOptimizer({ name: optName, lr }),
    metrics: classification ? ['accuracy'] : ['mae'],
  });
  const log = (line: string): void => { if (!quiet) console.log(line); };
  log(`blasnet: ${data.name}, ${trainRows} training / ${data.test.x.shape[0]} test samples, ` +
    `backend ${backend()} (${threads()} threads)`);
  for (const note of notes) log(note);
  log(model.summary());

  const started = process.hrtime.bigint();
  const lrSchedule = lrDecay !== 1 ? { lrSchedule: exponentialDecay({ rate: lrDecay }) } : {};
  const history = data.stream
    ? await model.fit(data.stream, { epochs, verbose: quiet ? 0 : 1, ...lrSchedule })
    : await model.fit(data.train.x, data.train.y, {
      epochs, batchSize, validationSplit, seed,
      ...(classWeight !== undefined ? { classWeight } : {}),
      verbose: quiet ? 0 : 1,
      ...lrSchedule,
    });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const testOutputs = model.predict(data.test.x);
  // Regression outputs are in standardised units; people read the target's own.
  const regressionPred = data.targetScaler ? data.targetScaler.inverseTransform(testOutputs).data : undefined;
  const scores = regressionPred ? regressionScores(data.test.y.data, regressionPred, data.test.y.shape[0]) : undefined;
  const result = classification ? model.evaluate(data.test.x, data.test.y) : undefined;
  const outDir = values.out !== undefined ? String(values.out) : path.join('runs', data.name);
  const file = saveModel(model, outDir, {
    extra: {
      source: data.name, task: data.task,
      ...(data.classNames ? { classNames: data.classNames } : {}),
      ...(data.featureNames ? { featureNames: data.featureNames } : {}),
      ...(data.labelName ? { labelName: data.labelName } : {}),
      ...(data.scaler ? { scaler: data.scaler.toJSON() } : {}),
      ...(data.encoding ? { encoding: data.encoding } : {}),
      ...(data.targetScaler ? { targetScaler: data.targetScaler.toJSON() } : {}),
    },
  });

  const predicted = classification ? Array.from(testOutputs.data) : undefined;
  const pictures = writeTrainingReport(outDir, {
    history,
    title: data.name,
    ...(classification ? { predicted: argmaxRows(predicted!, outputs), actual: data.test.y.data, classNames: data.classNames } : {}),
    ...(regressionPred ? { regression: { predicted: regressionPred, actual: data.test.y.data, ...(data.labelName ? { label: data.labelName } : {}) } } : {}),
    ...(classification && inputs === 2
      ? { boundary: { x: data.test.x, y: data.test.y, predict: (p: Float32Array, m: number) => model.predict(new Tensor(p.subarray(0, m * 2), [m, 2])) } }
      : {}),
  });
  if (classification) log(formatClassificationReport(classificationReport(model, data.test.x, data.test.y, { classNames: data.classNames })));
  const metric = result
    ? `test accuracy ${result.accuracy.toFixed(4)} (test loss ${result.loss.toFixed(4)})`
    : `test MAE ${formatScore(scores!.mae)}, RMSE ${formatScore(scores!.rmse)}, R² ${scores!.r2.toFixed(4)}`;
  console.log(`${metric} after ${plural(history.epoch.length, 'epoch')}, trained in ${seconds.toFixed(1)} s`);
  console.log(`saved ${file}; pictures: ${pictures.map((p) => path.basename(p)).join(', ')}`);
  return 0;
}

/** Four significant digits, whatever the target's magnitude. */
function formatScore(v: number): string {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

function argmaxRows(values: ArrayLike<number>, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += k) {
    let best = 0;
    for (let j = 1; j < k; j++) if (values[i + j] > values[i + best]) best = j;
    out.push(best);
  }
  return out;
}

// The figures people report for a classifier or a regressor on a test set, per class and averaged.

import { fail } from '../validate';
import { predictProba } from './classify';
import { toRows, type DataInput } from './data';
import { predict, type InferenceOptions } from './inference';
import type { TrainableModel } from './model';
import { confusionCounts, logLoss, precisionRecallF1, regressionScores, rocAucOfProbabilities, type PrecisionRecallF1, type RegressionScores } from './scores';

export interface ClassificationReport extends PrecisionRecallF1 {
  accuracy: number;
  /** ROC-AUC: of class 1 for two classes, the one-vs-rest macro average for more. */
  rocAuc: number;
  logLoss: number;
  /** confusion[t][p]: samples of class t predicted as p. */
  confusion: number[][];
  classNames?: string[];
}

/** Precision/recall/F1 per class with macro and weighted averages, accuracy, ROC-AUC and log-loss of
 *  the model on (x, y), y being class indices. */
export function classificationReport(model: TrainableModel, x: DataInput, y: DataInput,
  options: InferenceOptions & { classNames?: readonly string[] } = {}): ClassificationReport {
  const fn = 'classificationReport';
  const { classNames, ...inference } = options;
  const proba = predictProba(model, x, inference);
  const [n, k] = proba.shape;
  const labels = toRows(fn, 'y', y);
  if (labels.width !== 1 || labels.n !== n) fail(fn, 'y', `${n} class indices, one per row of x`, `${labels.n} rows of ${labels.width}`);
  labels.data.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c >= k) fail(fn, `y[${i}]`, `a class index in [0, ${k - 1}]`, String(c));
  });
  if (classNames !== undefined && classNames.length !== k) fail(fn, 'options.classNames', `${k} names`, `${classNames.length} names`);
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (proba.data[i * k + j] > proba.data[i * k + best]) best = j;
    predicted[i] = best;
  }
  const counts = confusionCounts(labels.data, predicted, k);
  let correct = 0;
  for (let c = 0; c < k; c++) correct += counts[c * k + c];
  return {
    ...precisionRecallF1(counts, k),
    accuracy: correct / n,
    rocAuc: rocAucOfProbabilities(proba.data, labels.data, n, k),
    logLoss: logLoss(proba.data, labels.data, n, k),
    confusion: Array.from({ length: k }, (_, t) => Array.from(counts.subarray(t * k, (t + 1) * k))),
    ...(classNames !== undefined ? { classNames: [...classNames] } : {}),
  };
}

/** MAE, RMSE and R² of the model's outputs on (x, y). */
export function regressionReport(model: TrainableModel, x: DataInput, y: DataInput, options: InferenceOptions = {}): RegressionScores {
  const fn = 'regressionReport';
  const pred = predict(model, x, options);
  const target = toRows(fn, 'y', y);
  const k = model.outputSize;
  if (target.data.length !== pred.data.length) fail(fn, 'y', `${pred.shape[0]} rows of ${k} targets`, `${target.data.length} values`);
  return regressionScores(target.data, pred.data, pred.shape[0], k);
}

/** The report as a table for a terminal. */
export function formatClassificationReport(r: ClassificationReport): string {
  const names = r.classNames ?? r.precision.map((_, c) => String(c));
  const width = Math.min(24, Math.max(12, ...names.map((s) => s.length)));
  const cell = (v: number) => v.toFixed(4).padStart(9);
  const row = (label: string, p: number, rc: number, f: number, support: number) =>
    `${label.slice(0, width).padEnd(width)} ${cell(p)} ${cell(rc)} ${cell(f)} ${String(support).padStart(8)}`;
  const total = r.support.reduce((a, b) => a + b, 0);
  const lines = [`${''.padEnd(width)} ${'precision'.padStart(9)} ${'recall'.padStart(9)} ${'f1'.padStart(9)} ${'support'.padStart(8)}`];
  // Many classes: the averages say more than hundreds of rows.
  if (names.length <= 30) names.forEach((name, c) => lines.push(row(name, r.precision[c], r.recall[c], r.f1[c], r.support[c])));
  else lines.push(`(${names.length} classes: per-class rows left out)`);
  lines.push(row('macro avg', r.macro.precision, r.macro.recall, r.macro.f1, total));
  lines.push(row('weighted avg', r.weighted.precision, r.weighted.recall, r.weighted.f1, total));
  lines.push(`accuracy ${r.accuracy.toFixed(4)}, ROC-AUC ${Number.isNaN(r.rocAuc) ? 'n/a' : r.rocAuc.toFixed(4)}, log-loss ${r.logLoss.toFixed(4)}`);
  return lines.join('\n');
}

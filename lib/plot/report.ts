import * as path from 'node:path';
import type { History } from '../train/history';
import type { Tensor } from '../tensor';
import { confusionMatrix, confusionMatrixSvg } from './confusion-matrix';
import { decisionBoundarySvg } from './decision-boundary';
import { lineChart, type LineSeries } from './line-chart';
import { autoYScale, predictedVsActualSvg } from './predicted-vs-actual';
import { writeSvg } from './svg';

/** What {@link writeTrainingReport} draws. */
export interface TrainingReport {
  history: History;
  /** Test-set predictions and truth, for the confusion matrix. */
  predicted?: ArrayLike<number>;
  actual?: ArrayLike<number>;
  classNames?: readonly string[];
  /** For 2-feature data: the points, their labels and a predict function, for the decision boundary. */
  boundary?: {
    /** The points, [n, 2]. */
    x: Tensor;
    /** Their labels. */
    y: Tensor;
    /** The model's output for m points given as [m, 2] row-major floats. */
    predict: (points: Float32Array, m: number) => ArrayLike<number> | Tensor;
  };
  /** For regression: test-set predictions and truth (in the target's units), and the target's name. */
  regression?: { predicted: ArrayLike<number>; actual: ArrayLike<number>; label?: string };
  title?: string;
}

function curve(history: History, key: string, name: string, mark: 'min' | 'max', dashed = false): LineSeries[] {
  const values = history[key];
  return Array.isArray(values) && values.length > 0 ? [{ name, values, mark, dashed }] : [];
}

/**
 * Writes the pictures a person looks at after training, as standalone SVG files in dir: loss.svg and
 * accuracy.svg (train vs validation per epoch; the loss on a log axis when it spans two decades),
 * confusion-matrix.svg, decision-boundary.svg and predicted-vs-actual.svg when the data allow. Returns the files written.
 */
export function writeTrainingReport(dir: string, report: TrainingReport): string[] {
  const written: string[] = [];
  const save = (name: string, svg: string): void => {
    const file = path.join(dir, name);
    writeSvg(file, svg);
    written.push(file);
  };
  const h = report.history;
  const prefix = report.title ? `${report.title}: ` : '';
  const loss = [...curve(h, 'loss', 'training', 'min'), ...curve(h, 'valLoss', 'validation', 'min', true)];
  // A loss spanning decades is flat after the first epochs on a linear axis.
  const yScale = autoYScale(loss.flatMap((s) => Array.from(s.values)));
  if (loss.length > 0) save('loss.svg', lineChart({ series: loss, title: `${prefix}loss per epoch`, xLabel: 'epoch', yLabel: yScale === 'log' ? 'loss (log scale)' : 'loss', yScale }));
  const acc = [...curve(h, 'accuracy', 'training', 'max'), ...curve(h, 'valAccuracy', 'validation', 'max', true)];
  if (acc.length > 0) save('accuracy.svg', lineChart({ series: acc, title: `${prefix}accuracy per epoch`, xLabel: 'epoch', yLabel: 'accuracy' }));
  if (report.predicted !== undefined && report.actual !== undefined && report.classNames !== undefined) {
    const k = report.classNames.length;
    const matrix = confusionMatrix(Array.from(report.predicted), Array.from(report.actual), k);
    save('confusion-matrix.svg', confusionMatrixSvg(matrix, report.classNames, { title: `${prefix}confusion matrix (test set)` }));
  }
  if (report.regression !== undefined) {
    const { predicted, actual, label } = report.regression;
    save('predicted-vs-actual.svg', predictedVsActualSvg({ predicted, actual, title: `${prefix}predicted vs actual (test set)`, ...(label ? { label } : {}) }));
  }
  if (report.boundary !== undefined) {
    save('decision-boundary.svg', decisionBoundarySvg({ ...report.boundary, classNames: report.classNames, title: `${prefix}decision boundary` }));
  }
  return written;
}

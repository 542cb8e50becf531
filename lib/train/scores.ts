// Classification and regression scores over a whole data set, from plain arrays: the definitions
// that evaluate's metrics, classificationReport and the command share (all sums in float64).

/** Per-class precision, recall, F1 and support, with their macro (plain mean over classes) and
 *  weighted (by support) averages. */
export interface PrecisionRecallF1 {
  precision: number[];
  recall: number[];
  f1: number[];
  /** How many samples of each class there are. */
  support: number[];
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
}

/** Counts of (true class, predicted class): counts[t * k + p]. */
export function confusionCounts(actual: ArrayLike<number>, predicted: ArrayLike<number>, k: number, into = new Float64Array(k * k)): Float64Array {
  for (let i = 0; i < actual.length; i++) into[actual[i] * k + predicted[i]]++;
  return into;
}

/**
 * Precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R) per class, from confusion
 * counts; a ratio with nothing to divide by (a class never predicted, or absent) counts as 0.
 */
export function precisionRecallF1(counts: ArrayLike<number>, k: number): PrecisionRecallF1 {
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const support: number[] = [];
  let total = 0;
  for (let c = 0; c < k; c++) {
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += counts[j * k + c];
      actual += counts[c * k + j];
    }
    const tp = counts[c * k + c];
    const p = predicted === 0 ? 0 : tp / predicted;
    const r = actual === 0 ? 0 : tp / actual;
    precision.push(p);
    recall.push(r);
    f1.push(p + r === 0 ? 0 : (2 * p * r) / (p + r));
    support.push(actual);
    total += actual;
  }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / k;
  const weighted = (v: number[]) => (total === 0 ? 0 : v.reduce((s, x, c) => s + x * support[c], 0) / total);
  return {
    precision, recall, f1, support,
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
    weighted: { precision: weighted(precision), recall: weighted(recall), f1: weighted(f1) },
  };
}

/**
 * Area under the ROC curve for scores of one class against the rest: the probability that a random
 * positive scores above a random negative (ties count ½), computed from average ranks (Mann–Whitney
 * U). NaN when there are no positives or no negatives.
 */
export function rocAuc(scores: ArrayLike<number>, positive: (i: number) => boolean, n = scores.length): number {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  let positives = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // average 1-based rank of the tied group
    for (let j = start; j < end; j++) if (positive(order[j])) { rankSum += rank; positives++; }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * ROC-AUC of class probabilities proba[n, k] against class labels: for k = 2 the AUC of class 1's
 * probability; for k > 2 the macro average of each class against the rest (classes without both
 * positives and negatives are left out; NaN when none is left).
 */
export function rocAucOfProbabilities(proba: ArrayLike<number>, labels: ArrayLike<number>, n: number, k: number): number {
  const column = new Float64Array(n);
  const aucOf = (c: number) => {
    for (let i = 0; i < n; i++) column[i] = proba[i * k + c];
    return rocAuc(column, (i) => labels[i] === c, n);
  };
  if (k === 2) return aucOf(1);
  let sum = 0;
  let used = 0;
  for (let c = 0; c < k; c++) {
    const auc = aucOf(c);
    if (!Number.isNaN(auc)) { sum += auc; used++; }
  }
  return used === 0 ? NaN : sum / used;
}

/** Smallest probability log-loss takes the log of (log(1e-15) ≈ −34.5), so a confident mistake
 *  costs a lot but not Infinity. */
export const LOG_LOSS_EPS = 1e-15;

/** Mean of −log p(true class) over the rows of proba[n, k]. */
export function logLoss(proba: ArrayLike<number>, labels: ArrayLike<number>, n: number, k: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum -= Math.log(Math.min(1, Math.max(LOG_LOSS_EPS, proba[i * k + labels[i]])));
  return sum / n;
}

/** MAE, RMSE and R² of a regression's predictions. */
export interface RegressionScores {
  mae: number;
  rmse: number;
  /** 1 − Σ(y − ŷ)² / Σ(y − ȳ)²: 1 is perfect, 0 is as good as predicting the mean (averaged over
   *  output columns; NaN for a constant column). */
  r2: number;
}

/** MAE, RMSE and R² of predictions against targets, both [n, k] row-major. */
export function regressionScores(actual: ArrayLike<number>, predicted: ArrayLike<number>, n: number, k = 1): RegressionScores {
  let abs = 0;
  let sq = 0;
  let r2 = 0;
  for (let j = 0; j < k; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += actual[i * k + j];
    mean /= n;
    let res = 0;
    let tot = 0;
    for (let i = 0; i < n; i++) {
      const e = actual[i * k + j] - predicted[i * k + j];
      const d = actual[i * k + j] - mean;
      abs += Math.abs(e);
      res += e * e;
      tot += d * d;
    }
    sq += res;
    r2 += tot === 0 ? NaN : 1 - res / tot;
  }
  return { mae: abs / (n * k), rmse: Math.sqrt(sq / (n * k)), r2: r2 / k };
}

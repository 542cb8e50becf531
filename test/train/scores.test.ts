// Every expected value below is worked out by hand in the comment beside it (or is a textbook
// example), not printed by the code under test.
import { describe, expect, it } from 'vitest';
import { Dense } from '../../lib/layers/dense';
import { Sequential } from '../../lib/model/sequential';
import { Tensor } from '../../lib/tensor';
import { classificationReport, formatClassificationReport, regressionReport } from '../../lib/train/classification-report';
import { confusionCounts, logLoss, precisionRecallF1, regressionScores, rocAuc, rocAucOfProbabilities } from '../../lib/train/scores';

// Three classes, six samples.
//   actual    0 0 1 1 1 2
//   predicted 0 1 1 1 2 2
// class 0: TP 1, predicted 1, actual 2 → P 1,   R 1/2, F1 2/3
// class 1: TP 2, predicted 3, actual 3 → P 2/3, R 2/3, F1 2/3
// class 2: TP 1, predicted 2, actual 1 → P 1/2, R 1,   F1 2/3
// macro P = (1 + 2/3 + 1/2)/3 = 13/18, macro R = 13/18, macro F1 = 2/3
// weighted P = (2·1 + 3·2/3 + 1·1/2)/6 = 3/4, weighted R = (2·½ + 3·⅔ + 1·1)/6 = 2/3, weighted F1 = 2/3
const actual = [0, 0, 1, 1, 1, 2];
const predicted = [0, 1, 1, 1, 2, 2];

// Four samples of three classes (rows sum to 1), labels 0 1 2 0.
const proba = [0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.6, 0.3, 0.6, 0.1];
const labels = [0, 1, 2, 0];
// One-vs-rest AUCs: class 0 scores .7 .2 .1 .3, positives .7 and .3 beat both negatives → 1.
// class 1 scores .2 .5 .3 .6: the positive .5 beats the negatives .2 and .3, loses to .6 → 2/3.
// class 2 scores .1 .3 .6 .1: positive .6 beats all three → 1. Macro (1 + 2/3 + 1)/3 = 8/9.
const ovrAuc = 8 / 9;
// Log-loss −(ln .7 + ln .5 + ln .6 + ln .3)/4 = (0.3566749 + 0.6931472 + 0.5108256 + 1.2039728)/4
const logLossValue = -(Math.log(0.7) + Math.log(0.5) + Math.log(0.6) + Math.log(0.3)) / 4;

describe('scores', () => {
  it('precision, recall and F1 per class with macro and weighted averages', () => {
    const counts = confusionCounts(actual, predicted, 3);
    expect(Array.from(counts)).toEqual([1, 1, 0, 0, 2, 1, 0, 0, 1]);
    const r = precisionRecallF1(counts, 3);
    [1, 2 / 3, 1 / 2].forEach((v, c) => expect(r.precision[c]).toBeCloseTo(v, 12));
    [1 / 2, 2 / 3, 1].forEach((v, c) => expect(r.recall[c]).toBeCloseTo(v, 12));
    r.f1.forEach((v) => expect(v).toBeCloseTo(2 / 3, 12));
    expect(r.support).toEqual([2, 3, 1]);
    expect(r.macro.precision).toBeCloseTo(13 / 18, 12);
    expect(r.macro.recall).toBeCloseTo(13 / 18, 12);
    expect(r.macro.f1).toBeCloseTo(2 / 3, 12);
    expect(r.weighted.precision).toBeCloseTo(3 / 4, 12);
    expect(r.weighted.recall).toBeCloseTo(2 / 3, 12);
    expect(r.weighted.f1).toBeCloseTo(2 / 3, 12);
    // A class never predicted has precision 0 (not NaN), and so F1 0.
    const never = precisionRecallF1(confusionCounts([0, 1], [0, 0], 2), 2);
    expect(never.precision[1]).toBe(0);
    expect(never.f1[1]).toBe(0);
  });

  it('ROC-AUC: binary with and without ties, one-vs-rest macro', () => {
    // scores .1 .4 .35 .8, positives .35 and .8: .8 beats both negatives, .35 beats .1 only → 3/4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], (i) => i >= 2)).toBeCloseTo(0.75, 12);
    // .2 .6 .6 .9 with positives .6 (the second) and .9: .6 vs .2 → 1, .6 vs .6 → ½, .9 → 1 + 1 → 3.5/4.
    expect(rocAuc([0.2, 0.6, 0.6, 0.9], (i) => i >= 2)).toBeCloseTo(0.875, 12);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], (i) => i % 2 === 1)).toBeCloseTo(0.5, 12);
    expect(rocAuc([0.1, 0.2], () => true)).toBeNaN();
    expect(rocAucOfProbabilities(proba, labels, 4, 3)).toBeCloseTo(ovrAuc, 12);
    // Two classes: the AUC of class 1's column.
    expect(rocAucOfProbabilities([0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8], [0, 0, 1, 1], 4, 2)).toBeCloseTo(0.75, 12);
  });

  it('log-loss, clipped so a zero probability is costly but finite', () => {
    expect(logLoss(proba, labels, 4, 3)).toBeCloseTo(logLossValue, 6);
    expect(logLoss([1, 0], [1], 1, 2)).toBeCloseTo(-Math.log(1e-15), 9);
  });

  it('regression: MAE, RMSE, R² (y = 3, −0.5, 2, 7; ŷ = 2.5, 0, 2, 8)', () => {
    // errors .5 .5 0 1 → MAE 2/4 = 0.5, MSE 1.5/4 → RMSE √0.375; mean y 2.875,
    // Σ(y − ȳ)² = .125² + 3.375² + .875² + 4.125² = 29.1875 → R² = 1 − 1.5/29.1875.
    const s = regressionScores([3, -0.5, 2, 7], [2.5, 0, 2, 8], 4);
    expect(s.mae).toBeCloseTo(0.5, 12);
    expect(s.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(s.r2).toBeCloseTo(1 - 1.5 / 29.1875, 12);
    expect(regressionScores([1, 1], [1, 2], 2).r2).toBeNaN();
  });
});

/** Dense(k, k) with identity weights: fed log-probabilities, its softmax reproduces them. */
function identity(k: number): Sequential {
  const model = new Sequential([new Dense(k, k)], { seed: 1 });
  model.build([k]);
  const [w, b] = model.layers[0].params();
  w.value.fill(0);
  for (let i = 0; i < k; i++) w.value[i * k + i] = 1;
  b.value.fill(0);
  return model;
}

describe('the same scores through evaluate and the reports', () => {
  it('compiled metrics accumulate across batches to the whole-set values', () => {
    const model = identity(3);
    model.compile({ loss: 'softmaxCrossentropy', optimizer: 'sgd', metrics: ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss'] });
    const x = new Tensor(Float32Array.from(proba, Math.log), [4, 3]);
    const r = model.evaluate(x, labels, { batchSize: 3 });
    // predicted classes 0 1 2 1 against 0 1 2 0: class 0 P 1 R ½, class 1 P ½ R 1, class 2 P 1 R 1.
    expect(r.accuracy).toBeCloseTo(3 / 4, 6);
    expect(r.precision).toBeCloseTo((1 + 0.5 + 1) / 3, 6);
    expect(r.recall).toBeCloseTo((0.5 + 1 + 1) / 3, 6);
    expect(r.f1).toBeCloseTo((2 / 3 + 2 / 3 + 1) / 3, 6);
    expect(r.rocAuc).toBeCloseTo(ovrAuc, 6);
    expect(r.logLoss).toBeCloseTo(logLossValue, 5);
    expect(r.loss).toBeCloseTo(logLossValue, 5);
  });

  it('classificationReport gives per-class rows, the confusion matrix and a table', () => {
    const model = identity(3);
    const x = new Tensor(Float32Array.from(proba, Math.log), [4, 3]);
    const r = classificationReport(model, x, labels, { classNames: ['a', 'b', 'c'] });
    expect(r.confusion).toEqual([[1, 1, 0], [0, 1, 0], [0, 0, 1]]);
    expect(r.precision.map((v) => +v.toFixed(6))).toEqual([1, 0.5, 1]);
    expect(r.weighted.recall).toBeCloseTo(3 / 4, 6);
    expect(r.rocAuc).toBeCloseTo(ovrAuc, 6);
    const table = formatClassificationReport(r).split('\n');
    expect(table[0]).toMatch(/precision\s+recall\s+f1\s+support$/);
    expect(table[2]).toMatch(/^b\s+0\.5000\s+1\.0000\s+0\.6667\s+1$/);
    expect(table[5]).toMatch(/^weighted avg\s+0\.8750\s+0\.7500\s+0\.7500\s+4$/);
    expect(table[6]).toBe('accuracy 0.7500, ROC-AUC 0.8889, log-loss 0.6912');
    expect(() => classificationReport(model, x, [0, 1, 2, 3])).toThrow('classificationReport: expected y[3] to be a class index in [0, 2], received 3');
  });

  it('regression metrics through evaluate and regressionReport', () => {
    const model = new Sequential([new Dense(1, 1)], { seed: 1 });
    model.build([1]);
    const [w, b] = model.layers[0].params();
    w.value[0] = 1;
    b.value[0] = 0;
    model.compile({ loss: 'mse', optimizer: 'sgd', metrics: ['mae', 'rmse', 'r2'] });
    const x = Tensor.from([[2.5], [0], [2], [8]]);
    const y = Tensor.from([[3], [-0.5], [2], [7]]);
    const r = model.evaluate(x, y, { batchSize: 2 });
    expect(r.mae).toBeCloseTo(0.5, 6);
    expect(r.rmse).toBeCloseTo(Math.sqrt(0.375), 6);
    expect(r.r2).toBeCloseTo(1 - 1.5 / 29.1875, 6);
    expect(regressionReport(model, x, y).r2).toBeCloseTo(1 - 1.5 / 29.1875, 6);
  });
});

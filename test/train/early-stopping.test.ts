// Early stopping's option errors name the function the caller used (fit or fitSync).
import { expect, it } from 'vitest';
import { defaultMode } from '../../lib/train/metrics';
import { Dense } from '../../lib/layers/index';
import { Sequential } from '../../lib/model/sequential';
import { EarlyStopping } from '../../lib/train/early-stopping';

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

function model(): Sequential {
  const m = new Sequential([new Dense(2, 2)], { seed: 3 });
  m.compile({ loss: 'softmaxCrossentropy', optimizer: 'sgd' });
  return m;
}

const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
const y = [0, 1, 1, 0];

it('fitSync and fit each name themselves in early-stopping option errors', async () => {
  const sync = caught(() => model().fitSync(x, y, { verbose: 0, validationSplit: 0.5, earlyStopping: { patience: -1 } }));
  expect(sync).toBeInstanceOf(RangeError);
  expect(sync.message).toBe('fitSync: expected options.earlyStopping.patience to be an integer ≥ 0, received -1');
  const run = model().fit(x, y, { verbose: 0, validationSplit: 0.5, earlyStopping: { mode: 'up' as never } });
  await expect(run).rejects.toThrow(RangeError);
  await expect(model().fit(x, y, { verbose: 0, validationSplit: 0.5, earlyStopping: { mode: 'up' as never } })).rejects
    .toThrow('fit: expected options.earlyStopping.mode to be one of \'min\', \'max\', received "up"');
});

it('the constructor takes the caller name', () => {
  const err = caught(() => new EarlyStopping('search', { minDelta: -0.1 }));
  expect(err).toBeInstanceOf(RangeError);
  expect(err.message).toBe('search: expected options.earlyStopping.minDelta to be a number ≥ 0, received -0.1');
  const typeErr = caught(() => new EarlyStopping('fitSync', { restoreBestWeights: 1 as never }));
  expect(typeErr).toBeInstanceOf(TypeError);
  expect(typeErr.message).toBe('fitSync: expected options.earlyStopping.restoreBestWeights to be a boolean, received 1');
});

it('defaults to max for the metrics where more is better and min for losses and errors', () => {
  for (const name of ['accuracy', 'valAccuracy', 'f1', 'valF1', 'precision', 'recall', 'rocAuc', 'valRocAuc', 'r2']) expect([name, defaultMode(name)]).toEqual([name, 'max']);
  for (const name of ['loss', 'valLoss', 'mse', 'valMae', 'rmse', 'logLoss', 'valLogLoss']) expect([name, defaultMode(name)]).toEqual([name, 'min']);
});

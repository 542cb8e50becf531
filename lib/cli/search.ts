import * as fs from 'node:fs';
import * as path from 'node:path';
import { backend } from '../backend/index';
import type { OptName } from '../backend/types';
import { saveModel } from '../model/model-file';
import { activationNames, type ActivationName } from '../layers/activation-fn';
import type { Sequential } from '../model/sequential';
import { optimizerNames } from '../optim/optimizers';
import { defaultWorkers } from '../parallel/pool';
import { shareTensor } from '../parallel/shared';
import { buildFromSpec, type MlpModelSpec } from '../parallel/spec';
import { lineChart } from '../plot/line-chart';
import { writeSvg } from '../plot/svg';
import { fit } from '../train/fit';
import { choice, gridSearch, logUniform, randomSearch, type SearchResult } from '../train/search';
import { choiceOption, intOption, numberOption, parse, UsageError } from './args';
import { csvDialectOptions, csvDialectSpec, csvDialectUsage, rejectCsvOptions } from './csv-options';
import { builtInDataNames, loadTrainingData } from './data-source';

export const searchUsage = `Usage: blasnet search <data> [options]

<data> as for \`blasnet train\`: fashion-mnist, a built-in set (${builtInDataNames.filter((n) => n !== 'fashion-mnist').join(', ')}) or a CSV
file. Trains one MLP per combination of the values given (a grid), or --trials draws, several at
once on worker threads, ranks them on held-out data, prints the table, and writes to --out:
search.json (every trial), search.svg (the score per trial) and the best model.

Options:
  --layers <a|b|...>     hidden layer choices separated by |, each comma-separated widths
                         (default 32,16; fashion-mnist 128): --layers 64|128,64
  --lr <a,b,...>         learning rates (default 0.01; fashion-mnist 1e-3); with --trials, drawn
                         log-uniformly between the smallest and largest
  --trials <n>           random search: n draws instead of the whole grid
  --folds <k>            score by k-fold cross-validation (stratified) instead of a validation split
  --workers <n>          trials trained at once, one compute thread each (default: ${defaultWorkers()}, the core count)
  --activation <name>    hidden activation (default relu)
  --optimizer <name>     ${optimizerNames.join(', ')} (default adam)
  --epochs <n>           passes over the training data per trial (default 20; fashion-mnist 5)
  --batch-size <n>       samples per step (default 32; fashion-mnist 128)
  --validation-split <f> without --folds: fraction of training rows each trial is scored on (default 0.2)
  --test-fraction <f>    CSV/built-in data: fraction held out as the test set (default 0.2)
  --subset <n>           fashion-mnist: use only the first n samples of each split
  --label <column>       CSV label column, by name (default: the last column)
${csvDialectUsage}
  --seed <n>             seed for splits, draws, initialisation and shuffling (default 1)
  --out <dir>            where to write (default runs/<data>)
  --quiet                no progress output
  -h, --help             this help`;

/** "64|128,64" → [[64], [128, 64]]. */
export function layersGrid(raw: string | undefined, fallback: number[][]): number[][] {
  if (raw === undefined) return fallback;
  return raw.split('|').map((choiceText) => {
    if (choiceText.trim() === '' || choiceText.trim() === 'none') return [];
    const widths = choiceText.split(',').map((p) => Number(p.trim()));
    if (widths.some((v) => !Number.isInteger(v) || v < 1)) {
      throw new UsageError(`--layers expects choices like 64|128,64 (widths ≥ 1, choices separated by |), received '${raw}'`);
    }
    return widths;
  });
}

function numberList(raw: string | undefined, name: string, fallback: number[]): number[] {
  if (raw === undefined) return fallback;
  const values = raw.split(',').map((p) => Number(p.trim()));
  if (raw.trim() === '' || values.some((v) => !Number.isFinite(v) || v <= 0)) throw new UsageError(`--${name} expects comma-separated positive numbers like 1e-3,1e-2, received '${raw}'`);
  return values;
}

export async function searchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    layers: { type: 'string' }, lr: { type: 'string' }, trials: { type: 'string' }, folds: { type: 'string' }, workers: { type: 'string' },
    activation: { type: 'string' }, optimizer: { type: 'string' }, epochs: { type: 'string' }, 'batch-size': { type: 'string' },
    'validation-split': { type: 'string' }, 'test-fraction': { type: 'string' }, subset: { type: 'string' }, seed: { type: 'string' },
    out: { type: 'string' }, quiet: { type: 'boolean' }, label: { type: 'string' }, ...csvDialectSpec,
  });
  if (values.help) { console.log(searchUsage); return 0; }
  if (positionals.length !== 1) throw new UsageError(`search expects one data source, received ${positionals.length}`);
  const source = positionals[0];
  const big = source === 'fashion-mnist';
  if (builtInDataNames.includes(source)) rejectCsvOptions(source, values, ['label']);
  const seed = intOption(values, 'seed', 1, 0);
  const layers = layersGrid(values.layers as string | undefined, big ? [[128]] : [[32, 16]]);
  const lrs = numberList(values.lr as string | undefined, 'lr', [big ? 1e-3 : 0.01]);
  const trials = values.trials === undefined ? undefined : intOption(values, 'trials', 1);
  const folds = values.folds === undefined ? undefined : intOption(values, 'folds', 2, 2);
  const workers = intOption(values, 'workers', defaultWorkers());
  const activation = choiceOption(values, 'activation', 'relu' as ActivationName, activationNames.filter((n) => n !== 'softmax'));
  const optimizer = choiceOption(values, 'optimizer', 'adam' as OptName, optimizerNames as readonly OptName[]);
  const epochs = intOption(values, 'epochs', big ? 5 : 20);
  const batchSize = intOption(values, 'batch-size', big ? 128 : 32);
  const validationSplit = numberOption(values, 'validation-split', 0.2, 0.01, 0.9);
  const testFraction = numberOption(values, 'test-fraction', 0.2, 0.01, 0.99);
  const subset = values.subset !== undefined ? intOption(values, 'subset', 1) : undefined;
  const quiet = values.quiet === true;
  const log = (line: string): void => { if (!quiet) console.log(line); };

  const data = loadTrainingData(source, {
    ...(values.label !== undefined ? { label: String(values.label) } : {}),
    testFraction, seed, ...(subset !== undefined ? { subset } : {}), csv: csvDialectOptions(values),
    onWarning: (message: string) => console.error(`blasnet: warning: ${message}`),
  });
  if (data.task !== 'classification') throw new UsageError('search ranks classifiers; regression CSVs are not supported yet');
  const outputs = data.classNames!.length;
  const spec: MlpModelSpec = {
    mlp: { inputs: data.train.x.shape[1], outputs, activation },
    compile: { loss: 'softmaxCrossentropy', optimizer, metrics: ['accuracy'] },
    seed,
  };
  // Shared once here, so no worker copies the training rows.
  const x = shareTensor(data.train.x);
  const y = shareTensor(data.train.y);
  const options = {
    x, y, epochs, batchSize, seed, workers, metric: 'accuracy', verbose: quiet ? 0 as const : 1 as const,
    ...(folds === undefined ? { validationSplit } : { folds }),
  };
  const count = trials ?? layers.length * lrs.length;
  log(`blasnet search: ${data.name}, ${data.train.x.shape[0]} training samples, ${count} trials` +
    `${folds === undefined ? '' : ` × ${folds} folds`} on ${Math.min(workers, count * (folds ?? 1))} worker(s), backend ${backend()}`);
  const started = process.hrtime.bigint();
  const result: SearchResult = trials === undefined
    ? await gridSearch(spec, { hidden: layers, lr: lrs }, options)
    : await randomSearch(spec, { hidden: choice(layers), lr: lrs.length === 1 ? lrs[0] : logUniform(Math.min(...lrs), Math.max(...lrs)) },
      { ...options, trials });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(String(result));
  console.log(`${result.length} trials in ${seconds.toFixed(1)} s (${(result.length / seconds).toFixed(2)} trials/s)`);

  const outDir = values.out !== undefined ? String(values.out) : path.join('runs', data.name);
  fs.mkdirSync(outDir, { recursive: true });
  const best = result.best;
  // Scored by cross-validation, the best parameters are trained once more on every training row.
  let model = best.model as Sequential | undefined;
  if (folds !== undefined || model === undefined) {
    model = await buildFromSpec(spec, best.params) as Sequential;
    await fit(model, x, y, { epochs, batchSize, seed, verbose: 0 });
  }
  const test = model.evaluate(data.test.x, data.test.y);
  const modelFile = saveModel(model, outDir, {
    extra: {
      source: data.name, task: data.task, classNames: data.classNames, search: { params: best.params, score: best.score },
      ...(data.featureNames ? { featureNames: data.featureNames } : {}),
      ...(data.labelName ? { labelName: data.labelName } : {}),
      ...(data.scaler ? { scaler: data.scaler.toJSON() } : {}),
      // The CSV's fills and one-hot columns, which predict applies to new rows as train's models do.
      ...(data.encoding ? { encoding: data.encoding } : {}),
    },
  });
  const json = path.join(outDir, 'search.json');
  fs.writeFileSync(json, `${JSON.stringify({
    data: data.name, metric: 'accuracy', mode: 'max', scoring: folds === undefined ? { validationSplit } : { folds }, epochs, batchSize, seed, workers,
    seconds, trials: [...result].sort((a, b) => a.trial - b.trial).map((e) => ({
      trial: e.trial + 1, rank: e.rank, params: e.params, score: Number.isNaN(e.score) ? null : e.score, validation: e.validation,
      ...(e.sd ? { sd: e.sd, folds: e.folds } : {}), ...(e.error ? { error: e.error.message } : {}),
    })),
    best: { params: best.params, score: best.score, test },
  }, null, 2)}\n`);
  const picture = path.join(outDir, 'search.svg');
  writeSvg(picture, scoreChart(result, data.name, count));
  console.log(`best: ${Object.entries(best.params).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')}; ` +
    `test accuracy ${test.accuracy.toFixed(4)} (test loss ${test.loss.toFixed(4)})`);
  console.log(`saved ${modelFile}, ${json}, ${picture}`);
  return 0;
}

/** The score of every trial in trial order (failed trials leave a gap), the best one marked. */
function scoreChart(result: SearchResult, name: string, count: number): string {
  const byTrial = new Array<number>(count).fill(NaN);
  for (const e of result) byTrial[e.trial] = e.score;
  return lineChart({
    title: `${name}: validation accuracy per trial`, xLabel: 'trial', yLabel: 'accuracy',
    series: [{ name: 'accuracy', values: byTrial, mark: 'max' }],
  });
}


import * as fs from 'node:fs';
import { csvHeader, loadCsv } from '../data/csv';
import { checkCsvEncoding } from '../data/csv-encoding';
import { csvLine } from '../data/csv-write';
import { scalerFromJSON, StandardScaler, type ScalerJSON } from '../data/preprocess';
import { loadModel } from '../model/model-file';
import { parse, UsageError } from './args';
import { csvDialectOptions, csvDialectSpec, csvDialectUsage } from './csv-options';
import { plural } from '../words';
import { regressionScores } from '../train/scores';

export const predictUsage = `Usage: blasnet predict <model-dir> <data.csv> [options]

Loads a model written by \`blasnet train\` and writes one prediction per CSV row (the class name, or
the value for regression) as CSV on stdout, applying the training file's missing-value fills,
one-hot encodings and scaling. When the CSV also has the label column the model was trained on,
the accuracy (or MAE, RMSE and R²) is printed on stderr.

Options:
  --proba                classification: also one probability column per class
  --out <file>           write the CSV there instead of stdout
${csvDialectUsage}
  -q, --quiet            no accuracy or error line on stderr
  -h, --help             this help`;

/** The shortest decimal that reads back as the same float32 (12114.394, not 12114.3935546875). */
function shortestFloat32(v: number): number {
  for (let digits = 6; digits < 9; digits++) {
    const short = Number(v.toPrecision(digits));
    if (Math.fround(short) === v) return short;
  }
  return Number(v.toPrecision(9));
}

export function predictCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, { proba: { type: 'boolean' }, out: { type: 'string' }, quiet: { type: 'boolean', short: 'q' }, ...csvDialectSpec });
  if (values.help) { console.log(predictUsage); return 0; }
  if (positionals.length !== 2) throw new UsageError(`predict expects <model-dir> <data.csv>, received ${plural(positionals.length, 'argument')}`);
  const [modelDir, csvPath] = positionals;
  const dialect = csvDialectOptions(values);
  const { model, extra } = loadModel(modelDir);
  const featureNames = extra.featureNames as string[] | undefined;
  const labelName = extra.labelName as string | undefined;
  const classNames = extra.classNames as string[] | undefined;
  const encoding = extra.encoding === undefined ? undefined : checkCsvEncoding('predict', 'the model\'s encoding', extra.encoding);
  if (featureNames === undefined) throw new UsageError(`the model in ${modelDir} was not trained from tabular data (it has no feature names)`);
  if (values.proba && !classNames) throw new UsageError('--proba applies to classification models; this one predicts values');

  const hasLabel = labelName !== undefined && csvHeader(csvPath, dialect).includes(labelName);
  const csv = loadCsv(csvPath, {
    ...dialect,
    ...(encoding ? { encoding } : { features: featureNames }),
    label: hasLabel ? labelName : null,
    labelType: classNames ? 'class' : 'number',
    ...(classNames ? { classNames, unknownLabels: 'mark' as const } : {}),
    onWarning: (message) => console.error(`blasnet: warning: ${message}`),
  });
  const x = extra.scaler ? scalerFromJSON(extra.scaler as ScalerJSON).transform(csv.x) : csv.x;
  const n = x.shape[0];
  const k = model.outputSize;
  // A class index beyond the saved names (an older or hand-edited file) is named by its index.
  const className = (j: number): string => classNames?.[j] ?? `class ${j}`;
  const classCount = k === 1 ? 2 : k;
  const names = Array.from({ length: classCount }, (_, j) => className(j));
  const header = ['row', 'prediction', ...(values.proba ? names.map((name) => `p(${name})`) : [])];
  const lines = [csvLine(header)];
  let agree = 0;
  let scored = 0;
  let regressionOut: Float32Array | undefined;
  if (classNames) {
    const classes = model.predictClasses(x);
    const proba = values.proba ? model.predictProba(x).data : undefined;
    for (let i = 0; i < n; i++) {
      const fields: (string | number)[] = [i + 1, className(classes[i])];
      if (proba) for (let j = 0; j < classCount; j++) fields.push(Number(proba[i * classCount + j].toPrecision(6)));
      lines.push(csvLine(fields));
      if (hasLabel && csv.y.data[i] >= 0) {
        scored++;
        if (classes[i] === csv.y.data[i]) agree++;
      }
    }
  } else {
    const raw = model.predict(x);
    // A model trained on standardised targets answers in those units until un-scaled.
    const out = extra.targetScaler ? StandardScaler.fromJSON(extra.targetScaler).inverseTransform(raw).data : raw.data;
    for (let i = 0; i < n; i++) {
      lines.push(csvLine([i + 1, shortestFloat32(out[i])]));
    }
    regressionOut = out;
  }
  const text = lines.join('\n') + '\n';
  if (values.out !== undefined) fs.writeFileSync(String(values.out), text);
  else process.stdout.write(text);
  if (hasLabel && values.quiet !== true) {
    let line: string;
    if (classNames) {
      const unknown = csv.unknownLabels ?? [];
      const unseen = unknown.length === 0 ? ''
        : `; ${plural(n - scored, 'row')} with ${unknown.length === 1 ? 'a label' : 'labels'} the model never saw (${unknown.slice(0, 5).map((u) => JSON.stringify(u)).join(', ')}${unknown.length > 5 ? ', …' : ''}) not counted`;
      line = scored > 0 ? `accuracy ${(agree / scored).toFixed(4)} on ${plural(scored, 'row')}${unseen}` : `no accuracy: none of the ${plural(n, 'row')} has a label the model knows${unseen}`;
    } else {
      const s = regressionScores(csv.y.data, regressionOut!, n);
      line = `MAE ${Number(s.mae.toPrecision(4))}, RMSE ${Number(s.rmse.toPrecision(4))}, R² ${s.r2.toFixed(4)} on ${plural(n, 'row')}`;
    }
    process.stderr.write(line + '\n');
  }
  return 0;
}

import { csvHeader, loadCsv } from '../data/csv';
import { scalerFromJSON, type ScalerJSON } from '../data/preprocess';
import { loadModel } from '../model/model-file';
import { parse, UsageError } from './args';

export const predictUsage = `Usage: blasnet predict <model-dir> <data.csv> [options]

Loads a model written by \`blasnet train\` and prints one prediction per CSV row (the class name, or
the value for regression) as CSV on stdout. When the CSV also has the label column the model was
trained on, the accuracy (or mean absolute error) is printed on stderr.

Options:
  -h, --help             this help`;

export function predictCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, {});
  if (values.help) { console.log(predictUsage); return 0; }
  if (positionals.length !== 2) throw new UsageError(`predict expects <model-dir> <data.csv>, received ${positionals.length} arguments`);
  const [modelDir, csvPath] = positionals;
  const { model, extra } = loadModel(modelDir);
  const featureNames = extra.featureNames as string[] | undefined;
  const labelName = extra.labelName as string | undefined;
  const classNames = extra.classNames as string[] | undefined;
  if (featureNames === undefined) throw new UsageError(`the model in ${modelDir} was not trained from tabular data (it has no feature names)`);

  const hasLabel = labelName !== undefined && csvHeader(csvPath).includes(labelName);
  const csv = loadCsv(csvPath, {
    features: featureNames,
    label: hasLabel ? labelName : null,
    labelType: classNames ? 'class' : 'number',
    ...(classNames ? { classNames } : {}),
  });
  const x = extra.scaler ? scalerFromJSON(extra.scaler as ScalerJSON).transform(csv.x) : csv.x;
  const out = model.predict(x).data;
  const k = model.outputSize;
  const lines = [`row,prediction`];
  let agree = 0;
  let absError = 0;
  for (let i = 0; i < x.shape[0]; i++) {
    let prediction: string;
    if (classNames) {
      let best = 0;
      for (let j = 1; j < k; j++) if (out[i * k + j] > out[i * k + best]) best = j;
      prediction = classNames[best];
      if (hasLabel && best === csv.y.data[i]) agree++;
    } else {
      prediction = String(out[i]);
      if (hasLabel) absError += Math.abs(out[i] - csv.y.data[i]);
    }
    lines.push(`${i + 1},${prediction}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  if (hasLabel) {
    const n = x.shape[0];
    process.stderr.write(classNames ? `accuracy ${(agree / n).toFixed(4)} on ${n} rows\n` : `mean absolute error ${(absError / n).toFixed(4)} on ${n} rows\n`);
  }
  return 0;
}

// Iris from CSV: load, split, standardise with training statistics, train, evaluate, save, reload.
// Run: node examples/iris.mjs [output-dir]
import * as path from 'node:path';
import { Sequential, Dense, adam, loadCsv, trainTestSplit, StandardScaler, IRIS_PATH } from 'blasnet';

const outDir = process.argv[2] ?? '.';
const csv = loadCsv(IRIS_PATH, { label: 'species' });
const { train, test } = trainTestSplit(csv.x, csv.y, { testFraction: 0.3, seed: 1 });
const scaler = new StandardScaler().fit(train.x);

const model = new Sequential([
  new Dense(4, 16, { activation: 'relu', init: 'heNormal' }),
  new Dense(16, csv.classNames.length),
], { seed: 1 });
model.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: 0.01 }), metrics: ['accuracy'] });
await model.fit(scaler.transform(train.x), train.y, { epochs: 100, batchSize: 16, verbose: 0 });

const { accuracy } = model.evaluate(scaler.transform(test.x), test.y);
console.log(`iris (${csv.featureNames.join(', ')} → ${csv.classNames.join('/')}): test accuracy ${accuracy.toFixed(3)}`);

const file = model.save(path.join(outDir, 'iris-model'));
const reloaded = Sequential.load(file);
const same = reloaded.predict(scaler.transform(test.x)).data.every((v, i) => v === model.predict(scaler.transform(test.x)).data[i]);
console.log(`saved ${file}; reloaded model predicts identically: ${same}`);
if (accuracy < 0.9 || !same) process.exitCode = 1;

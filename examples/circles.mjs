// Two concentric circles — not linearly separable — and the decision boundary an MLP learns,
// written to circles-boundary.svg. Run: node examples/circles.mjs [output-dir]
import * as path from 'node:path';
import { Sequential, Dense, Tensor, adam, circles, trainTestSplit, decisionBoundarySvg, writeSvg } from 'blasnet';

const outDir = process.argv[2] ?? '.';
const data = circles({ n: 1000, noise: 0.08, seed: 7 });
const { train, test } = trainTestSplit(data.x, data.y, { testFraction: 0.2, seed: 7 });

const model = new Sequential([
  new Dense(2, 16, { activation: 'relu', init: 'heNormal' }),
  new Dense(16, 16, { activation: 'relu', init: 'heNormal' }),
  new Dense(16, 2),
], { seed: 7 });
model.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: 0.01 }), metrics: ['accuracy'] });
await model.fit(train.x, train.y, { epochs: 60, batchSize: 32, verbose: 0 });

const { accuracy } = model.evaluate(test.x, test.y);
console.log(`circles: test accuracy ${accuracy.toFixed(3)}`);
const file = path.join(outDir, 'circles-boundary.svg');
writeSvg(file, decisionBoundarySvg({
  predict: (points, m) => model.predict(new Tensor(points.subarray(0, 2 * m), [m, 2])),
  x: test.x, y: test.y, classNames: data.classNames, title: 'circles: decision boundary',
}));
console.log(`wrote ${file}`);
if (accuracy < 0.95) process.exitCode = 1;

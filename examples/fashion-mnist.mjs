// Fashion-MNIST with the library API (what `blasnet train fashion-mnist` does, spelled out).
// Run: node examples/fashion-mnist.mjs [--subset N]
import { Sequential, Dense, Dropout, adam, exponentialDecay, loadFashionMnist, backend, threads } from 'blasnet';

const at = process.argv.indexOf('--subset');
const subset = at > 0 ? Number(process.argv[at + 1]) : undefined;
const { train, test, classNames } = loadFashionMnist(subset ? { subset } : {});
console.log(`${train.x.shape[0]} training images, ${classNames.length} classes, backend ${backend()} (${threads()} threads)`);

const model = new Sequential([
  new Dense(784, 256, { activation: 'relu', init: 'heNormal' }),
  new Dropout(0.2),
  new Dense(256, 128, { activation: 'relu', init: 'heNormal' }),
  new Dense(128, 10),
], { seed: 42 });
model.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: 1e-3 }), metrics: ['accuracy'] });
console.log(model.summary());

const started = Date.now();
await model.fit(train.x, train.y, {
  epochs: subset ? 3 : 15, batchSize: 128, validationSplit: 0.1, lrSchedule: exponentialDecay({ rate: 0.9 }),
  verbose: process.stdout.isTTY ? 1 : 2,
});
const { accuracy } = model.evaluate(test.x, test.y);
console.log(`test accuracy ${accuracy.toFixed(4)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

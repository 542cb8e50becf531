// XOR: the classic perceptron cannot learn it (no line separates the classes); an MLP with one
// small hidden layer can. Run: node examples/xor.mjs
import { Perceptron, Sequential, Dense, adam, xor, and } from 'blasnet';

const { x, y } = xor();

for (const [name, data] of [['AND', and()], ['XOR', xor()]]) {
  const perceptron = new Perceptron({ lr: 1, maxEpochs: 100, seed: 1 });
  const result = perceptron.fit(data.x, data.y);
  console.log(`perceptron on ${name}: ${result.converged ? `converged after ${result.epochs} epochs` : `did not converge in ${result.epochs} epochs`}`);
}

const mlp = new Sequential([
  new Dense(2, 4, { activation: 'tanh', init: 'xavierUniform' }),
  new Dense(4, 2),
], { seed: 3 });
mlp.compile({ loss: 'softmaxCrossentropy', optimizer: adam({ lr: 0.05 }), metrics: ['accuracy'] });
const history = await mlp.fit(x, y, { epochs: 300, batchSize: 4, verbose: 0 });
const accuracy = history.accuracy.at(-1);
console.log(`2-4-2 MLP on XOR: accuracy ${accuracy} after ${history.epoch.length} epochs`);
if (accuracy !== 1) process.exitCode = 1;

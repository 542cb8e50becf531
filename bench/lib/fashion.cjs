'use strict';
// Fashion-MNIST for the end-to-end benchmarks: 60k training and 10k test images of 28×28 pixels
// scaled to [0, 1], labels as class indices stored in floats. Peers (tfjs, the Python script) read
// the same IDX files with their own small readers, so no library gets its data from another.
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';
const FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
};

function dataDir() {
  return process.env.FASHION_MNIST_DIR || DEFAULT_DIR;
}

/** Undefined when all four files are there, else a one-line reason. */
function missingReason() {
  const dir = dataDir();
  const absent = Object.values(FILES).filter((f) => !fs.existsSync(path.join(dir, f)));
  return absent.length === 0 ? undefined : `Fashion-MNIST not found in ${dir} (missing ${absent.join(', ')}; set FASHION_MNIST_DIR)`;
}

/** Plain IDX reader: unsigned bytes only, which is all Fashion-MNIST holds. */
function readIdxUbyte(file, limit) {
  const raw = zlib.gunzipSync(fs.readFileSync(file));
  if (raw[0] !== 0 || raw[1] !== 0 || raw[2] !== 0x08) throw new Error(`${file}: not an unsigned-byte IDX file`);
  const rank = raw[3];
  const dims = [];
  for (let d = 0; d < rank; d++) dims.push(raw.readUInt32BE(4 + 4 * d));
  const count = Math.min(limit ?? dims[0], dims[0]);
  const itemSize = dims.slice(1).reduce((a, b) => a * b, 1);
  return { bytes: raw.subarray(4 + 4 * rank, 4 + 4 * rank + count * itemSize), count, itemSize };
}

function toFloats(bytes, scale) {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = scale ? bytes[i] / 255 : bytes[i];
  return out;
}

/**
 * { xTrain, yTrain, xTest, yTest, nTrain, nTest, features } as Float32Arrays (row-major images,
 * class-index labels). trainLimit takes the first samples only.
 */
function loadPlain(trainLimit) {
  const dir = dataDir();
  const trainX = readIdxUbyte(path.join(dir, FILES.trainImages), trainLimit);
  const trainY = readIdxUbyte(path.join(dir, FILES.trainLabels), trainLimit);
  const testX = readIdxUbyte(path.join(dir, FILES.testImages));
  const testY = readIdxUbyte(path.join(dir, FILES.testLabels));
  return {
    xTrain: toFloats(trainX.bytes, true),
    yTrain: toFloats(trainY.bytes, false),
    xTest: toFloats(testX.bytes, true),
    yTest: toFloats(testY.bytes, false),
    nTrain: trainX.count,
    nTest: testX.count,
    features: trainX.itemSize,
  };
}

module.exports = { dataDir, missingReason, loadPlain, FILES };

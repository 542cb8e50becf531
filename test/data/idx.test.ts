import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIdx, readIdx, readIdxPair } from '../../lib/data/idx';
import { loadFashionMnist, FASHION_MNIST_DIR } from '../../lib/data/fashion-mnist';

// Hand-assembled IDX bytes: 00 00 <type> <rank>, big-endian uint32 dims, then the payload.
function idx(type: number, dims: number[], payload: number[]): Buffer {
  const header = [0, 0, type, dims.length];
  for (const d of dims) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Buffer.from([...header, ...payload]);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'blasnet-idx-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('readIdx', () => {
  // Two 2×3 "images" with pixels 0, 51, 102, 153, 204, 255 (multiples of 255/5) and their reverse.
  const pixels = [0, 51, 102, 153, 204, 255, 255, 204, 153, 102, 51, 0];
  const images = idx(0x08, [2, 2, 3], pixels);

  it('reads raw unsigned-byte images, scaled to [0, 1] by default, with the file dims', () => {
    const t = readIdx(write('img.idx', images));
    expect(t.shape).toEqual([2, 2, 3]);
    expect(Array.from(t.data)).toEqual(pixels.map((p) => Math.fround(p / 255)));
    expect(t.get(0, 1, 2)).toBe(1);
  });

  it('reads the same file gzipped', () => {
    const t = readIdx(write('img.idx.gz', gzipSync(images)));
    expect(t.shape).toEqual([2, 2, 3]);
    expect(Array.from(t.data)).toEqual(pixels.map((p) => Math.fround(p / 255)));
  });

  it('keeps raw byte values with scale: false, and reads labels unscaled by default', () => {
    expect(Array.from(readIdx(write('raw.idx', images), { scale: false }).data)).toEqual(pixels);
    const labels = readIdx(write('lab.idx', idx(0x08, [5], [3, 0, 9, 1, 7])));
    expect(labels.shape).toEqual([5]);
    expect(Array.from(labels.data)).toEqual([3, 0, 9, 1, 7]);
  });

  it('limit keeps only the first items', () => {
    const t = readIdx(write('img2.idx', images), { limit: 1, scale: false });
    expect(t.shape).toEqual([1, 2, 3]);
    expect(Array.from(t.data)).toEqual(pixels.slice(0, 6));
  });

  it('decodes the wider big-endian types', () => {
    // int16 [-2, 258] = ff fe, 01 02; int32 [-1, 65536]; float32 1.5 = 3f c0 00 00; float64 -2.5 = c0 04 00…
    expect(Array.from(parseIdx(idx(0x0b, [2], [0xff, 0xfe, 0x01, 0x02])).data)).toEqual([-2, 258]);
    expect(Array.from(parseIdx(idx(0x0c, [2], [0xff, 0xff, 0xff, 0xff, 0, 1, 0, 0])).data)).toEqual([-1, 65536]);
    expect(Array.from(parseIdx(idx(0x0d, [1], [0x3f, 0xc0, 0, 0])).data)).toEqual([1.5]);
    expect(Array.from(parseIdx(idx(0x0e, [1], [0xc0, 0x04, 0, 0, 0, 0, 0, 0])).data)).toEqual([-2.5]);
    expect(Array.from(parseIdx(idx(0x09, [2], [0xff, 0x7f])).data)).toEqual([-1, 127]);
  });

  it('names the path for a missing file', () => {
    const path = join(dir, 'nope.idx');
    expect(() => readIdx(path)).toThrow(Error);
    expect(() => readIdx(path)).toThrow(`readIdx: cannot read ${path}: no such file`);
  });

  it('rejects a wrong magic number', () => {
    const path = write('bad-magic.idx', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]));
    expect(() => readIdx(path)).toThrow(RangeError);
    expect(() => readIdx(path)).toThrow(`readIdx: ${path} is not an IDX file: magic number 50 4b 03 04, expected 00 00 <type> <rank>`);
  });

  it('rejects an unsupported data type', () => {
    const path = write('bad-type.idx', idx(0x0a, [1], [0]));
    expect(() => readIdx(path)).toThrow(RangeError);
    expect(() => readIdx(path)).toThrow(`readIdx: ${path} has unsupported IDX data type 0x0a`);
  });

  it('rejects truncated data, truncated headers and trailing bytes', () => {
    const short = write('short.idx', images.subarray(0, images.length - 1));
    expect(() => readIdx(short)).toThrow(RangeError);
    expect(() => readIdx(short)).toThrow(`readIdx: ${short} is truncated: dimensions [2, 2, 3] of unsigned byte need 28 bytes, the file has 27`);
    const header = write('header.idx', images.subarray(0, 9));
    expect(() => readIdx(header)).toThrow(`readIdx: ${header} is truncated: 9 bytes, the header of a rank-3 IDX file needs 16`);
    const tiny = write('tiny.idx', Buffer.from([0, 0]));
    expect(() => readIdx(tiny)).toThrow(`readIdx: ${tiny} is truncated: 2 bytes, too short for the 4-byte IDX magic number`);
    const long = write('long.idx', Buffer.concat([images, Buffer.from([1, 2])]));
    expect(() => readIdx(long)).toThrow(`readIdx: ${long} has 2 bytes after the data its header [2, 2, 3] describes`);
  });

  it('rejects a damaged gzip stream', () => {
    const gz = gzipSync(images);
    const path = write('cut.idx.gz', gz.subarray(0, gz.length - 10));
    expect(() => readIdx(path)).toThrow(`readIdx: ${path} starts like a gzip file but does not decompress`);
  });

  it('rejects scale on data that is not unsigned bytes, and bad options', () => {
    const path = write('f32.idx', idx(0x0d, [1, 1], [0x3f, 0xc0, 0, 0]));
    expect(() => readIdx(path, { scale: true })).toThrow(RangeError);
    expect(() => readIdx(path, { scale: true })).toThrow(`readIdx: scale applies to unsigned-byte data only, ${path} holds float32`);
    expect(() => readIdx(path, { limit: -1 })).toThrow('readIdx: expected options.limit to be an integer ≥ 0, received -1');
    expect(() => readIdx(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('readIdx on files that inflate far beyond what they declare or what is asked', () => {
  // A gzip file may hold several members back to back; 256 members of 16 MiB of zeros are a 4 MB
  // file that inflates to 4 GiB. Reading it whole would take seconds and gigabytes.
  const zeros = gzipSync(Buffer.alloc(16 << 20), { level: 9 });
  const bomb = (head: Buffer) => Buffer.concat([gzipSync(head), ...new Array<Buffer>(256).fill(zeros)]);
  const peakGrowth = (read: () => void): number => {
    const before = process.resourceUsage().maxRSS;
    read();
    return (process.resourceUsage().maxRSS - before) * 1024;
  };

  it('stops at the first byte after the data its header declares, with bounded memory', () => {
    const path = write('bomb.idx.gz', bomb(idx(0x08, [1, 2], [7, 9])));
    let error: unknown;
    const growth = peakGrowth(() => {
      try {
        readIdx(path);
      } catch (err) {
        error = err;
      }
    });
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toMatch(new RegExp(`^readIdx: ${path} has at least \\d+ bytes after the data its header \\[1, 2\\] describes$`));
    expect(growth).toBeLessThan(64 << 20);
  });

  it('inflates only what limit needs', () => {
    // The header declares 2^20 rows of 4096 bytes (4 GiB): only the first two are asked for.
    const first = Array.from({ length: 8192 }, (_, i) => (i * 7) % 256);
    const path = write('bomb-limit.idx.gz', bomb(idx(0x08, [2 ** 20, 4096], first)));
    let t: ReturnType<typeof readIdx> | undefined;
    const growth = peakGrowth(() => {
      t = readIdx(path, { limit: 2, scale: false });
    });
    expect(t!.shape).toEqual([2, 4096]);
    expect(Array.from(t!.data)).toEqual(first);
    expect(growth).toBeLessThan(64 << 20);
  });

  it('refuses a header that declares more than maxBytes before reading the data', () => {
    const huge = write('huge.idx.gz', bomb(idx(0x08, [65536, 65536], [])));
    expect(() => readIdx(huge)).toThrow(RangeError);
    expect(() => readIdx(huge)).toThrow(
      `readIdx: ${huge} declares dimensions [65536, 65536] of unsigned byte: 4294967296 values, 17179869184 bytes as float32, more than the limit of 1073741824 bytes (options.maxBytes)`,
    );
    const small = write('small-cap.idx.gz', gzipSync(idx(0x08, [4, 2], [1, 2, 3, 4, 5, 6, 7, 8])));
    expect(() => readIdx(small, { maxBytes: 16 })).toThrow(
      `readIdx: ${small} declares dimensions [4, 2] of unsigned byte: 8 values, 32 bytes as float32, more than the limit of 16 bytes (options.maxBytes)`,
    );
    expect(Array.from(readIdx(small, { maxBytes: 16, limit: 2, scale: false }).data)).toEqual([1, 2, 3, 4]);
    expect(() => readIdx(small, { maxBytes: 0 })).toThrow('readIdx: expected options.maxBytes to be a number > 0, received 0');
  });

  it('says which dimension is too large instead of reporting a bad integer', () => {
    const path = write('dim-max.idx', idx(0x08, [2 ** 32 - 1], [1, 2]));
    const message = 'dimensions [4294967295] of unsigned byte: dimension 0 (4294967295) is larger than the 2147483647 a tensor dimension can hold';
    expect(() => readIdx(path)).toThrow(RangeError);
    expect(() => readIdx(path)).toThrow(`readIdx: ${path} declares ${message}`);
    // An empty tensor with one huge dimension matches its (empty) data exactly.
    expect(() => parseIdx(idx(0x08, [0, 2 ** 32 - 1], []))).toThrow(
      'parseIdx: IDX data declares dimensions [0, 4294967295] of unsigned byte: dimension 1 (4294967295) is larger than the 2147483647 a tensor dimension can hold',
    );
    expect(() => parseIdx(idx(0x08, [2 ** 31, 0], []), { limit: 1 })).toThrow('dimension 0 (2147483648) is larger');
    // A dimension a tensor can hold but the data cannot is a length mismatch.
    expect(() => parseIdx(idx(0x08, [2 ** 31 - 1], [1, 2]))).toThrow(
      'parseIdx: IDX data is truncated: dimensions [2147483647] of unsigned byte need 2147483655 bytes, the file has 10',
    );
  });

  it('reports a gzip stream shorter than its header declares', () => {
    const path = write('short.idx.gz', gzipSync(idx(0x08, [3, 2], [1, 2, 3])));
    expect(() => readIdx(path)).toThrow(`readIdx: ${path} is truncated: dimensions [3, 2] of unsigned byte need 18 bytes, the decompressed file has 15`);
  });
});

describe('readIdxPair', () => {
  it('flattens images to rows and pairs them with labels', () => {
    const imgs = write('pair-img.gz', gzipSync(idx(0x08, [3, 2, 2], [0, 255, 255, 0, 255, 255, 255, 255, 0, 0, 0, 0])));
    const labs = write('pair-lab', idx(0x08, [3], [2, 0, 1]));
    const { x, y } = readIdxPair(imgs, labs);
    expect(x.shape).toEqual([3, 4]);
    expect(Array.from(x.data)).toEqual([0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(y.data)).toEqual([2, 0, 1]);
  });

  it('rejects a count mismatch, naming both files, even when limit would hide it', () => {
    const imgs = write('mm-img', idx(0x08, [3, 1, 1], [1, 2, 3]));
    const labs = write('mm-lab', idx(0x08, [2], [0, 1]));
    const message = `readIdxPair: ${imgs} holds 3 samples but ${labs} holds 2 labels`;
    expect(() => readIdxPair(imgs, labs)).toThrow(RangeError);
    expect(() => readIdxPair(imgs, labs)).toThrow(message);
    expect(() => readIdxPair(imgs, labs, { limit: 1 })).toThrow(message);
  });

  it('rejects labels that are not rank 1', () => {
    const imgs = write('r-img', idx(0x08, [2, 1], [1, 2]));
    const labs = write('r-lab', idx(0x08, [2, 1], [0, 1]));
    expect(() => readIdxPair(imgs, labs)).toThrow(`readIdxPair: ${labs} has rank 2, expected rank-1 labels`);
  });
});

describe('loadFashionMnist', () => {
  it('says how to install the data when the directory is missing', () => {
    const missing = join(dir, 'no-such-dir');
    expect(() => loadFashionMnist({ dir: missing })).toThrow(Error);
    expect(() => loadFashionMnist({ dir: missing })).toThrow(`loadFashionMnist: Fashion-MNIST directory ${missing} not found; install the data with \`apt-get install dataset-fashion-mnist\``);
  });

  it('loads a hand-made directory in the Fashion-MNIST layout, honouring subset', () => {
    const fm = join(dir, 'fm');
    mkdirSync(fm);
    const img = (n: number, value: number) => idx(0x08, [n, 28, 28], new Array(n * 784).fill(value));
    writeFileSync(join(fm, 'train-images-idx3-ubyte.gz'), gzipSync(img(3, 51)));
    writeFileSync(join(fm, 'train-labels-idx1-ubyte.gz'), gzipSync(idx(0x08, [3], [9, 0, 4])));
    writeFileSync(join(fm, 't10k-images-idx3-ubyte'), img(2, 255)); // not gzipped: also accepted
    writeFileSync(join(fm, 't10k-labels-idx1-ubyte'), idx(0x08, [2], [1, 8]));
    const data = loadFashionMnist({ dir: fm });
    expect(data.train.x.shape).toEqual([3, 784]);
    expect(data.train.x.get(2, 783)).toBeCloseTo(0.2, 6);
    expect(Array.from(data.train.y.data)).toEqual([9, 0, 4]);
    expect(data.test.x.shape).toEqual([2, 784]);
    expect(data.test.x.get(1, 0)).toBe(1);
    expect(Array.from(data.test.y.data)).toEqual([1, 8]);
    expect(data.classNames[9]).toBe('Ankle boot');
    const small = loadFashionMnist({ dir: fm, subset: 1 });
    expect(small.train.x.shape).toEqual([1, 784]);
    expect(Array.from(small.test.y.data)).toEqual([1]);
  });

  it('rejects a label outside the ten classes', () => {
    const fm = join(dir, 'fm-bad');
    mkdirSync(fm);
    writeFileSync(join(fm, 'train-images-idx3-ubyte'), idx(0x08, [1, 28, 28], new Array(784).fill(0)));
    writeFileSync(join(fm, 'train-labels-idx1-ubyte'), idx(0x08, [1], [10]));
    const labels = join(fm, 'train-labels-idx1-ubyte');
    expect(() => loadFashionMnist({ dir: fm })).toThrow(`loadFashionMnist: ${labels} has label 10 at index 0, expected an integer in [0, 9]`);
  });

  it.skipIf(!existsSync(FASHION_MNIST_DIR))('reads the real Fashion-MNIST: 60000×784 / 10000×784, labels 0–9, pixels in [0, 1]', () => {
    const data = loadFashionMnist();
    expect(data.train.x.shape).toEqual([60000, 784]);
    expect(data.train.y.shape).toEqual([60000]);
    expect(data.test.x.shape).toEqual([10000, 784]);
    expect(data.test.y.shape).toEqual([10000]);
    expect(data.classNames).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    for (const split of [data.train, data.test]) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of split.x.data) { if (v < lo) lo = v; if (v > hi) hi = v; }
      expect(lo).toBe(0);
      expect(hi).toBe(1);
      // The dataset is balanced: every class has exactly a tenth of each split.
      const counts = new Array(10).fill(0);
      for (const v of split.y.data) counts[v]++;
      expect(counts).toEqual(new Array(10).fill(split.y.size / 10));
    }
  }, 60_000);
});

// The first bytes of a file, raw or gzipped, read without reading or inflating much more than asked
// for: a reader that needs a header and the first `limit` items of a 1 GB stream (or of a small
// gzip that inflates to gigabytes) pays for what it uses, and memory stays bounded by the request.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';

export interface Prefix {
  /** The first min(n, size) bytes at least; possibly more (never more than about 2n + 64 KiB). */
  readonly bytes: Uint8Array;
  /** True when `bytes` is the whole (decompressed) content. */
  readonly complete: boolean;
}

export interface ByteSource {
  prefix(n: number): Prefix;
  /** The content's size when it is known without reading it (raw files and in-memory bytes). */
  readonly size: number | undefined;
  close(): void;
}

export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    prefix: (n) => ({ bytes: n >= bytes.length ? bytes : bytes.subarray(0, n), complete: n >= bytes.length }),
    size: bytes.length,
    close: () => {},
  };
}

function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Opens `path`; a file that starts with the gzip magic is inflated on demand. */
export function openByteSource(path: string, onGzipError: (err: Error) => never): ByteSource {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = readAt(fd, 0, Math.min(2, size));
    if (!isGzip(head)) return fileSource(fd, size);
    const compressed = readAt(fd, 0, size);
    closeSync(fd);
    return gzipSource(compressed, onGzipError);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

function readAt(fd: number, position: number, length: number): Uint8Array {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const got = readSync(fd, out, done, length - done, position + done);
    if (got === 0) break;
    done += got;
  }
  return done === length ? out : out.subarray(0, done);
}

function fileSource(fd: number, size: number): ByteSource {
  let open = true;
  return {
    prefix: (n) => {
      const bytes = readAt(fd, 0, Math.min(n, size));
      return { bytes, complete: bytes.length >= size };
    },
    size,
    close: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** Above what the caller asked for, inflating may overshoot by this much before a try is cut short. */
const SLACK = 65536;
const FIRST_TRY = 4096;

function isTooLarge(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
}

/**
 * zlib has no synchronous streaming call, so a prefix of the output comes from inflating a prefix of
 * the input (flushed, not finished) whose output is cut off at 2n + 64 KiB. The whole input is tried
 * first (for a plain read it is all that is needed); if that overshoots, input prefixes double until
 * one reaches n bytes, then bisect when one overshoots. One input byte inflates to at most 2,064
 * bytes, so the window [n, 2n + 64 KiB] is always hit. Each try costs at most the window.
 */
function gzipSource(compressed: Uint8Array, onError: (err: Error) => never): ByteSource {
  let best: Prefix = { bytes: new Uint8Array(0), complete: false };
  const inflate = (inputBytes: number, maxOutputLength: number): Prefix | 'overshoot' => {
    const whole = inputBytes >= compressed.length;
    try {
      const bytes = gunzipSync(compressed.subarray(0, inputBytes), {
        maxOutputLength,
        finishFlush: whole ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
      });
      return { bytes, complete: whole };
    } catch (err) {
      if (isTooLarge(err)) return 'overshoot';
      return onError(err as Error);
    }
  };
  const prefix = (n: number): Prefix => {
    if (best.complete || best.bytes.length >= n) return best;
    const cap = 2 * n + SLACK;
    const all = inflate(compressed.length, cap);
    if (all !== 'overshoot') {
      best = all;
      return best;
    }
    let lo = 0; // input length known to give fewer than n bytes
    let hi = compressed.length; // input length known to overshoot
    let input = Math.min(FIRST_TRY, compressed.length - 1);
    for (;;) {
      const got = inflate(input, cap);
      if (got === 'overshoot') hi = input;
      else if (got.bytes.length >= n) {
        best = got;
        return best;
      } else lo = input;
      input = hi === compressed.length ? Math.min(2 * input, compressed.length - 1) : lo + Math.floor((hi - lo) / 2);
      if (input <= lo) return onError(new Error(`inflating stalls below ${n} bytes`));
    }
  };
  return { prefix, size: undefined, close: () => {} };
}

import * as fs from 'node:fs';

/** What OpenBLAS's kernel choice depends on: the CPU's name, vendor and SIMD features. */
export interface CpuDescription {
  model: string;
  vendor: string;
  /** The SIMD features among SIMD_FLAGS that the CPU has, in SIMD_FLAGS order. */
  simd: string[];
}

/**
 * The feature flags (as /proc/cpuinfo spells them; `pni` is SSE3) that decide which OpenBLAS
 * kernels can run, weakest first.
 */
export const SIMD_FLAGS = [
  'sse2', 'pni', 'ssse3', 'sse4_1', 'sse4_2', 'avx', 'fma', 'avx2',
  'avx512f', 'avx512dq', 'avx512cd', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16', 'avx512_fp16',
  'amx_tile', 'amx_bf16', 'amx_int8',
] as const;

/** The first processor's model name, vendor and SIMD flags from the text of /proc/cpuinfo. */
export function parseCpuinfo(text: string): CpuDescription | undefined {
  const first = text.split(/\n\s*\n/)[0] ?? '';
  const field = (name: string): string | undefined => {
    const match = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(first);
    return match?.[1]?.trim();
  };
  const flags = field('flags');
  if (flags === undefined) return undefined;
  const have = new Set(flags.split(/\s+/));
  return {
    model: field('model name') ?? 'unknown',
    vendor: field('vendor_id') ?? 'unknown',
    simd: SIMD_FLAGS.filter((f) => have.has(f)),
  };
}

/** This machine's CPU, or undefined where there is no /proc/cpuinfo to read (not Linux). */
export function readCpu(path = '/proc/cpuinfo'): CpuDescription | undefined {
  // The first processor's block is all that is parsed: on a many-core server the whole file is
  // hundreds of kilobytes that the kernel would format for nothing.
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, 'r');
    const buffer = Buffer.alloc(16384);
    let length = 0;
    for (let got = 1; got > 0 && length < buffer.length && !buffer.subarray(0, length).includes('\n\n');) {
      got = fs.readSync(fd, buffer, length, buffer.length - length, null);
      length += got;
    }
    return parseCpuinfo(buffer.toString('utf8', 0, length));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

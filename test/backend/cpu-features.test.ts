import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCpuinfo, readCpu } from '../../lib/backend/cpu-features';

// Two processors of a Sapphire Rapids /proc/cpuinfo, trimmed to the fields that matter.
const XEON = `processor\t: 0
vendor_id\t: GenuineIntel
cpu family\t: 6
model\t\t: 143
model name\t: Intel(R) Xeon(R) Platinum 8480+
flags\t\t: fpu sse sse2 ht pni ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16 avx512_fp16 amx_bf16 amx_tile amx_int8 avx512_vnni

processor\t: 1
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8480+
flags\t\t: fpu sse sse2
`;

describe('parseCpuinfo', () => {
  it('reads the first processor\'s model, vendor and SIMD flags, weakest first', () => {
    expect(parseCpuinfo(XEON)).toEqual({
      model: 'Intel(R) Xeon(R) Platinum 8480+',
      vendor: 'GenuineIntel',
      simd: ['sse2', 'pni', 'ssse3', 'sse4_1', 'sse4_2', 'avx', 'fma', 'avx2', 'avx512f', 'avx512dq', 'avx512cd',
        'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16', 'avx512_fp16', 'amx_tile', 'amx_bf16', 'amx_int8'],
    });
  });

  it('is undefined without a flags line (not an x86 cpuinfo)', () => {
    expect(parseCpuinfo('processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\n')).toBeUndefined();
  });
});

describe('readCpu', () => {
  it('reads a cpuinfo file, and is undefined when there is none', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'blasnet-cpu-')), 'cpuinfo');
    fs.writeFileSync(file, XEON);
    expect(readCpu(file)?.model).toBe('Intel(R) Xeon(R) Platinum 8480+');
    expect(readCpu(path.join(path.dirname(file), 'missing'))).toBeUndefined();
  });

  it.skipIf(!fs.existsSync('/proc/cpuinfo'))('reads this machine\'s CPU with the flags the kernel lists', () => {
    const cpu = readCpu()!;
    const flags = /^flags\s*:(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim().split(/\s+/) ?? [];
    expect(cpu.simd.every((f) => flags.includes(f))).toBe(true);
    expect(cpu.simd).toContain('sse2');
  });
});

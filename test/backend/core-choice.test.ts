// The kernel chooser's decisions: which core the CPU's features allow, whether to try it against
// OpenBLAS's own choice, and which trial result wins. Pure functions: no child process, no OpenBLAS.
import { describe, expect, it } from 'vitest';
import { judgeTrials, planCore, strongestCore } from '../../lib/backend/core-choice';
import type { CpuDescription } from '../../lib/backend/cpu-features';

const SSE = ['sse2', 'pni', 'ssse3', 'sse4_1', 'sse4_2'];
const AVX2 = [...SSE, 'avx', 'fma', 'avx2'];
const AVX512 = [...AVX2, 'avx512f', 'avx512dq', 'avx512cd', 'avx512bw', 'avx512vl'];
const intel = (simd: string[]): CpuDescription => ({ model: 'Intel(R) Xeon(R) Platinum', vendor: 'GenuineIntel', simd });
const amd = (simd: string[]): CpuDescription => ({ model: 'AMD EPYC', vendor: 'AuthenticAMD', simd });

describe('strongestCore', () => {
  it.each([
    ['Sapphire Rapids (AVX-512 + bf16 + AMX)', intel([...AVX512, 'avx512_bf16', 'amx_tile']), 'Cooperlake'],
    ['Zen 4 (AVX-512 + bf16)', amd([...AVX512, 'avx512_vnni', 'avx512_bf16']), 'Cooperlake'],
    ['Skylake-SP (AVX-512 F/BW/DQ/VL)', intel(AVX512), 'SkylakeX'],
    ['AVX-512F without BW/DQ/VL (Knights Landing)', intel([...AVX2, 'avx512f', 'avx512cd']), 'Haswell'],
    ['Haswell (AVX2 + FMA)', intel(AVX2), 'Haswell'],
    ['Zen 2 (AVX2 + FMA, AMD)', amd(AVX2), 'Haswell'],
    ['AVX2 without FMA', intel([...SSE, 'avx', 'avx2']), undefined],
    ['Sandy Bridge (AVX only)', intel([...SSE, 'avx']), undefined],
    ['SSE only', intel(SSE), undefined],
  ])('%s → %s', (_name, cpu, core) => {
    expect(strongestCore(cpu)).toBe(core);
  });
});

describe('planCore: features × OpenBLAS\'s own core × user setting', () => {
  const zen4 = amd([...AVX512, 'avx512_bf16']);
  it.each([
    // The user's OPENBLAS_CORETYPE wins over everything, even a weaker core.
    ['user Prescott on Zen 4', { userCore: 'Prescott', cpu: zen4, autoCore: 'Cooperlake' }, { action: 'user', core: 'Prescott' }],
    ['user set, chooser off', { userCore: 'SkylakeX', disabled: true, cpu: zen4 }, { action: 'user', core: 'SkylakeX' }],
    ['empty user value is unset', { userCore: '', cpu: zen4, autoCore: 'Prescott' }, { action: 'try', candidate: 'Cooperlake' }],
    ['Xeon detected as Prescott', { cpu: intel([...AVX512, 'avx512_bf16']), autoCore: 'Prescott' }, { action: 'try', candidate: 'Cooperlake' }],
    ['Skylake-SP detected as Haswell', { cpu: intel(AVX512), autoCore: 'Haswell' }, { action: 'try', candidate: 'SkylakeX' }],
    ['Zen 3 detected as Prescott', { cpu: amd(AVX2), autoCore: 'Prescott' }, { action: 'try', candidate: 'Haswell' }],
    ['Zen 3 detected as Sandybridge', { cpu: amd(AVX2), autoCore: 'Sandybridge' }, { action: 'try', candidate: 'Haswell' }],
    ['own core not known yet', { cpu: zen4 }, { action: 'identify' }],
  ])('%s → %j', (_name, input, plan) => {
    expect(planCore(input)).toEqual(plan);
  });

  it.each([
    ['already the strongest', { cpu: amd([...AVX512, 'avx512_bf16']), autoCore: 'Cooperlake' }, /Cooperlake is already the strongest/],
    ['stronger than the features suggest', { cpu: intel(AVX512), autoCore: 'Cooperlake' }, /already the strongest/],
    ['equal rank (Zen, as OpenBLAS names Zen 1–3)', { cpu: amd(AVX2), autoCore: 'Zen' }, /Zen is already the strongest/],
    ['a core newer than the table', { cpu: intel([...AVX512, 'avx512_bf16']), autoCore: 'Diamondrapids' }, /newer than blasnet's core table/],
    ['no AVX2+FMA', { cpu: intel([...SSE, 'avx']), autoCore: 'Prescott' }, /no AVX2\+FMA/],
    ['features unreadable', { autoCore: 'Prescott' }, /cannot be read/],
    ['chooser off', { disabled: true, cpu: intel(AVX512), autoCore: 'Prescott' }, /BLASNET_CORE_CHOOSER=off/],
  ])('keeps OpenBLAS\'s own core when %s', (_name, input, why) => {
    const plan = planCore(input);
    expect(plan.action).toBe('keep');
    expect(plan.action === 'keep' && plan.why).toMatch(why);
  });
});

describe('judgeTrials', () => {
  it('chooses a correct candidate that is clearly faster', () => {
    const v = judgeTrials('Prescott', 'Cooperlake', { ok: true, seconds: 0.03 }, { ok: true, seconds: 0.01 });
    expect(v).toEqual({ core: 'Cooperlake', reason: 'chosen', detail: expect.stringMatching(/^Cooperlake verified, 3\.00× as fast as Prescott/) });
  });

  it('keeps OpenBLAS\'s core when the candidate is correct but not 5% faster', () => {
    expect(judgeTrials('Haswell', 'SkylakeX', { ok: true, seconds: 0.01 }, { ok: true, seconds: 0.0096 }))
      .toMatchObject({ core: 'Haswell', reason: 'kept', detail: expect.stringMatching(/not faster \(1\.04×/) });
    expect(judgeTrials('Haswell', 'SkylakeX', { ok: true, seconds: 0.01 }, { ok: true, seconds: 0.02 }))
      .toMatchObject({ core: 'Haswell', reason: 'kept' });
  });

  it('falls back to OpenBLAS\'s core when the candidate fails, however fast the other trial', () => {
    expect(judgeTrials('Prescott', 'Cooperlake', { ok: true, seconds: 1 }, { ok: false, reason: 'the child died of SIGILL' }))
      .toEqual({ core: 'Prescott', reason: 'fallback', detail: 'Cooperlake failed its check (the child died of SIGILL)' });
  });

  it('falls back when OpenBLAS\'s own core could not be timed', () => {
    expect(judgeTrials('Prescott', 'Cooperlake', { ok: false, reason: 'timed out' }, { ok: true, seconds: 0.001 }))
      .toMatchObject({ core: 'Prescott', reason: 'fallback', detail: expect.stringMatching(/Prescott could not be timed \(timed out\)/) });
  });
});

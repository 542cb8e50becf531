// What a parallel run prints: a line per finished trial; on a terminal also a bar with the ETA.
import { describe, expect, it } from 'vitest';
import { TrialProgress, paramsLabel } from '../../lib/parallel/progress';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, columns: 200, write: (t: string) => { chunks.push(t); } } };
}

describe('TrialProgress', () => {
  it('on a terminal: a line per trial above a bar whose ETA extrapolates the time per trial', () => {
    let t = 0;
    const { chunks, out } = stream(true);
    const p = new TrialProgress(1, out, 4, 'trial', () => t);
    expect(chunks).toEqual([`\r[>${' '.repeat(23)}] 0/4 trials  0ms elapsed  ETA –\x1b[K`]);
    t = 2000;
    p.finished(paramsLabel({ lr: 0.1, hidden: [8, 4] }), { loss: 0.5, accuracy: 0.875 }, 2);
    expect(chunks.slice(1)).toEqual([
      '\r\x1b[Ktrial 1/4  lr=0.100 hidden=[8,4]  loss 0.5000  accuracy 0.8750  2.0s\n',
      `\r[======>${' '.repeat(17)}] 1/4 trials  2.0s elapsed  ETA 6.0s\x1b[K`,
    ]);
    t = 3000;
    p.finished('lr=1', new Error('fit: the loss became NaN'), 1);
    expect(chunks[3]).toBe('\r\x1b[Ktrial 2/4  lr=1  failed: fit: the loss became NaN  1.0s\n');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's escape codes are what is tested
    expect(chunks[4]).toMatch(/^\r\[={12}>\s{11}\] 2\/4 trials {2}3\.0s elapsed {2}ETA 3\.0s\x1b\[K$/);
    p.end();
    expect(chunks.at(-1)).toBe('\r\x1b[K');
  });

  it('elsewhere only the lines; verbose 2 forces them on a terminal; verbose 0 prints nothing', () => {
    for (const [tty, verbose] of [[false, 1], [true, 2]] as const) {
      const { chunks, out } = stream(tty);
      const p = new TrialProgress(verbose, out, 2, 'fold', () => 0);
      p.finished('fold 1', { loss: 1 }, 0.25);
      p.end();
      expect(chunks).toEqual(['fold 1/2  fold 1  loss 1.0000  250ms\n']);
    }
    const { chunks, out } = stream(true);
    const quiet = new TrialProgress(0, out, 2, 'trial', () => 0);
    quiet.finished('', { loss: 1 }, 1);
    quiet.end();
    expect(chunks).toEqual([]);
  });
});

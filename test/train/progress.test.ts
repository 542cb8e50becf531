import { describe, expect, it } from 'vitest';
import { Dense } from '../../lib/layers/dense';
import { Sequential } from '../../lib/model/sequential';
import { sgd } from '../../lib/optim/index';
import { Tensor } from '../../lib/tensor';
import { ProgressReporter, formatDuration, formatRate, formatValue } from '../../lib/train/progress';

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 200, write: (s: string) => { writes.push(s); return true; } } };
}

function model(): Sequential {
  const m = new Sequential([new Dense(2, 2)], { seed: 1 });
  m.compile({ loss: 'softmaxCrossentropy', optimizer: sgd({ lr: 0.1 }), metrics: ['accuracy'] });
  return m;
}

const x = Tensor.from([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]]);
const y = Tensor.from([0, 1, 1, 0, 1], [5]);

describe('progress output', () => {
  it('prints one plain line per epoch when the output is not a terminal', () => {
    const { writes, stream } = recorder(false);
    model().fitSync(x, y, { epochs: 3, batchSize: 2, output: stream, validationSplit: 0.2 });
    expect(writes.length).toBe(3);
    writes.forEach((line, i) => {
      expect(line).toMatch(new RegExp(`^Epoch ${i + 1}/3  \\S+  \\S+ samples/s  loss \\d\\.\\d{4}  accuracy \\d\\.\\d{4}  ` +
        'valLoss \\d\\.\\d{4}  valAccuracy \\d\\.\\d{4}  lr 0\\.100\\n$'));
      expect(line).not.toContain('\r');
    });
  });

  it('prints nothing with verbose 0', () => {
    const { writes, stream } = recorder(true);
    model().fitSync(x, y, { epochs: 2, output: stream, verbose: 0 });
    expect(writes).toEqual([]);
  });

  it('draws a bar in place on a terminal, then the epoch line over it', () => {
    const { writes, stream } = recorder(true);
    model().fitSync(x, y, { epochs: 1, batchSize: 2, output: stream });
    const bars = writes.filter((w) => w.startsWith('\r') && w.includes('[') && !w.endsWith('\n'));
    expect(bars.length).toBeGreaterThanOrEqual(1);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's escape codes are what is tested
    expect(bars[bars.length - 1]).toMatch(/^\rEpoch 1\/1 \[={24}\] 3\/3  loss \d\.\d{4}  accuracy \d\.\d{4}  \S+ samples\/s  ETA \S+\x1b\[K$/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's escape codes are what is tested
    expect(writes[writes.length - 1]).toMatch(/^\r\x1b\[KEpoch 1\/1  .*loss .*\n$/);
  });

  it('redraws at most about 10 times a second', () => {
    const { writes, stream } = recorder(true);
    let clock = 0;
    const reporter = new ProgressReporter(1, stream, 1, 1000, 32000, () => clock);
    reporter.epochBegin(0);
    for (let b = 0; b < 1000; b++) {
      clock += 1; // 1 ms per batch: one second in all
      reporter.batchEnd(b, (b + 1) * 32, 0.5, 'accuracy', 0.9);
    }
    expect(writes.length).toBeGreaterThanOrEqual(10);
    expect(writes.length).toBeLessThanOrEqual(11);
    expect(writes[writes.length - 1]).toContain('1000/1000');
    expect(writes[writes.length - 1]).toContain('32.0k samples/s');
  });

  it('announces early stopping', () => {
    const { writes, stream } = recorder(false);
    const m = model();
    // Separable training labels (by the first feature) and the opposite labels for validation: the
    // validation loss rises from the start.
    m.fitSync(x, Tensor.from([0, 0, 1, 1, 0], [5]), {
      epochs: 20, output: stream, validationData: [x, Tensor.from([1, 1, 0, 0, 1], [5])], earlyStopping: { patience: 1 },
    });
    expect(writes[writes.length - 1]).toMatch(/^Early stopping: valLoss has not improved for 1 epoch\(s\); best valLoss \S+ at epoch \d+\n$/);
  });

  it('formats numbers compactly', () => {
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(1.5e-5)).toBe('1.50e-5');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatRate(523_400)).toBe('523.4k');
    expect(formatRate(2_500_000)).toBe('2.50M');
    expect(formatDuration(0.25)).toBe('250ms');
    expect(formatDuration(3.21)).toBe('3.2s');
    expect(formatDuration(125)).toBe('2m05s');
  });
});

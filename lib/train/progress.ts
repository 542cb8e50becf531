// What fit prints. On a terminal: a progress bar redrawn in place at most 10 times a second, then
// one summary line per epoch. Elsewhere (a log file, CI): the summary lines only. verbose 0 prints
// nothing, 2 forces the plain lines even on a terminal.

/** Where progress is written (process.stderr by default). */
export interface OutputStream {
  /** Writes text. */
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** 0: silent; 1: a progress bar; 2: one line per epoch. */
export type Verbosity = 0 | 1 | 2;

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return v.toFixed(4);
}

export function formatRate(samplesPerSecond: number): string {
  if (!Number.isFinite(samplesPerSecond)) return '–';
  if (samplesPerSecond >= 1e6) return `${(samplesPerSecond / 1e6).toFixed(2)}M`;
  if (samplesPerSecond >= 1e3) return `${(samplesPerSecond / 1e3).toFixed(1)}k`;
  return samplesPerSecond.toFixed(0);
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m < 60 ? `${m}m${String(s).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class ProgressReporter {
  private readonly bar: boolean;
  private epochStart = 0;
  private lastDraw = -Infinity;
  private drawn = false;
  private epoch = 0;

  constructor(private readonly verbose: Verbosity, private readonly out: OutputStream, private readonly epochs: number,
    private readonly batches: number, private readonly samples: number, private readonly now: () => number = () => performance.now()) {
    this.bar = verbose === 1 && out.isTTY === true;
  }

  epochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = this.now();
    this.lastDraw = -Infinity;
  }

  /** After each batch: redraws the bar when enough time has passed (or at the last batch). */
  /** metric may be a function: it is called only when the bar is drawn (a whole-data-set metric
   *  such as rocAuc costs a sort of every row seen, too much for every batch). */
  batchEnd(batch: number, samplesDone: number, loss: number, metricName: string | undefined, metric: number | (() => number)): void {
    if (!this.bar) return;
    const t = this.now();
    if (t - this.lastDraw < REDRAW_MS && batch + 1 < this.batches) return;
    this.lastDraw = t;
    const elapsed = (t - this.epochStart) / 1000;
    const rate = samplesDone / elapsed;
    const eta = (this.samples - samplesDone) / rate;
    const done = Math.round((BAR_WIDTH * (batch + 1)) / this.batches);
    const arrow = done >= BAR_WIDTH ? '='.repeat(BAR_WIDTH) : `${'='.repeat(done)}>${' '.repeat(BAR_WIDTH - done - 1)}`;
    let line = `${this.epochLabel()} [${arrow}] ${batch + 1}/${this.batches}  loss ${formatValue(loss)}`;
    if (metricName !== undefined) line += `  ${metricName} ${formatValue(typeof metric === 'function' ? metric() : metric)}`;
    line += `  ${formatRate(rate)} samples/s  ETA ${formatDuration(eta)}`;
    const width = this.out.columns ?? 120;
    if (line.length > width - 1) line = line.slice(0, width - 1);
    this.out.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** One summary line per epoch (replacing the bar on a terminal). */
  epochEnd(logs: Record<string, number>): void {
    if (this.verbose === 0) return;
    const seconds = (this.now() - this.epochStart) / 1000;
    const parts = [`${this.epochLabel()}`, formatDuration(seconds), `${formatRate(this.samples / seconds)} samples/s`];
    for (const [key, value] of Object.entries(logs)) {
      parts.push(key === 'lr' ? `lr ${value.toPrecision(3)}` : `${key} ${formatValue(value)}`);
    }
    this.out.write(`${this.drawn ? '\r\x1b[K' : ''}${parts.join('  ')}\n`);
    this.drawn = false;
  }

  /** A message of its own line (early stopping, abort). */
  note(text: string): void {
    if (this.verbose === 0) return;
    this.out.write(`${this.drawn ? '\r\x1b[K' : ''}${text}\n`);
    this.drawn = false;
  }

  private epochLabel(): string {
    const w = String(this.epochs).length;
    return `Epoch ${String(this.epoch + 1).padStart(w)}/${this.epochs}`;
  }
}

// What a search, ensemble or cross-validation prints while its trials run: one line per finished
// trial and, on a terminal, an overall bar with the time left below them.

import { formatDuration, formatValue, type OutputStream, type Verbosity } from '../train/progress';

const BAR_WIDTH = 24;

export class TrialProgress {
  private done = 0;
  private readonly started: number;
  private readonly bar: boolean;

  constructor(private readonly verbose: Verbosity, private readonly out: OutputStream, private readonly total: number,
    private readonly unit = 'trial', private readonly now: () => number = () => performance.now()) {
    this.started = now();
    this.bar = verbose === 1 && out.isTTY === true;
    this.drawBar();
  }

  /** A trial finished: its label (parameters), its scores or its error, and how long it took. */
  finished(label: string, result: Record<string, number> | Error, seconds: number): void {
    if (this.verbose === 0) return;
    this.done++;
    const w = String(this.total).length;
    const what = result instanceof Error ? `failed: ${result.message}`
      : Object.entries(result).map(([k, v]) => `${k} ${formatValue(v)}`).join('  ');
    const line = `${this.unit} ${String(this.done).padStart(w)}/${this.total}${label === '' ? '' : `  ${label}`}  ${what}  ${formatDuration(seconds)}`;
    this.out.write(`${this.bar ? '\r\x1b[K' : ''}${line}\n`);
    this.drawBar();
  }

  /** Clears the bar (the call is over). */
  end(): void {
    if (this.bar) this.out.write('\r\x1b[K');
  }

  private drawBar(): void {
    if (!this.bar) return;
    const elapsed = (this.now() - this.started) / 1000;
    const eta = this.done === 0 ? NaN : (elapsed / this.done) * (this.total - this.done);
    const filled = Math.round((BAR_WIDTH * this.done) / this.total);
    const arrow = filled >= BAR_WIDTH ? '='.repeat(BAR_WIDTH) : `${'='.repeat(filled)}>${' '.repeat(BAR_WIDTH - filled - 1)}`;
    let line = `[${arrow}] ${this.done}/${this.total} ${this.unit}s  ${formatDuration(elapsed)} elapsed  ETA ${formatDuration(eta)}`;
    const width = this.out.columns ?? 120;
    if (line.length > width - 1) line = line.slice(0, width - 1);
    this.out.write(`\r${line}\x1b[K`);
  }
}

/** A trial's parameters as `name=value` pairs. */
export function paramsLabel(params: Record<string, unknown>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}`).join(' ');
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(3);
}

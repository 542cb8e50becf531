/**
 * What fit returns: one entry per completed epoch in every array. `loss` includes the L1/L2 penalty
 * when one is set; val* keys appear with validation data, metric keys with compile's metrics.
 */
export interface History {
  epoch: number[];
  loss: number[];
  /** The learning rate used during each epoch. */
  lr: number[];
  valLoss?: number[];
  accuracy?: number[];
  valAccuracy?: number[];
  mse?: number[];
  valMse?: number[];
  mae?: number[];
  valMae?: number[];
  /** Why training ended before `epochs`: the signal was aborted, or early stopping triggered. */
  stopped?: 'aborted' | 'earlyStopping';
  /** With early stopping: the epoch whose weights the model holds at the end (when restored). */
  bestEpoch?: number;
  [key: string]: number[] | string | number | undefined;
}

/** 'accuracy' → 'valAccuracy'. */
export function valKey(name: string): string {
  return `val${name[0].toUpperCase()}${name.slice(1)}`;
}

export function emptyHistory(keys: readonly string[]): History {
  const history = { epoch: [], loss: [], lr: [] } as unknown as History;
  for (const key of keys) history[key] = [];
  return history;
}

/** Appends one epoch's logs to every array of the history. */
export function recordEpoch(history: History, epoch: number, logs: Record<string, number>): void {
  history.epoch.push(epoch);
  for (const key of Object.keys(logs)) {
    const list = history[key];
    if (Array.isArray(list)) list.push(logs[key]);
  }
}

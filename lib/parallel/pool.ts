// Runs jobs on worker threads, one compute thread each. Threads rather than processes: the data
// set is shared memory that every worker reads in place, and a worker costs an isolate (13–30 MiB
// measured here) rather than a process with its own Node, addon and OpenBLAS (80+ MiB). OpenBLAS's
// thread count is one setting for the whole process, so it is 1 while the workers run (threads()
// reads 1) and is restored when the call returns.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { backend, threads } from '../backend/index';
import { Sequential } from '../model/sequential';
import type { History } from '../train/history';
import { checkInt, fail } from '../validate';
import { runJob, sharedDataSet, type Build, type DataSet, type Job, type JobOutcome } from './job';
import { buildFromSpec, checkPlainData, type ModelSpec } from './spec';

// lib/parallel (tests) and dist/parallel (the package) both sit two levels below the root; workers
// always run the compiled files.
const packageRoot = path.resolve(__dirname, '..', '..');
export const workerFile = path.join(packageRoot, 'dist', 'parallel', 'worker.js');

/** The default worker count: the cores this process may use. */
export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism());
}

/** options.workers, checked (default: the core count). */
export function workersOption(fn: string, value: unknown): number {
  return value === undefined ? defaultWorkers() : checkInt(fn, 'options.workers', value, 1, 1024);
}

/**
 * How many workers a call uses: options.workers for a spec (default: the core count); a closure
 * cannot cross into another thread, so it runs here (workers 1), and asking for more is an error.
 */
export function workersFor(fn: string, builderArg: string, builder: unknown, workers: unknown): number {
  if (typeof builder !== 'function') return workersOption(fn, workers);
  if (workers === undefined) return 1;
  const n = checkInt(fn, 'options.workers', workers, 1, 1024);
  if (n > 1) {
    fail(fn, builderArg, `a model spec ({ mlp, compile }, { architecture, compile } or { module }) with options.workers ${n}, ` +
      'since a closure cannot be sent to a worker thread (or workers: 1 to run the closure here)', builder, 'type');
  }
  return n;
}

/** With workers > 1 every fit option must be plain data (callbacks, schedules and augmentations
 *  are functions, which cannot reach a worker). */
export function checkWorkerFitOptions(fn: string, options: Record<string, unknown>, skip: readonly string[]): void {
  for (const [key, value] of Object.entries(options)) {
    if (!skip.includes(key)) checkPlainData(fn, `options.${key}`, value);
  }
}

export interface RunJobsOptions {
  fn: string;
  jobs: readonly Job[];
  workers: number;
  /** A closure runs only in this thread (workers 1); a spec runs anywhere. */
  build: Build | ModelSpec;
  sets: Record<string, DataSet>;
  signal?: AbortSignal;
  /** Called as each job finishes (in finishing order). */
  onDone?: (outcome: JobOutcome) => void;
}

/** What a worker posts back: the model as bytes, the error as name and message. */
export type WireOutcome =
  | { id: number; ok: true; history: History; validation: Record<string, number>; model?: Uint8Array; seconds: number }
  | { id: number; ok: false; error: { name: string; message: string }; seconds: number };

/** The jobs' outcomes in job order: every job run, or, after an abort, those that had started. */
export async function runJobs(o: RunJobsOptions): Promise<JobOutcome[]> {
  if (o.workers <= 1 || o.jobs.length <= 1) return runHere(o);
  return runOnWorkers(o);
}

async function runHere(o: RunJobsOptions): Promise<JobOutcome[]> {
  const spec = o.build;
  const build: Build = typeof spec === 'function' ? spec : (arg) => buildFromSpec(spec, arg);
  const out: JobOutcome[] = [];
  for (const job of o.jobs) {
    if (o.signal?.aborted === true) break;
    const outcome = await runJob(o.fn, build, o.sets, job, o.signal);
    out.push(outcome);
    o.onDone?.(outcome);
  }
  return out;
}

async function runOnWorkers(o: RunJobsOptions): Promise<JobOutcome[]> {
  const { fn, jobs, signal } = o;
  if (!fs.existsSync(workerFile)) {
    throw new Error(`${fn}: worker threads run the compiled library, and ${workerFile} is missing; run \`npm run build:ts\``);
  }
  const sets = Object.fromEntries(Object.entries(o.sets).map(([name, set]) => [name, sharedDataSet(set)]));
  const abortFlag = new Int32Array(new SharedArrayBuffer(4));
  const onAbort = (): void => { Atomics.store(abortFlag, 0, 1); };
  const outcomes: (JobOutcome | undefined)[] = new Array(jobs.length);
  const pool: Worker[] = [];
  const native = backend() === 'native';
  const threadsBefore = threads();
  if (native) threads(1);
  signal?.addEventListener('abort', onAbort);
  if (signal?.aborted === true) onAbort();
  try {
    await new Promise<void>((resolve) => {
      let next = 0;
      let running = 0;
      let alive = 0;
      const record = (outcome: JobOutcome): void => {
        outcomes[outcome.id] = outcome;
        o.onDone?.(outcome);
      };
      const settleIfIdle = (): void => {
        const more = next < jobs.length && Atomics.load(abortFlag, 0) === 0;
        if (alive === 0 && more) {
          // Every worker is gone: what is left cannot run.
          for (; next < jobs.length; next++) record({ id: jobs[next].id, ok: false, error: new Error(`${fn}: no worker thread left to run this trial`), seconds: 0 });
        }
        if (running === 0 && (alive === 0 || !more)) resolve();
      };
      const start = (): void => {
        const worker = new Worker(workerFile, { workerData: { fn, spec: o.build, sets, abortFlag, backend: backend() } });
        let current: Job | undefined;
        let gone = false;
        const give = (): void => {
          current = next < jobs.length && Atomics.load(abortFlag, 0) === 0 ? jobs[next++] : undefined;
          if (current === undefined) { settleIfIdle(); return; }
          running++;
          worker.postMessage(current);
        };
        const lost = (reason: string): void => {
          if (gone) return;
          gone = true;
          alive--;
          if (current !== undefined) {
            running--;
            record({ id: current.id, ok: false, error: new Error(`${fn}: the worker thread running this trial stopped (${reason})`), seconds: 0 });
            current = undefined;
          }
          settleIfIdle();
        };
        worker.on('message', (wire: WireOutcome) => {
          running--;
          current = undefined;
          record(fromWire(wire));
          give();
        });
        worker.on('error', (err) => lost(err.message));
        worker.on('exit', (code) => lost(`exit code ${code}`));
        pool.push(worker);
        alive++;
        give();
      };
      const count = Math.min(o.workers, jobs.length);
      for (let i = 0; i < count; i++) start();
      if (count === 0) resolve();
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(pool.map((w) => w.terminate()));
    if (native) threads(threadsBefore);
  }
  return outcomes.filter((x): x is JobOutcome => x !== undefined);
}

const errorClasses: Record<string, new (message: string) => Error> = { TypeError, RangeError, Error };

function fromWire(wire: WireOutcome): JobOutcome {
  if (!wire.ok) {
    const Kind = errorClasses[wire.error.name] ?? Error;
    return { id: wire.id, ok: false, error: new Kind(wire.error.message), seconds: wire.seconds };
  }
  const { model, ...rest } = wire;
  return { ...rest, ...(model === undefined ? {} : { model: Sequential.load(model) }) };
}

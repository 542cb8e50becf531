// A worker thread's side of runJobs: rebuild each job's model from the spec, train and score it on
// the shared data, post the outcome back.

import { parentPort, workerData } from 'node:worker_threads';
import { useBackend, type BackendName } from '../backend/index';
import { Sequential } from '../model/sequential';
import { runJob, type DataSet, type Job } from './job';
import type { WireOutcome } from './pool';
import { buildFromSpec, type ModelSpec } from './spec';

interface WorkerData {
  fn: string;
  spec: ModelSpec;
  sets: Record<string, DataSet>;
  /** Set to 1 by the caller's AbortSignal; fit reads it after every batch. */
  abortFlag: Int32Array;
  backend: BackendName;
}

const data = workerData as WorkerData;
useBackend(data.backend);
const signal = { get aborted(): boolean { return Atomics.load(data.abortFlag, 0) !== 0; } };

parentPort!.on('message', async (job: Job) => {
  const outcome = await runJob(data.fn, (arg) => buildFromSpec(data.spec, arg), data.sets, job, signal);
  let wire: WireOutcome;
  if (outcome.ok) {
    const { model, ...rest } = outcome;
    if (model !== undefined && !(model instanceof Sequential)) {
      wire = { id: job.id, ok: false, error: { name: 'TypeError', message: `${data.fn}: a model trained in a worker thread must be a Sequential to be sent back` }, seconds: outcome.seconds };
    } else {
      wire = { ...rest, ...(model === undefined ? {} : { model: new Uint8Array(model.toBuffer()) }) };
    }
  } else {
    wire = { id: job.id, ok: false, error: { name: outcome.error.name, message: outcome.error.message }, seconds: outcome.seconds };
  }
  parentPort!.postMessage(wire);
});

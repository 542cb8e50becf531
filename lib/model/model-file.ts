import { readModelRecord } from '../io/model-record';
import { fail } from '../validate';
import type { SaveOptions } from './record';
import { Sequential } from './sequential';

// The functional form of save and load, for callers that also want the extras saved with a model.

/** A model read from a file, with the extra JSON saved beside it. */
export interface LoadedModel {
  model: Sequential;
  extra: Record<string, unknown>;
}

function checkModel(fn: string, model: unknown): asserts model is Sequential {
  if (!(model instanceof Sequential)) fail(fn, 'model', 'a Sequential', model, 'type');
}

/** Saves to `target` (a directory, or a path ending in .safetensors) atomically; returns the file. */
export function saveModel(model: Sequential, target: string, options: SaveOptions = {}): string {
  checkModel('model.save', model);
  return model.save(target, options);
}

/** The bytes saveModel would write: the model (and, by default, its optimizer state) as safetensors. */
export function modelToBuffer(model: Sequential, options: SaveOptions = {}): Buffer {
  checkModel('model.toBuffer', model);
  return model.toBuffer(options);
}

/** Loads a model saved with saveModel (a directory or a .safetensors file) or from a Buffer, with its extras. */
export function loadModel(source: string | Uint8Array): LoadedModel {
  const record = readModelRecord('loadModel', source);
  return { model: Sequential.fromRecord(record), extra: record.extra };
}

import * as path from 'node:path';
import type { Sequential } from '../model/sequential';
import { writeFileAtomic } from '../io/atomic';
import { fail } from '../validate';
import { exportOnnx, type OnnxExportOptions } from './export';

/** model.save's options for an ONNX file. */
export interface OnnxSaveOptions extends OnnxExportOptions {
  format: 'onnx';
}

/** The file an ONNX save writes: a `.onnx` path is the file itself; anything else is a directory. */
export function onnxFilePath(target: string): string {
  return target.endsWith('.onnx') ? target : path.join(target, 'model.onnx');
}

/** model.save(target, { format: 'onnx', ... }): exportOnnx's bytes, written atomically. Returns the file. */
export function saveOnnx(model: Sequential, target: string, options: OnnxSaveOptions): string {
  if (typeof target !== 'string' || target === '') fail('model.save', 'path', 'a non-empty path string', target, 'type');
  const { format: _format, ...exportOptions } = options;
  const file = onnxFilePath(target);
  writeFileAtomic(file, exportOnnx(model, exportOptions));
  return file;
}

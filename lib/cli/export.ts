import { loadModel } from '../model/model-file';
import { exportOnnx } from '../onnx/export';
import { writeFileAtomic } from '../io/atomic';
import type { ScalerJSON } from '../data/preprocess';
import { parse, UsageError } from './args';

export const exportUsage = `Usage: blasnet export <model-dir> <out.onnx>

Writes a model saved by \`blasnet train\` as an ONNX graph (opset 17, dynamic batch size) that
onnxruntime and other ONNX runtimes can serve. The input scaler saved with the model goes in front,
so the ONNX model takes raw features; class and feature names go into its metadata.

Options:
  -h, --help             this help`;

export function exportCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, {});
  if (values.help) { console.log(exportUsage); return 0; }
  if (positionals.length !== 2) throw new UsageError(`export expects <model-dir> <out.onnx>, received ${positionals.length} arguments`);
  const [modelDir, out] = positionals;
  if (!out.endsWith('.onnx')) throw new UsageError(`the output file should end in .onnx, received '${out}'`);
  const { model, extra } = loadModel(modelDir);
  // The graph takes raw numeric features and gives the model's outputs: what it cannot carry is
  // refused rather than exported into a model that silently computes something else.
  if (extra.targetScaler !== undefined) {
    throw new UsageError('this is a regression model trained on a standardised target; its ONNX form would output standardised values, so it is not exported');
  }
  const textColumns = (extra.encoding as { columns?: { name: string; type: string }[] } | undefined)?.columns?.filter((c) => c.type === 'text') ?? [];
  if (textColumns.length > 0) {
    throw new UsageError(`the model one-hot encodes the text column${textColumns.length === 1 ? '' : 's'} ${textColumns.map((c) => `'${c.name}'`).join(', ')}, which ONNX export does not carry`);
  }
  const metadata: Record<string, string> = {};
  if (Array.isArray(extra.featureNames)) metadata.feature_names = JSON.stringify(extra.featureNames);
  if (typeof extra.labelName === 'string') metadata.label_name = extra.labelName;
  const bytes = exportOnnx(model, {
    ...(extra.scaler ? { scaler: extra.scaler as ScalerJSON } : {}),
    ...(Array.isArray(extra.classNames) ? { classNames: extra.classNames as string[] } : {}),
    metadata,
  });
  writeFileAtomic(out, bytes);
  console.log(`wrote ${out} (${bytes.length} bytes): input [batch, ${model.inputShape!.join(', ')}] → output [batch, ${model.outputShape.join(', ')}]` +
    `${extra.scaler ? ', scaler in front' : ''}`);
  return 0;
}

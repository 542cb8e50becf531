// blasnet's public surface. Everything a user imports comes from here (CommonJS and ESM alike).
export { Tensor, type Shape } from './tensor';
export { Random } from './random';
export { allocationCount } from './alloc';
export { backend, useBackend, threads, nativeStatus, nativeInfo, type NativeInfo } from './backend/index';
export type { BackendName } from './backend/types';
export { ops } from './ops';

// Model core
export {
  Dense, Activation, Dropout, BatchNorm, LayerNorm, Residual, layerClasses, activationNames,
  type Layer, type LayerContext, type Param, type StateBuffer, type LayerClass, type ActivationName,
  type DenseOptions, type DenseConfig,
} from './layers/index';
export { Sequential, type SequentialOptions, type SequentialJSON } from './model/sequential';
export { Ensemble, combineNames, type CombineName, type EnsembleOptions, type EnsembleEvaluateOptions } from './model/ensemble';
export { trainEnsemble, type TrainEnsembleOptions } from './model/train-ensemble';
export { initNames, type InitName, type InitSpec } from './init';
export { getLoss, lossNames, l1, l2, l1l2, applyPenalties, type LossFunction, type LossName, type Penalties } from './losses/index';
export { Perceptron } from './perceptron';
export { gradCheck } from './gradcheck';

// Training
export * from './optim/index';
export {
  gridSearch, randomSearch, logUniform, uniform, intUniform, choice, metricNames,
  type CompileOptions, type FitOptions, type InferenceOptions, type DataInput, type History, type Callbacks,
  type EpochLogs, type BatchLogs, type EarlyStoppingOptions, type MetricName, type SearchResult,
  crossValidate, type CrossValidateOptions, type CrossValidation, type FoldResult, type SearchBuilder,
} from './train/index';
export { shareTensor } from './parallel/shared';
export type { ModelSpec, MlpModelSpec, ArchitectureSpec, ModuleSpec, SpecCompileOptions } from './parallel/spec';
export { predictProba, predictClasses, predictClassNames } from './train/classify';
export { fitStream, isBatchSource, type BatchSource, type DataBatch, type StreamFitOptions } from './train/fit-stream';
export { classificationReport, regressionReport, formatClassificationReport, type ClassificationReport } from './train/classification-report';
export {
  confusionCounts, precisionRecallF1, rocAuc, rocAucOfProbabilities, logLoss, regressionScores,
  type PrecisionRecallF1, type RegressionScores,
} from './train/scores';

// Data, files and pictures
export * from './data/index';
export {
  gaussianNoise, randomShift, randomFlip, compose, type Augmentation, type GaussianNoiseOptions, type ImageOptions,
  type RandomShiftOptions,
} from './data/augment';
export { loadModel, saveModel, modelToBuffer, type LoadedModel } from './model/model-file';
export type { SaveOptions } from './model/record';
export type { ModelRecord } from './io/model-record';
export { encodeSafetensors, decodeSafetensors } from './io/safetensors';
export { exportOnnx, type OnnxExportOptions } from './onnx/export';
export { importOnnx, type ImportedOnnx } from './onnx/import';
export type { OnnxSaveOptions } from './onnx/save';
export { loadPyTorch, type LoadPyTorchOptions } from './model/load-pytorch';
export * from './plot/index';
export { writeTrainingReport, type TrainingReport } from './plot/report';

// Types that appear in the signatures above (options, configurations, results).
export type {
  ActivationConfig, BatchNormConfig, DropoutConfig, LayerNormConfig, ResidualConfig,
} from './layers/index';
export type { LayerDescription } from './layers/residual';
export type { ParamEntry } from './model/sequential';
export type { Backend } from './backend/types';
export type { GradCheckOptions, GradCheckResult, GradCheckEntry } from './gradcheck';
export type { PerceptronOptions, PerceptronFitResult } from './perceptron';
export type { OptimizerSettings } from './optim/optimizer';
export type { OutputStream, Verbosity, TrainableModel } from './train/index';
export type { ModelBuilder, SearchOptions, RandomSearchOptions, SearchEntry, SearchParams, Sampler } from './train/search';
export type { NamedTensor, SafetensorsContent, DecodeOptions } from './io/safetensors';
export type { RandomState } from './random';
export type { ClassWeight } from './train/sample-weights';
export type { CoreStatus } from './backend/core-chooser';
export type { NativeAddon } from './backend/native';
export type { OpName } from './ops';
export type { FoldOptions } from './data/split';

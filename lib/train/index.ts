// Training: compile, the fit loop (async and sync), evaluation and prediction, callbacks, early
// stopping, progress output, metrics, and hyper-parameter search.
export { compileModel, compiledOf, isCompiled, type CompileOptions, type Compiled } from './compile';
export { fit, fitSync, isTraining, type FitOptions } from './fit';
export { evaluate, evaluateAsync, predict, predictAsync, type InferenceOptions } from './inference';
export type { DataInput } from './data';
export type { History } from './history';
export type { Callbacks, EpochLogs, BatchLogs } from './callbacks';
export type { EarlyStoppingOptions } from './early-stopping';
export { metricNames, type MetricName } from './metrics';
export type { OutputStream, Verbosity } from './progress';
export type { TrainableModel } from './model';
export {
  gridSearch, randomSearch, logUniform, uniform, intUniform, choice,
  type Sampler, type SearchParams, type ModelBuilder, type SearchOptions, type RandomSearchOptions, type SearchEntry,
  type SearchResult,
  type SearchBuilder,
} from './search';
export { crossValidate, type CrossValidateOptions, type CrossValidation, type FoldResult } from './cross-validate';

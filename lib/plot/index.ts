export { lineChart } from './line-chart';
export type { LineChartOptions, LineSeries } from './line-chart';
export { confusionMatrix, confusionMatrixSvg } from './confusion-matrix';
export type { ConfusionMatrixSvgOptions } from './confusion-matrix';
export { decisionBoundarySvg } from './decision-boundary';
export type { DecisionBoundaryOptions, PredictOutput } from './decision-boundary';
export { writeSvg } from './svg';
export { predictedVsActualSvg, autoYScale } from './predicted-vs-actual';
export type { PredictedVsActualOptions } from './predicted-vs-actual';

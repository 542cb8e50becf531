// A model's class names travel in the model file's extra metadata, under `classNames` (where
// `blasnet train` also puts them), so either way of saving finds them on load.

import type { SaveOptions } from './record';
import { checkClassNames } from '../train/classify';

/** The save options with the model's class names added to `extra` (names given there win). */
export function withClassNames(model: { classNames?: readonly string[] | undefined }, options: SaveOptions = {}): SaveOptions {
  if (model.classNames === undefined || options.extra?.classNames !== undefined) return options;
  checkClassNames('Sequential.save', 'model.classNames', model.classNames);
  return { ...options, extra: { ...options.extra, classNames: [...model.classNames] } };
}

/** The class names a loaded file carries, when it carries a valid list. */
export function classNamesFromExtra(extra: Record<string, unknown>): string[] | undefined {
  const names = extra.classNames;
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) return undefined;
  return [...names];
}

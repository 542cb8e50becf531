import { fail } from '../validate';

/**
 * Checks that `options` is undefined or a plain object whose keys are all in `allowed`, so a typo
 * such as `learningRate` for `lr` is an error instead of a silently ignored setting.
 */
export function checkOptions<T extends object>(fn: string, arg: string, options: unknown, allowed: readonly string[]): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) fail(fn, arg, 'an options object', options, 'type');
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) fail(fn, arg, `options among ${allowed.join(', ')}`, `unknown option '${key}'`);
  }
  return options as Partial<T>;
}

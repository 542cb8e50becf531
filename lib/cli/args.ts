import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake on the command line: main prints the message and the command's usage, exit code 2. */
export class UsageError extends Error {}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export function parse(argv: string[], options: OptionSpec): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function intOption(values: Record<string, unknown>, name: string, fallback: number, min = 1): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name} expects an integer ≥ ${min}, received '${raw}'`);
  return v;
}

export function numberOption(values: Record<string, unknown>, name: string, fallback: number, lo: number, hi: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw === '' || !Number.isFinite(v) || v < lo || v > hi) throw new UsageError(`--${name} expects a number in [${lo}, ${hi}], received '${raw}'`);
  return v;
}

export function listOption(values: Record<string, unknown>, name: string, fallback: readonly number[]): number[] {
  const raw = values[name];
  if (raw === undefined) return [...fallback];
  if (raw === '' || raw === 'none') return [];
  const parts = String(raw).split(',').map((p) => Number(p.trim()));
  if (parts.some((v) => !Number.isInteger(v) || v < 1)) throw new UsageError(`--${name} expects comma-separated positive integers like 64,32, received '${raw}'`);
  return parts;
}

export function choiceOption<T extends string>(values: Record<string, unknown>, name: string, fallback: T, choices: readonly T[]): T {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!(choices as readonly unknown[]).includes(raw)) throw new UsageError(`--${name} expects one of ${choices.join(', ')}, received '${raw}'`);
  return raw as T;
}

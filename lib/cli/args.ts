import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake on the command line: main prints the message and the command's usage, exit code 2. */
export class UsageError extends Error {}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Edit distance, to suggest the option a typo meant. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** The argument parser's error in the command's own words. */
function usageMessage(err: NodeJS.ErrnoException, options: OptionSpec): string {
  const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  // Node quotes '--name <value>' or, with a short alias, '-q, --quiet'.
  const name = (/--([\w-]+)/.exec(quoted)?.[1] ?? quoted.replace(/^-+/, '')).split(/[= ]/)[0];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const known = Object.keys(options);
      const near = known.map((k) => ({ k, d: distance(name, k) })).sort((a, b) => a.d - b.d)[0];
      const hint = near !== undefined && near.d <= Math.max(1, Math.floor(name.length / 3)) ? ` (did you mean --${near.k}?)` : '';
      return `unknown option '${quoted.split(' ')[0]}'${hint}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return options[name]?.type === 'boolean' ? `--${name} takes no value` : `--${name} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted}'`;
    default:
      return err.message;
  }
}

export function parse(argv: string[], options: OptionSpec): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const all: OptionSpec = { ...options, help: { type: 'boolean', short: 'h' } };
  try {
    const { values, positionals } = parseArgs({ args: argv, options: all, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    throw new UsageError(usageMessage(err as NodeJS.ErrnoException, all));
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

// Words that agree with their numbers, for messages and pictures.

/** `1 epoch`, `2 epochs`: the count and the noun in agreement. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `1st`, `2nd`, `3rd`, `4th`, `11th`, `22nd`: the English ordinal of a positive integer. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

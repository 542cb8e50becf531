/** `1 epoch`, `2 epochs`: the count and the noun in agreement. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

// Writing CSV that other tools read back exactly (RFC 4180): a field holding the delimiter, a quote
// or a line break is quoted, with its quotes doubled.

/** One field, quoted only when it must be. */
export function csvField(value: string | number, delimiter = ','): string {
  const text = String(value);
  if (!text.includes(delimiter) && !/["\r\n]/.test(text)) return text;
  return `"${text.replace(/"/g, '""')}"`;
}

/** One record (without its line ending). */
export function csvLine(fields: readonly (string | number)[], delimiter = ','): string {
  return fields.map((f) => csvField(f, delimiter)).join(delimiter);
}

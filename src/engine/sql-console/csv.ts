/** One CSV line (RFC 4180): fields with a comma, quote or line break are quoted; null is an empty field. */
export function toCsvLine(fields: readonly (string | null)[]): string {
  return `${fields.map((f) => (f === null ? '' : /[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',')}\r\n`;
}

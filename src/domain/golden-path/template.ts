/**
 * Renders `{{ a.b }}` in skeleton files with launch values. In JSON files (notebooks) values are
 * JSON-escaped so that a quote in a parameter cannot break the file.
 */
export function renderTemplate(text: string, context: Record<string, unknown>, options: { json?: boolean } = {}): string {
  return text.replace(/\{\{\s*([a-zA-Z0-9_.-]+)\s*\}\}/g, (raw, expr: string) => {
    let cur: unknown = context;
    for (const key of expr.split('.')) {
      if (cur === null || typeof cur !== 'object' || !(key in cur)) return raw;
      cur = (cur as Record<string, unknown>)[key];
    }
    const s = typeof cur === 'string' ? cur : JSON.stringify(cur);
    return options.json ? JSON.stringify(s).slice(1, -1) : s;
  });
}

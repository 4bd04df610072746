/**
 * Score-style placeholders: `${resources.<id>.<output>}`, `${params.<name>}` and `${env.<field>}`
 * inside any string of a resource's params. `$${` escapes a literal `${`.
 */

const PLACEHOLDER = /\$(\$?)\{([^}]*)\}/g;

export interface PlaceholderRef {
  scope: string;
  path: string[];
  raw: string;
}

export function placeholdersIn(value: unknown): PlaceholderRef[] {
  const out: PlaceholderRef[] = [];
  walkStrings(value, (s) => {
    for (const m of s.matchAll(PLACEHOLDER)) {
      if (m[1]) continue;
      const [scope, ...path] = m[2].trim().split('.');
      out.push({ scope, path, raw: m[0] });
    }
  });
  return out;
}

/** Ids of the resources that `params` refers to through `${resources.<id>...}`. */
export function referencedResources(params: unknown): string[] {
  return [...new Set(placeholdersIn(params).filter((p) => p.scope === 'resources').map((p) => p.path[0]))];
}

export class PlaceholderError extends Error {}

/**
 * Replaces every placeholder with its value from `context`. A string that is exactly one
 * placeholder keeps the value's type (so a number stays a number).
 */
export function substitute<T>(value: T, context: Record<string, unknown>, options: { only?: string[] } = {}): T {
  const skip = (expr: string) => options.only !== undefined && !options.only.includes(expr.trim().split('.')[0]);
  return mapStrings(value, (s) => {
    const whole = s.match(/^\$\{([^}]*)\}$/);
    if (whole) return skip(whole[1]) ? s : lookup(context, whole[1].trim(), s);
    return s.replace(PLACEHOLDER, (raw, escaped: string, expr: string) => {
      if (escaped) return options.only ? raw : raw.slice(1);
      if (skip(expr)) return raw;
      const v = lookup(context, expr.trim(), raw);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }) as T;
}

function lookup(context: Record<string, unknown>, expr: string, raw: string): unknown {
  let cur: unknown = context;
  for (const key of expr.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(key in cur)) {
      throw new PlaceholderError(`${raw} refers to "${expr}", which is not known here`);
    }
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function walkStrings(value: unknown, fn: (s: string) => void): void {
  if (typeof value === 'string') fn(value);
  else if (Array.isArray(value)) value.forEach((v) => walkStrings(v, fn));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => walkStrings(v, fn));
}

function mapStrings(value: unknown, fn: (s: string) => unknown): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  }
  return value;
}

import { CORE_SCHEMA, load } from 'js-yaml';
import { isRemote, placeholderPath } from './descriptor-files.ts';
import type { FieldError } from './entity.ts';

/**
 * Backstage's descriptor placeholders: a mapping with the single key `$text`, `$json` or `$yaml` is
 * replaced by the file it names, read as text, parsed as JSON or parsed as YAML. Paths are relative
 * to the descriptor's own file. Nothing remote is fetched here (no network from the catalog), so a
 * URL is refused and the message says what to do instead.
 *
 * `read` is handed in: the CLI sends the files it found next to the descriptors, and the server
 * looks only among those, never on its own disk.
 */
export type PlaceholderReader = (path: string) => string | undefined;

const kinds = ['$text', '$json', '$yaml'] as const;

export function resolvePlaceholders(value: unknown, file: string, read: PlaceholderReader): { value: unknown; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const walk = (v: unknown, field: string): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${field}[${i}]`));
    if (!v || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && (kinds as readonly string[]).includes(keys[0])) {
      const kind = keys[0] as (typeof kinds)[number];
      const target = (v as Record<string, unknown>)[kind];
      const where = field || '(document)';
      if (typeof target !== 'string' || !target) {
        errors.push({ field: where, message: `${kind} must name a file next to the descriptor, e.g. ${kind}: ./openapi.yaml` });
        return v;
      }
      if (isRemote(target)) {
        errors.push({ field: where, message: `${kind}: ${target} is remote and is not fetched: copy the file next to the descriptor and write ${kind}: ./${target.split('/').pop() || 'file'}` });
        return v;
      }
      const path = placeholderPath(file, target);
      const text = path === null ? undefined : read(path);
      if (text === undefined) {
        errors.push({ field: where, message: path === null ? `${kind}: ${target} must be relative to ${file}` : `${kind}: ${target}: no such file next to ${file}` });
        return v;
      }
      if (kind === '$text') return text;
      try {
        return kind === '$json' ? JSON.parse(text) : load(text, { schema: CORE_SCHEMA, filename: path! });
      } catch (e) {
        errors.push({ field: where, message: `${kind}: ${target} is not valid ${kind === '$json' ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}` });
        return v;
      }
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = walk((v as Record<string, unknown>)[k], field ? `${field}.${k}` : k);
    return out;
  };
  const resolved = walk(value, '');
  return { value: resolved, errors };
}

/** Whether a text may hold placeholders at all: most descriptors do not, and skip the walk. */
export const mayHavePlaceholders = (text: string) => /\$(text|json|yaml)\b/.test(text);

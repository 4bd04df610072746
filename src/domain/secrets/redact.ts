import type { Json } from '../resource/json.ts';

const secretKey = /pass(word)?|secret|token|credential|private/i;

/** Every secret-looking string in outputs/state: values under secret-named keys, and passwords inside URLs. */
export function secretValues(...objects: Record<string, Json>[]): string[] {
  const out = new Set<string>();
  const visit = (v: Json, key: string) => {
    if (typeof v === 'string') {
      if (secretKey.test(key) && v.length >= 4) out.add(v);
      const m = v.match(/^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@\s]+)@/i);
      if (m) {
        out.add(m[1]);
        try {
          out.add(decodeURIComponent(m[1]));
        } catch {
          /* not percent-encoded */
        }
      }
      const token = v.match(/[?&]token=([^&\s]+)/);
      if (token) out.add(token[1]);
    } else if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => visit(x, k));
  };
  objects.forEach((o) => visit(o, ''));
  return [...out];
}

/** Replaces each secret in a message meant for logs, events or errors. */
export function redact(message: string, secrets: string[]): string {
  let m = message;
  for (const s of secrets.sort((a, b) => b.length - a.length)) m = m.split(s).join('***');
  // Credentials in any URL we did not know about.
  return m.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1***@');
}

/**
 * What the CLI needs to know about descriptor files without parsing them (it loads no YAML parser,
 * so that it starts fast): the shape of a per-document error and its wording, the files that
 * placeholders name, and how paths relative to a descriptor are joined. Plain TypeScript, no imports.
 */
import type { FieldError } from './entity.ts';

/** A problem in one document of one file: enough to find and fix it without guessing. */
export interface DocumentError {
  file: string;
  document: number; // 1-based: the first document of the file is document 1; 0 when the whole file is refused
  line: number | null;
  entity: string | null; // kind and name, when the document got that far
  errors: FieldError[];
}

export function formatDocumentError(e: DocumentError): string {
  const where = `${e.file}${e.document ? ` document ${e.document}` : ''}${e.line ? ` (line ${e.line})` : ''}${e.entity ? ` ${e.entity}` : ''}`;
  return `${where}: ${e.errors.map((x) => `${x.field}: ${x.message}`).join('; ')}`;
}

/** `http:`, `https:` and `url:` targets: nothing remote is fetched here. */
export const isRemote = (target: string) => /^(https?|url):/i.test(target);

/** A target with glob characters (Location targets may be globs). */
export const isGlob = (target: string) => /[*?[{]/.test(target);

/** The file a placeholder names, as a path relative to the same root as `file` (posix, normalised); null when absolute. */
export function placeholderPath(file: string, target: string): string | null {
  if (target.startsWith('/') || /^[a-z]:[\\/]/i.test(target)) return null;
  return joinRelative(dirOf(file), target);
}

/**
 * The files the placeholders (`$text`, `$json`, `$yaml`) of a descriptor file name, found without
 * parsing it, so that the CLI can send them along. A few extra matches are harmless.
 */
export function placeholderTargets(file: string, text: string): string[] {
  if (!/\$(text|json|yaml)\b/.test(text)) return [];
  const out = new Set<string>();
  for (const m of text.matchAll(/\$(?:text|json|yaml)["']?\s*:\s*["']?([^"'\s,}\]#]+)/g)) {
    if (isRemote(m[1])) continue;
    const path = placeholderPath(file, m[1]);
    if (path) out.add(path);
  }
  return [...out];
}

export const dirOf = (file: string) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '');

/** Joins and normalises posix paths (no node:path: the domain has no I/O dependencies). */
export function joinRelative(dir: string, target: string): string {
  const parts: string[] = [];
  for (const p of `${dir}/${target}`.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

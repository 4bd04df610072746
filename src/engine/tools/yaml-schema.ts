import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { lineOf } from '../paths/yaml-lines.ts';

/** One problem in a governance file (registry.yaml, quotas.yaml), with its line, said so that a person can fix it. */
export interface FileError {
  file: string;
  line: number | null;
  field: string | null;
  message: string;
}

export const formatFileError = (e: FileError): string =>
  `${e.file}${e.line ? `:${e.line}` : ''}: ${e.field ? `${e.field}: ` : ''}${e.message}`;

/** A governance file of the policy folders: the last folder holding it wins (an organisation's replaces the shipped one). */
export function governanceFileIn(dirs: readonly string[], name: string): string {
  return dirs.map((d) => join(d, name)).findLast((f) => existsSync(f)) ?? join(dirs.at(-1) ?? 'policies', name);
}

/** A YAML file checked against a zod schema; every problem comes back with the line of its field. */
export function parseYamlWithSchema<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
): { value: z.infer<S>; doc: Document; line: (p: (string | number)[]) => number | null } | { errors: FileError[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    return { errors: doc.errors.map((e) => ({ file, line: lc.linePos(e.pos[0]).line, field: null, message: `not valid YAML: ${e.message.split('\n')[0]}` })) };
  }
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) return { errors: parsed.error.issues.map((i) => issueToError(i, doc, lc, file)) };
  return { value: parsed.data, doc, line: (p) => lineOf(doc, lc, p) };
}

function issueToError(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter, file: string): FileError {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) message = `is required (${issue.expected})`;
  if (issue.code === 'invalid_key') message = `"${String(path.at(-1))}" is not a valid name: ${issue.issues[0]?.message ?? message}`;
  const keyPath = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]] : path;
  return { file, line: lineOf(doc, lc, keyPath), field: path.length ? path.join('.') : null, message };
}

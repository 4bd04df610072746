import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
export { formatDocumentError, type DocumentError } from './descriptor-files.ts';
import { validateEntity, type FieldError, type ValidEntity } from './entity.ts';
import type { DocumentError } from './descriptor-files.ts';
import { mayHavePlaceholders, resolvePlaceholders, type PlaceholderReader } from './placeholders.ts';

export interface ParsedEntity extends ValidEntity {
  file: string;
  document: number;
  line: number;
}

export interface ParsedFile {
  entities: ParsedEntity[];
  errors: DocumentError[];
}

/** One YAML document of a file, with the line it starts on (1-based). */
interface RawDocument {
  text: string;
  line: number;
}

/**
 * Splits a multi-document file at its `---` lines. Each document is then parsed on its own, which
 * gives every entity the line it starts on; a `---` cannot start a line inside a descriptor's values
 * (block scalars are indented under their key). Slices of the text, not an array of its lines: a
 * file of 5,000 descriptors has ~400,000 lines.
 */
function splitDocuments(text: string): RawDocument[] {
  const docs: RawDocument[] = [];
  const marker = /^(---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  let line = 1; // the line `at` is on
  let at = 0;
  const lineAt = (pos: number) => {
    for (let i = text.indexOf('\n', at); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) line++;
    at = pos;
    return line;
  };
  // The stream's first document exists without a `---` only if it has content.
  let start = 0;
  let startLine = 1;
  let explicit = false;
  const flush = (end: number) => {
    const body = text.slice(start, end);
    if (explicit || hasContent(body)) docs.push({ text: explicit ? `   ${body}` : body, line: startLine });
  };
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    flush(m.index);
    const l = lineAt(m.index);
    explicit = m[1] === '---';
    // Content after `--- ` belongs to the document it opens; the marker becomes spaces so columns stay.
    start = explicit ? m.index + 3 : text.indexOf('\n', m.index) + 1 || text.length;
    startLine = explicit ? l : l + 1;
  }
  flush(text.length);
  return docs;
}

/** A line with something other than spaces, comments and directives (`%YAML`). */
const hasContent = (text: string) => /^[ \t]*[^\s#%]/m.test(text);

/** One document's outcome: a valid entity, or an error; `refused` when the file does not parse. */
export type DocumentResult = { entity: ParsedEntity } | { error: DocumentError; refused: boolean };

/**
 * Parses and validates a multi-document file one document at a time, so that a caller can write and
 * forget as it goes (a file of 5,000 datasets is ~80 MB as objects). Empty documents (a trailing
 * `---`) are skipped, as Backstage does. A YAML syntax error ends the file with `refused: true`: the
 * caller discards what the file gave before it (see parseCatalogFile). Placeholders (`$text`,
 * `$json`, `$yaml`) are resolved through `read` (see placeholders.ts).
 */
export function* parseDocuments(file: string, text: string, read: PlaceholderReader = () => undefined): Generator<DocumentResult> {
  const placeholders = mayHavePlaceholders(text);
  let document = 0;
  for (const doc of splitDocuments(text)) {
    document++;
    if (!hasContent(doc.text)) continue; // an empty document (a trailing `---`) is skipped, as Backstage does
    let raw: unknown;
    try {
      raw = load(doc.text, { schema: CORE_SCHEMA });
    } catch (e) {
      if (!(e instanceof YAMLException)) throw e;
      const line = e.mark ? doc.line + e.mark.line : doc.line;
      yield { error: { file, document, line, entity: null, errors: [{ field: '(yaml)', message: `${e.reason}: nothing in this file was imported` }] }, refused: true };
      return;
    }
    if (raw === null || raw === undefined) continue;
    const line = firstContentLine(doc);
    let value: unknown = raw;
    const errors: FieldError[] = [];
    if (placeholders) {
      const r = resolvePlaceholders(raw, file, read);
      value = r.value;
      errors.push(...r.errors);
    }
    const result = errors.length ? null : validateEntity(value);
    if (result?.ok) {
      yield { entity: { ...result, file, document, line } };
    } else {
      const v = raw as { kind?: unknown; metadata?: { name?: unknown } };
      const entity = typeof v?.kind === 'string' && typeof v.metadata?.name === 'string' ? `${v.kind} ${v.metadata.name}` : null;
      yield { error: { file, document, line, entity, errors: result ? result.errors : errors }, refused: false };
    }
  }
}

/**
 * Parses a multi-document `catalog-info.yaml` and validates each document: every bad document is
 * reported, not just the first, and the file's valid entities are kept beside them. A YAML syntax
 * error refuses the whole file (one error, with its line): the rest of a file that does not parse
 * cannot be trusted.
 */
export function parseCatalogFile(file: string, text: string, read: PlaceholderReader = () => undefined): ParsedFile {
  const out: ParsedFile = { entities: [], errors: [] };
  for (const r of parseDocuments(file, text, read)) {
    if ('entity' in r) out.entities.push(r.entity);
    else if (r.refused) return { entities: [], errors: [r.error] };
    else out.errors.push(r.error);
  }
  return out;
}

function firstContentLine(doc: RawDocument): number {
  const m = /^[ \t]*[^\s#%]/m.exec(doc.text);
  if (!m) return doc.line;
  let lines = 0;
  for (let i = doc.text.indexOf('\n'); i !== -1 && i < m.index; i = doc.text.indexOf('\n', i + 1)) lines++;
  return doc.line + lines;
}

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
 * (block scalars are indented under their key).
 */
function splitDocuments(text: string): RawDocument[] {
  const docs: RawDocument[] = [];
  let lines: string[] = [];
  let line = 1;
  let explicit = false;
  // The stream's first document exists without a `---` only if it has content.
  const flush = () => {
    if (explicit || lines.some(hasContent)) docs.push({ text: lines.join('\n'), line });
  };
  text.split('\n').forEach((l, i) => {
    if (/^---(\s|$)/.test(l)) {
      flush();
      // Content after `--- ` belongs to the document it opens; the marker becomes spaces so columns stay.
      [lines, line, explicit] = [[`   ${l.slice(3)}`], i + 1, true];
    } else if (/^\.\.\.(\s|$)/.test(l)) {
      flush();
      [lines, line, explicit] = [[], i + 2, false];
    } else lines.push(l.startsWith('%') ? '' : l); // directives (%YAML) only matter to the parser's version
  });
  flush();
  return docs;
}

const hasContent = (l: string) => /^\s*[^\s#]/.test(l);

/**
 * Parses a multi-document `catalog-info.yaml` and validates each document. Empty documents (a
 * trailing `---`) are skipped, as Backstage does; every bad document is reported, not just the
 * first, and the file's valid entities are kept beside them. A YAML syntax error refuses the whole
 * file (one error, with its line): the rest of a file that does not parse cannot be trusted.
 * Placeholders (`$text`, `$json`, `$yaml`) are resolved through `read` (see placeholders.ts).
 */
export function parseCatalogFile(file: string, text: string, read: PlaceholderReader = () => undefined): ParsedFile {
  const out: ParsedFile = { entities: [], errors: [] };
  const values: { value: unknown; document: number; line: number }[] = [];
  let document = 0;
  for (const doc of splitDocuments(text)) {
    document++;
    if (!doc.text.split('\n').some(hasContent)) continue; // an empty document (a trailing `---`) is skipped, as Backstage does
    try {
      values.push({ value: load(doc.text, { schema: CORE_SCHEMA }), document, line: firstContentLine(doc) });
    } catch (e) {
      if (!(e instanceof YAMLException)) throw e;
      const line = e.mark ? doc.line + e.mark.line : doc.line;
      return { entities: [], errors: [{ file, document, line, entity: null, errors: [{ field: '(yaml)', message: `${e.reason}: nothing in this file was imported` }] }] };
    }
  }
  const placeholders = mayHavePlaceholders(text);
  for (const { value: raw, document, line } of values) {
    if (raw === null || raw === undefined) continue;
    let value: unknown = raw;
    const errors: FieldError[] = [];
    if (placeholders) {
      const r = resolvePlaceholders(raw, file, read);
      value = r.value;
      errors.push(...r.errors);
    }
    const result = errors.length ? null : validateEntity(value);
    if (result?.ok) {
      out.entities.push({ ...result, file, document, line });
    } else {
      const v = raw as { kind?: unknown; metadata?: { name?: unknown } };
      const entity = typeof v?.kind === 'string' && typeof v.metadata?.name === 'string' ? `${v.kind} ${v.metadata.name}` : null;
      out.errors.push({ file, document, line, entity, errors: result ? result.errors : errors });
    }
  }
  return out;
}

function firstContentLine(doc: RawDocument): number {
  const i = doc.text.split('\n').findIndex(hasContent);
  return doc.line + Math.max(0, i);
}

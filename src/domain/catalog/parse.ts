import { parseAllDocuments } from 'yaml';
import { validateEntity, type FieldError, type ValidEntity } from './entity.ts';

/** A problem in one document of one file: enough to find and fix it without guessing. */
export interface DocumentError {
  file: string;
  document: number; // 1-based: the first document of the file is document 1
  line: number | null;
  entity: string | null; // kind and name, when the document got that far
  errors: FieldError[];
}

export interface ParsedFile {
  entities: (ValidEntity & { file: string; document: number })[];
  errors: DocumentError[];
}

/**
 * Parses a multi-document `catalog-info.yaml` and validates each document. Empty documents (a
 * trailing `---`) are skipped, as Backstage does; every bad document is reported, not just the first.
 */
export function parseCatalogFile(file: string, text: string): ParsedFile {
  const out: ParsedFile = { entities: [], errors: [] };
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  let index = 0;
  for (const doc of list) {
    index++;
    const line = lineOf(text, doc.range?.[0]);
    if (doc.errors.length) {
      const e = doc.errors[0];
      out.errors.push({ file, document: index, line: e.linePos?.[0]?.line ?? line, entity: null, errors: [{ field: '(yaml)', message: e.message.split('\n')[0] }] });
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const result = validateEntity(value);
    if (result.ok) {
      out.entities.push({ ...result, file, document: index });
    } else {
      const v = value as { kind?: unknown; metadata?: { name?: unknown } };
      const entity = typeof v.kind === 'string' && typeof v.metadata?.name === 'string' ? `${v.kind} ${v.metadata.name}` : null;
      out.errors.push({ file, document: index, line, entity, errors: result.errors });
    }
  }
  return out;
}

function lineOf(text: string, offset: number | undefined): number | null {
  if (offset === undefined) return null;
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function formatDocumentError(e: DocumentError): string {
  const where = `${e.file} document ${e.document}${e.line ? ` (line ${e.line})` : ''}${e.entity ? ` ${e.entity}` : ''}`;
  return `${where}: ${e.errors.map((x) => `${x.field}: ${x.message}`).join('; ')}`;
}

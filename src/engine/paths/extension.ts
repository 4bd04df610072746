import { Document, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { checkExtension, Extension, isEmptyExtension, lockedMessage, mergeExtension } from '../../domain/golden-path/extension.ts';
import { provisioningWaves, resourceNodes, GraphError } from '../../domain/golden-path/graph.ts';
import { placeholdersIn } from '../../domain/golden-path/placeholders.ts';
import type { GoldenPath } from '../../domain/golden-path/schema.ts';
import type { ResourceTypes } from '../../domain/resource/driver-contract.ts';
import { issueToErrors, type PathFileError } from './loader.ts';
import { forEachString, placeholderExplainer } from './placeholder-check.ts';
import { lineOf } from './yaml-lines.ts';

export interface CheckedExtension {
  extension: Extension;
  /** The path as launched: its resources and the extension's, the extension's variables in their env. */
  merged: GoldenPath;
}

/**
 * Reads an extension (YAML text, from a file or a repository's goldpath.yaml, or an object from
 * the API) and checks it against the path: the schema, the path's rules, the drivers' params and
 * every placeholder against the merged path, exactly as the path loader checks a path. Each
 * problem names the file, the line (for text) and the rule.
 */
export function readExtension(input: unknown, path: GoldenPath, types: ResourceTypes, file = 'extension'): CheckedExtension | { errors: PathFileError[] } {
  const lineCounter = new LineCounter();
  let doc: Document;
  let text = '';
  if (typeof input === 'string') {
    text = input;
    doc = parseDocument(text, { lineCounter, prettyErrors: false });
    if (doc.errors.length > 0) {
      return { errors: doc.errors.map((e) => ({ file, line: e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line, field: null, message: `not valid YAML: ${e.message.split('\n')[0]}` })) };
    }
  } else {
    doc = new Document(input); // an object from the API: fields, but no lines
  }
  // The line of the key a problem is about (where a person looks), else of the deepest node there.
  const at = (p: (string | number)[]) => keyLine(doc, lineCounter, p) ?? lineOf(doc, lineCounter, p);
  const raw = doc.toJS() as unknown;
  // A locked path refuses before anything else is looked at: there is nothing to fix in the file.
  if (!path.spec.extensionRules) return { errors: [{ file, line: null, field: null, message: lockedMessage(path) }] };
  const parsed = Extension.safeParse(raw ?? {});
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.flatMap((i) => issueToErrors(i, doc, lineCounter, file).map((e) => {
        const keyPath = i.code === 'unrecognized_keys' ? [...i.path, i.keys[0]] : i.path;
        return { ...e, line: (text && keyLine(doc, lineCounter, keyPath.map((k) => (typeof k === 'symbol' ? String(k) : k)))) || e.line };
      })),
    };
  }
  const extension = parsed.data;
  const errors: PathFileError[] = checkExtension(path, extension, types)
    .map((p) => ({ file, line: p.field.length ? at(p.field) : null, field: p.field.length ? p.field.join('.') : null, message: p.message }));
  if (errors.length) return { errors };

  const merged = mergeExtension(path, extension);
  const explainInPath = placeholderExplainer(merged, types);
  // ${path.dir} names the path's folder on the platform's host: the path's own files, never a user's to point at.
  const explain: typeof explainInPath = (self, ref) =>
    ref.scope === 'path' ? `an extension cannot use \${path.…}: it names files of the platform, for the path's own resources` : explainInPath(self, ref);
  const report = (self: string, node: unknown, fallback: unknown, field: (string | number)[]) => {
    const check = (value: string, lineOfRef: (raw: string) => number | null) => {
      for (const ref of placeholdersIn(value)) {
        const problem = explain(self, ref);
        const line = lineOfRef(ref.raw);
        if (problem) errors.push({ file, line, field: line === null ? field.join('.') : null, message: `${ref.raw}: ${problem}` });
      }
    };
    if (text) {
      // The placeholder's own line, also inside a multi-line block scalar.
      forEachString(node, (value, start, end) => check(value, (raw) => lineCounter.linePos(start + Math.max(text.slice(start, end).indexOf(raw), 0)).line));
    } else {
      forEachPlainString(fallback, (value) => check(value, () => null));
    }
  };
  for (const [id, r] of Object.entries(extension.resources)) report(id, doc.getIn(['resources', id, 'params'], true), r.params, ['resources', id, 'params']);
  for (const [id, vars] of Object.entries(extension.env)) report(id, doc.getIn(['env', id], true), vars, ['env', id]);
  if (errors.length) return { errors };
  try {
    provisioningWaves(resourceNodes(merged.spec.resources));
  } catch (e) {
    if (!(e instanceof GraphError)) throw e;
    return { errors: [{ file, line: at(['resources']), field: 'resources', message: e.message }] };
  }
  return { extension, merged };
}

/** An extension that adds nothing is no extension: launches and pushes treat it as absent. */
export const addsNothing = isEmptyExtension;

function keyLine(doc: Document, lc: LineCounter, path: (string | number)[]): number | null {
  if (path.length === 0) return null;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return null;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
  const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
  return range ? lc.linePos(range[0]).line : null;
}

function forEachPlainString(value: unknown, fn: (s: string) => void): void {
  if (typeof value === 'string') fn(value);
  else if (Array.isArray(value)) value.forEach((v) => forEachPlainString(v, fn));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => forEachPlainString(v, fn));
}

import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { GoldenPath } from '../../domain/golden-path/schema.ts';
import { provisioningWaves, resourceNodes, GraphError } from '../../domain/golden-path/graph.ts';
import type { ResourceTypes } from '../../domain/resource/driver-contract.ts';
import { compileParameters } from './parameters.ts';
import { checkPlaceholders, checkResourceParams } from './placeholder-check.ts';
import { lineOf } from './yaml-lines.ts';

export interface LoadedPath {
  path: GoldenPath;
  file: string;
  dir: string;
  /** The file as errors name it and the line of a field, for checks made after loading (the tool check). */
  source?: { shown: string; line(field: (string | number)[]): number | null };
}

/** One problem in one golden path file, said so that a person can fix it. */
export interface PathFileError {
  file: string;
  line: number | null;
  field: string | null;
  message: string;
}

export const formatPathError = (e: PathFileError): string =>
  `${e.file}${e.line ? `:${e.line}` : ''}: ${e.field ? `${e.field}: ` : ''}${e.message}`;

export interface LoadResult {
  paths: LoadedPath[];
  errors: PathFileError[];
}

/**
 * Reads every `*.yaml`/`*.yml` file (one level of sub-folders too) of each directory. Later
 * directories override earlier ones by path name, so an organisation can replace a built-in path.
 * An invalid file is reported and skipped; the valid ones still load.
 */
export async function loadGoldenPaths(dirs: string[], types: ResourceTypes): Promise<LoadResult> {
  const byName = new Map<string, LoadedPath>();
  const errors: PathFileError[] = [];
  for (const dir of dirs) {
    for (const file of await yamlFiles(dir)) {
      const text = await readFile(file, 'utf8');
      const rel = relative(process.cwd(), file);
      const shown = rel && !rel.startsWith('..') ? rel : file;
      const result = parseGoldenPath(text, shown, types);
      if ('errors' in result) errors.push(...result.errors);
      else byName.set(result.path.metadata.name, { path: result.path, file, dir: join(file, '..'), source: result.source });
    }
  }
  return { paths: [...byName.values()].sort((a, b) => a.path.metadata.name.localeCompare(b.path.metadata.name)), errors };
}

async function yamlFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(full);
    else if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'skeletons') {
      const inner = await readdir(full, { withFileTypes: true });
      for (const f of inner) if (f.isFile() && /\.ya?ml$/.test(f.name)) out.push(join(full, f.name));
    }
  }
  return out.sort();
}

export function parseGoldenPath(
  text: string,
  file: string,
  types: ResourceTypes,
): { path: GoldenPath; source: NonNullable<LoadedPath['source']> } | { errors: PathFileError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      errors: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line,
        field: null,
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  const parsed = GoldenPath.safeParse(doc.toJS());
  if (!parsed.success) {
    return { errors: parsed.error.issues.flatMap((i) => issueToErrors(i, doc, lineCounter, file)) };
  }
  const path = parsed.data;
  const errors: PathFileError[] = [];
  const at = (p: (string | number)[], message: string) =>
    errors.push({ file, line: lineOf(doc, lineCounter, p), field: p.join('.'), message });
  for (const [id, r] of Object.entries(path.spec.resources)) {
    if (!types.has(r.type)) {
      at(['spec', 'resources', id, 'type'], `unknown resource type "${r.type}"; known types: ${[...types.keys()].join(', ')}`);
    }
  }
  errors.push(...checkExtensionRules(path, types).map(([p, message]) => ({ file, line: lineOf(doc, lineCounter, p), field: p.join('.'), message })));
  const source = { file, text, doc, lineCounter };
  const badReferences = checkPlaceholders(path, types, source);
  errors.push(...checkResourceParams(path, types, source), ...badReferences);
  try {
    provisioningWaves(resourceNodes(path.spec.resources));
  } catch (e) {
    if (!(e instanceof GraphError)) throw e;
    // A placeholder to an unknown or later resource is already reported on its own line.
    if (badReferences.length === 0) at(['spec', 'resources'], e.message);
  }
  try {
    compileParameters(path.spec.parameters);
  } catch (e) {
    at(['spec', 'parameters'], `not a valid JSON Schema: ${(e as Error).message}`);
  }
  return errors.length ? { errors } : { path, source: { shown: file, line: (p) => lineOf(doc, lineCounter, p) } };
}

/** The rules of an extensible path name what exists: resource types with a driver, its parameters and resources. */
function checkExtensionRules(path: GoldenPath, types: ResourceTypes): [(string | number)[], string][] {
  const rules = path.spec.extensionRules;
  if (!rules) return [];
  const at = ['spec', 'extensible'];
  const params = Object.keys(path.spec.parameters.properties ?? {});
  const problems: [(string | number)[], string][] = [];
  for (const t of Object.keys(rules.resources)) {
    if (!types.has(t)) problems.push([[...at, 'resources', t], `unknown resource type "${t}"; known types: ${[...types.keys()].join(', ')}`]);
  }
  rules.parameters.forEach((p, i) => {
    if (!params.includes(p)) problems.push([[...at, 'parameters', i], `the path has no parameter ${p}; its parameters are ${params.join(', ') || 'none'}`]);
  });
  rules.env.forEach((id, i) => {
    const r = path.spec.resources[id];
    if (!r) problems.push([[...at, 'env', i], `the path has no resource ${id}; its resources are ${Object.keys(path.spec.resources).join(', ')}`]);
    else if (types.has(r.type) && !Object.keys(types.get(r.type)!.params.properties ?? {}).includes('env')) {
      problems.push([[...at, 'env', i], `resource ${id} (${r.type}) takes no env param, so no variables can be added to it`]);
    }
  });
  return problems;
}

/**
 * A union's failure (e.g. `extensible`: false or rules) is reported as the failure of the branch
 * the value was meant for: the one whose problems are not just "not this type".
 */
export function issueToErrors(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter, file: string): PathFileError[] {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const meant = issue.errors.filter((branch) => !(branch.length === 1 && branch[0].code === 'invalid_type' && branch[0].path.length === 0));
    if (meant.length === 1) return meant[0].flatMap((i) => issueToErrors({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue, doc, lc, file));
  }
  return [issueToError(issue, doc, lc, file)];
}

function issueToError(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter, file: string): PathFileError {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) message = `is required (${issue.expected})`;
  const keyPath = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]] : path;
  return { file, line: lineOf(doc, lc, keyPath), field: path.length ? path.join('.') : null, message };
}

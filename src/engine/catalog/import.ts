import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type pg from 'pg';
import { parseCatalogFile, formatDocumentError, type DocumentError, type ParsedFile } from '../../domain/catalog/parse.ts';
import { PlatformError } from '../errors.ts';
import { writeEntities, type WriteResult } from './store.ts';

/**
 * Reading `catalog-info.yaml` files: one file, or every .yaml/.yml file under a directory, plus the
 * files that Location entities point at (`target: ./other/catalog-info.yaml`). In a directory, a
 * YAML file that is not a descriptor at all (an openapi.yaml beside catalog-info.yaml) is skipped.
 */
export interface CatalogRead extends ParsedFile {
  files: string[];
  skipped: string[];
}

const isYaml = (f: string) => /\.ya?ml$/i.test(f);
const skipDirs = new Set(['node_modules', '.git']);

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (d.isDirectory() && !skipDirs.has(d.name) && !d.name.startsWith('.')) out.push(...(await walk(join(dir, d.name))));
    else if (d.isFile() && isYaml(d.name)) out.push(join(dir, d.name));
  }
  return out;
}

const looksLikeDescriptors = (text: string) => /^(apiVersion|kind)\s*:/m.test(text);

export async function readCatalogPath(path: string): Promise<CatalogRead> {
  const root = resolve(path);
  const info = await stat(root).catch(() => {
    throw new PlatformError(400, 'not_found', `${path}: no such file or directory`);
  });
  const base = info.isDirectory() ? root : dirname(root);
  // File names in messages are relative to what the person named: no machine paths in reports.
  const label = (f: string) => (info.isDirectory() ? join(basename(root), relative(root, f)) : relative(base, f) || basename(f)).split(sep).join('/');
  const out: CatalogRead = { entities: [], errors: [], files: [], skipped: [] };
  const queue: { file: string; explicit: boolean; from?: { error: DocumentError } }[] = info.isDirectory()
    ? (await walk(root)).map((file) => ({ file, explicit: false }))
    : [{ file: root, explicit: true }];
  const seen = new Set(queue.map((q) => q.file));
  while (queue.length) {
    const { file, explicit, from } = queue.shift()!;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      if (from) out.errors.push(from.error);
      continue;
    }
    if (!explicit && !from && !looksLikeDescriptors(text)) {
      out.skipped.push(label(file));
      continue;
    }
    const parsed = parseCatalogFile(label(file), text);
    out.files.push(label(file));
    out.errors.push(...parsed.errors);
    out.entities.push(...parsed.entities);
    for (const e of parsed.entities) {
      if (e.entity.kind !== 'Location') continue;
      const spec = e.entity.spec as { type?: string; target?: string; targets?: string[]; presence?: string };
      if (spec.type && spec.type !== 'file') continue; // url targets are read by the repository source, not from disk
      for (const t of [spec.target, ...(spec.targets ?? [])]) {
        if (!t || /^[a-z]+:\/\//i.test(t)) continue;
        const target = resolve(dirname(file), t);
        if (seen.has(target)) continue;
        seen.add(target);
        const error: DocumentError = { file: e.file, document: e.document, line: null, entity: `Location ${e.entity.metadata.name}`,
          errors: [{ field: 'spec.target', message: `${t}: no such file next to ${e.file}` }] };
        queue.push({ file: target, explicit: true, from: spec.presence === 'optional' ? undefined : { error } });
      }
    }
  }
  const refs = new Map<string, string>();
  for (const e of out.entities) {
    const other = refs.get(e.ref);
    if (other) out.errors.push({ file: e.file, document: e.document, line: null, entity: `${e.entity.kind} ${e.entity.metadata.name}`, errors: [{ field: 'metadata.name', message: `${e.ref} is already defined in ${other}` }] });
    else refs.set(e.ref, `${e.file} document ${e.document}`);
  }
  return out;
}

/** A 400 listing every bad document; used when any document of an import is bad. */
export function importError(errors: DocumentError[]): PlatformError {
  const lines = errors.map(formatDocumentError);
  return new PlatformError(400, 'invalid_catalog_files', `${errors.length} bad document(s), nothing was imported:\n${lines.join('\n')}`,
    errors.flatMap((e) => e.errors.map((x) => ({ field: `${e.file}#${e.document}.${x.field}`, message: x.message }))));
}

/**
 * Imports a file or directory as one source (by default `file:<name>`), replacing what that source
 * registered before. Any bad document means nothing is written.
 */
export async function importCatalogPath(pool: pg.Pool, path: string, opts: { source?: string; replace?: boolean } = {}): Promise<WriteResult & { files: string[]; skipped: string[] }> {
  const read = await readCatalogPath(path);
  if (read.errors.length) throw importError(read.errors);
  const result = await writeEntities(pool, opts.source ?? `file:${basename(resolve(path))}`, read.entities, { replace: opts.replace ?? true });
  return { ...result, files: read.files, skipped: read.skipped };
}

import { readFileSync } from 'node:fs';
import { glob, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type pg from 'pg';
import { locationTargets } from '../../domain/catalog/locations.ts';
import { parseCatalogFile, formatDocumentError, type DocumentError, type ParsedFile } from '../../domain/catalog/parse.ts';
import { PlatformError } from '../errors.ts';
import { writeEntities, type WriteResult } from './store.ts';

/**
 * The platform's own configured folder of descriptors (`file:catalog-dir`), read from its disk. A
 * person's import goes through the CLI and import sessions (import-session.ts) instead.
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
  const labelBase = info.isDirectory() ? dirname(root) : base;
  const label = (f: string) => relative(labelBase, f).split(sep).join('/');
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
    // Placeholders ($text, $json, $yaml) name files next to the descriptor, on this same disk.
    const parsed = parseCatalogFile(label(file), text, (p) => {
      try {
        return readFileSync(resolve(labelBase, p), 'utf8');
      } catch {
        return undefined;
      }
    });
    out.files.push(label(file));
    out.errors.push(...parsed.errors);
    out.entities.push(...parsed.entities);
    for (const e of parsed.entities) {
      const loc = locationTargets(e);
      if (!loc) continue;
      for (const t of loc.targets) {
        const pattern = resolve(labelBase, t);
        const matches = [pattern];
        if (/[*?[{]/.test(t)) {
          matches.length = 0;
          for await (const m of glob(pattern)) matches.push(m);
          matches.sort();
        }
        if (matches.length === 0 && !loc.optional) {
          out.errors.push({ file: e.file, document: e.document, line: e.line, entity: loc.entity, errors: [{ field: 'spec.target', message: `${t}: nothing matches next to ${e.file}` }] });
        }
        for (const target of matches) {
          if (seen.has(target)) continue; // a cycle, or a file read already
          seen.add(target);
          const error: DocumentError = { file: e.file, document: e.document, line: e.line, entity: loc.entity,
            errors: [{ field: 'spec.target', message: `${t}: no such file next to ${e.file}` }] };
          queue.push({ file: target, explicit: true, from: loc.optional ? undefined : { error } });
        }
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

import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatDocumentError } from '../../domain/catalog/parse.ts';
import { readCatalogPath } from '../../engine/catalog/import.ts';
import { CliError, type ApiClient } from '../client.ts';
import { bold, dim, red, table } from '../format.ts';

const print = (s: string) => process.stdout.write(s + '\n');

interface Item {
  ref: string;
  kind: string;
  metadata: { name: string; title?: string; description?: string };
  spec?: { type?: string; owner?: string };
}
interface Page {
  items: Item[];
  totalCount: number;
  nextCursor: string | null;
  facets: Record<string, { value: string; count: number }[]> | null;
}
interface Relation {
  type: string;
  targetRef: string;
  target: { title: string | null; exists: boolean };
}

/** Accepts `kind:namespace/name`, `kind:name` (default namespace); the kind is needed for the URL. */
function refPath(ref: string): string {
  const m = ref.trim().match(/^([^:/]+):(?:([^:/]+)\/)?([^:/]+)$/);
  if (!m) throw new CliError(`"${ref}" is not an entity reference: write kind:namespace/name, e.g. component:default/payments-service (search with \`goldpath catalog search\`)`);
  return [m[1], m[2] ?? 'default', m[3]].map(encodeURIComponent).join('/');
}

export async function searchCatalog(client: ApiClient, text: string, opts: { kind?: string; type?: string; tag?: string; owner?: string; limit?: string; json?: boolean }): Promise<number> {
  const q = new URLSearchParams({ q: text, limit: opts.limit ?? '20' });
  if (opts.kind) q.set('kind', opts.kind);
  if (opts.type) q.set('spec.type', opts.type);
  if (opts.tag) q.set('metadata.tags', opts.tag);
  if (opts.owner) q.set('owner', opts.owner);
  const page = await client.request<Page>('GET', `/api/v1/catalog/entities?${q}`);
  if (opts.json) {
    print(JSON.stringify(page, null, 2));
    return 0;
  }
  if (page.items.length === 0) {
    print(`nothing in the catalog matches "${text}"`);
    return 0;
  }
  print(table(page.items.map((i) => ({ ref: i.ref, title: i.metadata.title ?? '', type: i.spec?.type ?? '', owner: i.spec?.owner ?? '' })), ['ref', 'title', 'type', 'owner']));
  const kinds = page.facets?.kind.map((k) => `${k.value} ${k.count}`).join(', ');
  print(dim(`\n${page.items.length} of ${page.totalCount}${kinds ? ` (${kinds})` : ''}; \`goldpath catalog get <ref>\` shows one`));
  return 0;
}

export async function getCatalogEntity(client: ApiClient, ref: string, opts: { json?: boolean }): Promise<number> {
  const e = await client.request<Item & { source: string; relations: Relation[]; metadata: { tags?: string[] } }>('GET', `/api/v1/catalog/entities/by-ref/${refPath(ref)}`);
  if (opts.json) {
    print(JSON.stringify(e, null, 2));
    return 0;
  }
  print(`${bold(e.metadata.title ?? e.metadata.name)}  ${dim(e.ref)}`);
  if (e.metadata.description) print(`  ${e.metadata.description}`);
  print(`  kind ${e.kind}${e.spec?.type ? ` · type ${e.spec.type}` : ''}${e.spec?.owner ? ` · owner ${e.spec.owner}` : ''} · source ${e.source}`);
  if (e.metadata.tags?.length) print(`  tags ${e.metadata.tags.join(', ')}`);
  const columns = (e.spec as { columns?: { name: string; type: string; classification?: string | null; description?: string | null }[] } | undefined)?.columns;
  if (columns?.length) {
    print('\n' + table(columns.map((c) => ({ column: c.name, type: c.type, classification: c.classification ?? '', description: c.description ?? '' })), ['column', 'type', 'classification', 'description']));
  }
  if (e.relations.length) {
    print('');
    for (const r of e.relations) print(`  ${r.type.padEnd(15)} ${r.targetRef}${r.target.title ? dim(`  ${r.target.title}`) : ''}${r.target.exists ? '' : dim('  (not in the catalog)')}`);
  }
  return 0;
}

export async function importCatalog(client: ApiClient, path: string, opts: { source?: string; json?: boolean }): Promise<number> {
  // Read and checked here, so every bad document is listed at once and nothing is sent.
  const read = await readCatalogPath(path).catch((e: Error) => {
    throw new CliError(e.message);
  });
  if (read.errors.length) {
    if (opts.json) print(JSON.stringify({ imported: false, errors: read.errors }, null, 2));
    else {
      for (const e of read.errors) process.stderr.write(red(formatDocumentError(e)) + '\n');
    }
    throw new CliError(`${read.errors.length} bad document(s): nothing was imported`);
  }
  if (read.entities.length === 0) throw new CliError(`no catalog descriptors in ${path} (looked for .yaml/.yml files with apiVersion and kind)`);
  const source = opts.source ?? `import:${basename(resolve(path)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`;
  const result = await client.request<{ source: string; written: number; unchanged: number; removed: string[] }>('POST', '/api/v1/catalog/entities', {
    entities: read.entities.map((e) => e.entity), source, replace: true,
  });
  if (opts.json) print(JSON.stringify({ imported: true, files: read.files, skipped: read.skipped, ...result }, null, 2));
  else {
    print(`imported ${read.entities.length} entities from ${read.files.length} file(s) as source ${result.source}: ${result.written} written, ${result.unchanged} unchanged, ${result.removed.length} removed`);
    for (const r of result.removed) print(dim(`  removed ${r} (no longer in these files)`));
    if (read.skipped.length) print(dim(`  skipped (not descriptors): ${read.skipped.join(', ')}`));
  }
  return 0;
}

/** `goldpath catalog search|get|import`; each prints a table, or JSON with --json. */
export function registerCatalogCommands(program: Command, connect: () => ApiClient): void {
  // Failures throw CliError, which main.ts prints and turns into exit status 1.
  const run = <A extends unknown[]>(fn: (...args: A) => Promise<number>) => async (...args: A) => {
    await fn(...args);
  };
  const catalog = program.command('catalog').description('the catalog: services, APIs, datasets, features, models, paths, environments, teams');
  catalog.command('search <text>').description('search the catalog, best match first')
    .option('--kind <kinds>', 'only these kinds, e.g. Dataset,Model')
    .option('--type <type>', 'only this spec.type, e.g. service')
    .option('--tag <tag>', 'only entities with this tag')
    .option('--owner <owner>', 'only entities owned by this group (or user:name)')
    .option('--limit <n>', 'how many (default 20)')
    .option('--json', 'machine-readable output')
    .action(run((text: string, opts: { kind?: string; type?: string; tag?: string; owner?: string; limit?: string; json?: boolean }) => searchCatalog(connect(), text, opts)));
  catalog.command('get <ref>').description('show one entity (kind:namespace/name) with its relations')
    .option('--json', 'machine-readable output')
    .action(run((ref: string, opts: { json?: boolean }) => getCatalogEntity(connect(), ref, opts)));
  catalog.command('import <file-or-dir>').description('import catalog-info.yaml files; re-importing replaces what the last import of the same source registered')
    .option('--source <name>', 'name of this import (default import:<file or folder name>)')
    .option('--json', 'machine-readable output')
    .action(run((path: string, opts: { source?: string; json?: boolean }) => importCatalog(connect(), path, opts)));
}

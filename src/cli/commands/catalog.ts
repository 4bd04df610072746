import { CliError, type ApiClient } from '../client.ts';
import { bold, dim, table } from '../format.ts';
import { print, printJson } from '../output.ts';

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
    printJson(page);
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
    printJson(e);
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

import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type pg from 'pg';
import { canonicalKind } from '../domain/catalog/kinds.ts';
import { formatEntityRef } from '../domain/catalog/ref.ts';
import { PlatformError } from '../engine/errors.ts';
import { facetsFor, getEntity, listEntities, MAX_LIMIT, type EntityFilter } from '../engine/catalog/query.ts';
import { deleteEntity, upsertEntities, type CatalogChange } from '../engine/catalog/store.ts';
import { abandonImport, commitImport, importChunk, startImport } from '../engine/catalog/import-session.ts';
import type { Context } from 'hono';
import { guard } from './authorize.ts';
import { ErrorSchema, json, type Env } from './openapi.ts';
import { MB, type BodyLimit } from './request-guards.ts';

/**
 * Asks the policy engine about every entity a write touches (an entity belongs to its owner and its
 * source); the first refusal refuses the whole write. The audit trail keeps one decision for the
 * request: the refusal, or the write as allowed.
 *
 * An import asks about up to thousands of entities per request, and a decision costs ~0.1–1 ms. When
 * no policy names a catalog entity by its ref (`CatalogEntity::"…"`), entities with the same owner and
 * source look the same to every policy, so one decision per (action, owner, source) answers for all
 * of them, exactly.
 */
const catalogWriteGuard = (c: Context<Env>, source: string) => (changes: CatalogChange[]) => {
  const may = guard(c);
  const policies = new Set<string>();
  const byRef = c.get('policy').policies.some((p) => p.text.includes('CatalogEntity::"'));
  const asked = new Set<string>();
  for (const ch of changes) {
    const key = `${ch.action}\0${ch.owner}\0${ch.source}`;
    if (!byRef && asked.has(key)) continue;
    asked.add(key);
    for (const p of may(ch.action, { type: 'CatalogEntity', ref: ch.ref, owner: ch.owner, source: ch.source }, { source }).policies) policies.add(p);
  }
  const last = c.get('decision');
  if (last && changes.length > 1) c.set('decision', { ...last, resource: `CatalogSource::${JSON.stringify(source)}`, message: `${changes.length} changes allowed`, policies: [...policies] });
};

// The shared error body, with a description saying what went wrong on each route.
const err = (description: string) => json(ErrorSchema, description);

// Repeatable query parameters arrive as one string or several; commas also separate values.
const list = (description: string, example?: string) =>
  z.union([z.string(), z.array(z.string())]).optional()
    .transform((v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)))
    .openapi({ description, example });

const FilterQuery = z.object({
  kind: list('Kinds, e.g. Component,API (case-insensitive)', 'Dataset'),
  'spec.type': list('spec.type values, e.g. service', 'service'),
  'metadata.tags': list('Tags; an entity matches if it has any of them', 'java'),
  owner: list('Owners as refs; a bare name is a group', 'payments'),
  lifecycle: list('spec.lifecycle values', 'production'),
  namespace: list('Namespaces', 'default'),
  relation: list('<relationType>:<entity ref>, e.g. dependsOn:resource:default/orders-db', 'ownedBy:group:default/payments'),
  source: list('Sources, e.g. api or file:acme', 'api'),
  q: z.string().max(200, 'keep the search under 200 characters').optional().openapi({ description: 'Words to search for; ranked: exact name, exact title, name, title, tags and column names, description', example: 'churn' }),
});
const ListQuery = FilterQuery.extend({
  cursor: z.string().optional().openapi({ description: 'nextCursor of the previous page' }),
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1, `must be between 1 and ${MAX_LIMIT}`).max(MAX_LIMIT, `must be between 1 and ${MAX_LIMIT}`).optional().openapi({ example: 20 }),
  fields: list('Fields to return, dotted, e.g. ref,kind,metadata.name,metadata.title', 'ref,kind,metadata.name'),
  facets: z.enum(['true', 'false']).optional().openapi({ description: 'Include facet counts (default true)' }),
});

const toFilter = (q: z.infer<typeof FilterQuery>): EntityFilter => ({
  kind: q.kind, type: q['spec.type'], tag: q['metadata.tags'], owner: q.owner, lifecycle: q.lifecycle, namespace: q.namespace, relation: q.relation, source: q.source,
});

const FacetValue = z.object({ value: z.string(), count: z.number() });
const Facets = z.object({ kind: z.array(FacetValue), type: z.array(FacetValue), owner: z.array(FacetValue), lifecycle: z.array(FacetValue), namespace: z.array(FacetValue), tag: z.array(FacetValue) });
const Entity = z.looseObject({ ref: z.string(), source: z.string(), apiVersion: z.string(), kind: z.string(), metadata: z.record(z.string(), z.unknown()), spec: z.record(z.string(), z.unknown()).optional() })
  .openapi('CatalogEntity');
const Relation = z.object({
  type: z.string(), targetRef: z.string(),
  target: z.object({ kind: z.string().nullable(), namespace: z.string(), name: z.string(), title: z.string().nullable(), exists: z.boolean() }),
});
const RefParams = z.object({
  kind: z.string().openapi({ param: { name: 'kind', in: 'path' }, example: 'component' }),
  namespace: z.string().openapi({ param: { name: 'namespace', in: 'path' }, example: 'default' }),
  name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'payments-service' }),
});
const SourceName = z.string().regex(/^[a-z0-9][a-z0-9._:-]{0,80}$/, 'must be lower-case letters, digits, ".", "_", ":" or "-"');
const UpsertBody = z.object({
  entities: z.array(z.unknown()).min(1, 'send at least one entity').max(10_000, 'send at most 10,000 entities per request'),
  source: SourceName.optional()
    .openapi({ description: 'Names a sub-source, stored as api:<source>; without it the source is api' }),
  replace: z.boolean().optional().openapi({ description: 'Make the source hold exactly these entities: the ones it held before and no longer lists are removed' }),
});

function refFromParams(p: z.infer<typeof RefParams>): string {
  const kind = canonicalKind(p.kind);
  if (!kind) throw new PlatformError(404, 'entity_not_found', `no kind "${p.kind}" in the catalog`);
  return formatEntityRef({ kind, namespace: p.namespace, name: p.name });
}

const isApiSource = (s: string) => s === 'api' || s.startsWith('api:');

/** The bulk upsert takes up to 10,000 descriptors per request and an import chunk a few MB of files, far more than the API's default body limit. */
export const catalogBodyLimits: Record<string, BodyLimit> = {
  'POST /api/v1/catalog/entities': { maxBytes: 64 * MB, hint: 'send fewer or smaller descriptors per request' },
  'POST /api/v1/catalog/imports/chunks': { maxBytes: 64 * MB, hint: 'send fewer files per chunk (the CLI sends about 4 MB)' },
};

const SentFile = z.object({
  path: z.string().min(1).max(1000).openapi({ description: 'The file\'s path relative to what was imported (posix), used in messages and to resolve placeholders and Location targets', example: 'catalog/payments/catalog-info.yaml' }),
  text: z.string(),
});
const DocumentErrorSchema = z.object({
  file: z.string(), document: z.number().openapi({ description: '1-based; 0 when the whole file is refused' }), line: z.number().nullable(), entity: z.string().nullable(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
});
const LocationSchema = z.object({
  file: z.string(), document: z.number(), line: z.number(), entity: z.string(),
  targets: z.array(z.string()).openapi({ description: 'Files or globs, relative to the same root as the files sent: the client reads and sends them in a later chunk' }),
  optional: z.boolean(), skipped: z.array(z.object({ target: z.string(), reason: z.string() })),
});
const ImportId = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'imp_x1y2' }) });

/** The catalog's HTTP API: handlers translate HTTP to engine calls and nothing more. */
/**
 * `facetSample` (tests only) lowers the number of matches beyond which a search's facets count only its best-tiered matches;
 * `countExact` (tests only) the number beyond which a search's total is an estimate.
 */
export function registerCatalogRoutes(app: OpenAPIHono<Env>, deps: { pool: pg.Pool; facetSample?: number; countExact?: number }): void {
  const security = [{ token: [] }];
  app.openapi(createRoute({ method: 'get', path: '/api/v1/catalog/entities', security, tags: ['catalog'],
    summary: 'List, filter and search catalog entities',
    request: { query: ListQuery },
    responses: { 200: json(z.object({
      items: z.array(Entity), facets: Facets.nullable(), nextCursor: z.string().nullable(),
      totalCount: z.number().openapi({ description: 'The number of matches: exact, unless totalCountIsEstimate is true' }),
      totalCountIsEstimate: z.literal(true).optional().openapi({ description: 'Present when a search (q=) without filters has more matches than it counts exactly (1,000): totalCount is then an estimate (two significant digits, never below the matches counted); show it as "about N"' }),
      facetsOverTop: z.number().optional().openapi({ description: 'Present when a search (q=) has more matches than this: its facets count only this many best-ranked matches (by tier), not every match', example: 1000 }),
    }), 'A page of entities, facet counts for the match, and the cursor of the next page'), 400: err('Bad filter or cursor') } }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listEntities(deps.pool, { ...toFilter(q), q: q.q, cursor: q.cursor, limit: q.limit, fields: q.fields, facets: q.facets !== 'false', facetSample: deps.facetSample, countExact: deps.countExact });
      return c.json(page as never, 200);
    });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/catalog/facets', security, tags: ['catalog'],
    summary: 'Facet counts (kind, type, owner, lifecycle, namespace, tag) for a filter',
    request: { query: FilterQuery },
    responses: { 200: json(z.object({ facets: Facets }), 'Counts of the matching entities per value'), 400: err('Bad filter') } }),
    async (c) => {
      const q = c.req.valid('query');
      if (!q.q) return c.json({ facets: await facetsFor(deps.pool, toFilter(q)) }, 200);
      // With words, exactly the list's match (words, else similar names).
      const page = await listEntities(deps.pool, { ...toFilter(q), q: q.q, limit: 1, fields: ['ref'], facetSample: deps.facetSample });
      return c.json({ facets: page.facets! }, 200);
    });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/catalog/entities/by-ref/{kind}/{namespace}/{name}', security, tags: ['catalog'],
    summary: 'One entity with its relations resolved',
    request: { params: RefParams },
    responses: { 200: json(Entity.extend({ relations: z.array(Relation) }), 'The entity and its relations, both directions'), 404: err('No such entity') } }),
    async (c) => {
      const ref = refFromParams(c.req.valid('param'));
      const entity = await getEntity(deps.pool, ref);
      if (!entity) throw new PlatformError(404, 'entity_not_found', `no entity ${ref} in the catalog; search with GET /api/v1/catalog/entities?q=${encodeURIComponent(c.req.valid('param').name)}`);
      return c.json(entity as never, 200);
    });

  app.openapi(createRoute({ method: 'post', path: '/api/v1/catalog/entities', security, tags: ['catalog'],
    summary: 'Bulk upsert of entity descriptors (source api)',
    request: { body: { required: true, content: { 'application/json': { schema: UpsertBody } } } },
    responses: {
      200: json(z.object({ source: z.string(), written: z.number(), unchanged: z.number(), removed: z.array(z.string()) }), 'Written; nothing is written when any descriptor is bad'),
      400: err('A descriptor is bad: details name the item and field'), 409: err('An entity belongs to another source'),
    } }),
    async (c) => {
      const body = c.req.valid('json');
      const source = body.source ? `api:${body.source}` : 'api';
      const { written, unchanged, removed } = await upsertEntities(deps.pool, source, body.entities, { replace: body.replace, authorize: catalogWriteGuard(c, source) });
      return c.json({ source, written, unchanged, removed }, 200);
    });

  app.openapi(createRoute({ method: 'post', path: '/api/v1/catalog/imports', security, tags: ['catalog'],
    summary: 'Start an import of descriptor files (any number, sent in chunks)',
    request: { body: { required: true, content: { 'application/json': { schema: z.object({
      source: SourceName.optional().openapi({ description: 'Names a sub-source, stored as api:<source>; without it the source is api', example: 'import:catalog' }),
    }) } } } },
    responses: { 200: json(z.object({ id: z.string(), source: z.string(), expiresAt: z.string() }), 'The import; send its files to /api/v1/catalog/imports/chunks, then commit it') } }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await startImport(deps.pool, body.source ? `api:${body.source}` : 'api', c.get('user').id), 200);
    });

  app.openapi(createRoute({ method: 'post', path: '/api/v1/catalog/imports/chunks', security, tags: ['catalog'],
    summary: 'Send descriptor files of an import: parsed and checked here, their valid entities written now',
    request: { body: { required: true, content: { 'application/json': { schema: z.object({
      import: z.string().openapi({ description: 'The id from POST /api/v1/catalog/imports' }),
      files: z.array(SentFile).max(100_000).openapi({ description: 'Descriptor files (multi-document YAML)' }),
      attachments: z.array(SentFile).max(100_000).optional().openapi({ description: 'Files that the descriptors\' $text, $json and $yaml placeholders name; nothing else is read' }),
    }) } } } },
    responses: {
      200: json(z.object({ files: z.number(), entities: z.number(), written: z.number(), unchanged: z.number(), errors: z.array(DocumentErrorSchema), locations: z.array(LocationSchema) }),
        'The chunk\'s valid entities are written; each bad document or refused file is listed with file, document, line and field'),
      404: err('No such import in progress'),
    } }),
    async (c) => {
      const body = c.req.valid('json');
      const user = c.get('user').id;
      // The source is the session's: the guard learns it from the engine through the changes it is asked about.
      const result = await importChunk(deps.pool, body.import, user, body.files, body.attachments ?? [], (changes) => {
        if (changes.length) catalogWriteGuard(c, changes[0].source)(changes);
      });
      return c.json(result, 200);
    });

  app.openapi(createRoute({ method: 'post', path: '/api/v1/catalog/imports/{id}/commit', security, tags: ['catalog'],
    summary: 'Finish an import: the source now holds exactly what the import named',
    request: { params: ImportId },
    responses: {
      200: json(z.object({ source: z.string(), entities: z.number(), removed: z.array(z.string()), kept: z.number().openapi({ description: 'Entities no longer named but kept, because some documents of the import were bad' }) }),
        'Entities the source held before and the import no longer named are removed, unless a document was bad'),
      404: err('No such import in progress'),
    } }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await commitImport(deps.pool, id, c.get('user').id, (changes) => {
        if (changes.length) catalogWriteGuard(c, changes[0].source)(changes);
      }), 200);
    });

  app.openapi(createRoute({ method: 'delete', path: '/api/v1/catalog/imports/{id}', security, tags: ['catalog'],
    summary: 'Abandon an import: what its chunks wrote stays, nothing is removed',
    request: { params: ImportId },
    responses: { 204: { description: 'Forgotten' } } }),
    async (c) => {
      await abandonImport(deps.pool, c.req.valid('param').id, c.get('user').id);
      return c.body(null, 204);
    });

  app.openapi(createRoute({ method: 'delete', path: '/api/v1/catalog/entities/by-ref/{kind}/{namespace}/{name}', security, tags: ['catalog'],
    summary: 'Remove an entity registered through the API',
    request: { params: RefParams },
    responses: { 204: { description: 'Removed, with its relations' }, 404: err('No such entity'), 409: err('Registered by another source (a file, a repository or the platform): remove it there') } }),
    async (c) => {
      await deleteEntity(deps.pool, refFromParams(c.req.valid('param')), isApiSource, (ch) => {
        guard(c)(ch.action, { type: 'CatalogEntity', ref: ch.ref, owner: ch.owner, source: ch.source }, { source: ch.source.startsWith('api') ? ch.source : 'api' });
      });
      return c.body(null, 204);
    });
}

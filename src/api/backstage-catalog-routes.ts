import type { Context } from 'hono';
import type pg from 'pg';
import { PlatformError } from '../engine/errors.ts';
import { badFilter, parseFilter } from '../engine/catalog/backstage-filter.ts';
import { entitiesByRefs, entityByName, entityFacets, listAll, MAX_QUERY_LIMIT, queryEntities, type OrderField } from '../engine/catalog/backstage-query.ts';
import type { Api, Env } from './openapi.ts';
import { requireToken } from './session-routes.ts';

/**
 * Backstage's own catalog read API at /api/catalog, so that Backstage tooling (the catalog client,
 * plugins, scripts) reads Goldpath's catalog unchanged: point its discovery at <goldpath>/api/catalog
 * and send a Goldpath token. Plain routes in Backstage's shapes (not in Goldpath's OpenAPI document,
 * which describes /api/v1). Like the catalog's /api/v1 reads, any signed-in user may read.
 */

const BASE = '/api/catalog';

/** Backstage's error body, so its client reports the message: `{ error: { name, message }, request, response }`. */
const errorNames: Record<number, string> = { 400: 'InputError', 401: 'AuthenticationError', 403: 'NotAllowedError', 404: 'NotFoundError', 409: 'ConflictError' };
function backstageError(c: Context, status: number, message: string) {
  return c.json({ error: { name: errorNames[status] ?? 'Error', message }, request: { method: c.req.method, url: c.req.path }, response: { statusCode: status } }, status as 400);
}

/** Runs a handler; a PlatformError (bad input, missing entity) answers in Backstage's error shape. */
const handle = (fn: (c: Context<Env>) => Promise<Response>) => async (c: Context<Env>) => {
  try {
    return await fn(c);
  } catch (e) {
    if (e instanceof PlatformError && e.status < 500) return backstageError(c, e.status, e.message);
    throw e;
  }
};

/** A parameter given as `a,b` and/or repeated: its values, in order, empty ones dropped. */
const listParam = (c: Context, name: string) => (c.req.queries(name) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

function intParam(c: Context, name: string, max: number): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw badFilter(name, `must be a whole number from 0 to ${max}`);
  return n;
}

/** `orderField=metadata.name,asc` (by-query) or `order=asc:metadata.name` (GET /entities), repeatable. */
function orderParams(c: Context): OrderField[] | undefined {
  const byQuery = (c.req.queries('orderField') ?? []).map((v) => {
    const [field, order = 'asc'] = v.split(',').map((x) => x.trim());
    if (!field || (order !== 'asc' && order !== 'desc')) throw badFilter('orderField', `"${v}": write field,asc or field,desc, e.g. metadata.name,asc`);
    return { field, order } as OrderField;
  });
  const legacy = (c.req.queries('order') ?? []).map((v) => {
    const cut = v.indexOf(':');
    const order = v.slice(0, cut);
    const field = v.slice(cut + 1).trim();
    if (cut < 0 || !field || (order !== 'asc' && order !== 'desc')) throw badFilter('order', `"${v}": write asc:field or desc:field, e.g. asc:metadata.name`);
    return { field, order } as OrderField;
  });
  const all = [...byQuery, ...legacy];
  return all.length ? all : undefined;
}

export function registerBackstageCatalogRoutes(app: Api, deps: { pool: pg.Pool }): void {
  app.use(`${BASE}/*`, requireToken(deps.pool));

  app.get(`${BASE}/entities/by-query`, handle(async (c) => {
    const fields = listParam(c, 'fields');
    const limit = intParam(c, 'limit', MAX_QUERY_LIMIT);
    const cursor = c.req.query('cursor');
    if (cursor) return c.json(await queryEntities(deps.pool, { cursor, limit, fields }));
    const term = c.req.query('fullTextFilterTerm')?.trim();
    return c.json(await queryEntities(deps.pool, {
      filter: parseFilter(c.req.queries('filter') ?? []),
      fields,
      limit,
      offset: intParam(c, 'offset', Number.MAX_SAFE_INTEGER),
      orderFields: orderParams(c),
      fullTextFilter: term ? { term, fields: listParam(c, 'fullTextFilterFields') } : undefined,
    }));
  }));

  app.get(`${BASE}/entities`, handle(async (c) => {
    if (c.req.query('after') !== undefined) throw badFilter('after', 'is not supported here; page with GET /api/catalog/entities/by-query and its cursors');
    const chunks = listAll(deps.pool, {
      filter: parseFilter(c.req.queries('filter') ?? []),
      fields: listParam(c, 'fields'),
      limit: intParam(c, 'limit', Number.MAX_SAFE_INTEGER),
      offset: intParam(c, 'offset', Number.MAX_SAFE_INTEGER),
      orderFields: orderParams(c),
    });
    // The first chunk before answering, so that bad input is still a 400; the rest streams as it is read.
    const first = await chunks.next();
    const encoder = new TextEncoder();
    let sent = 0;
    const piece = (items: Record<string, unknown>[]) => encoder.encode(items.map((e) => (sent++ ? ',' : '') + JSON.stringify(e)).join(''));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('['));
        if (first.done) {
          controller.enqueue(encoder.encode(']'));
          controller.close();
        } else controller.enqueue(piece(first.value));
      },
      async pull(controller) {
        if (first.done) return;
        const next = await chunks.next();
        if (next.done) {
          controller.enqueue(encoder.encode(']'));
          controller.close();
        } else controller.enqueue(piece(next.value));
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    return c.body(body, 200, { 'content-type': 'application/json' });
  }));

  app.get(`${BASE}/entities/by-name/:kind/:namespace/:name`, handle(async (c) => {
    const { kind, namespace, name } = c.req.param();
    const entity = await entityByName(deps.pool, kind, namespace, name);
    if (!entity) throw new PlatformError(404, 'entity_not_found', `No entity named '${kind}:${namespace}/${name}' found`);
    return c.json(entity);
  }));

  app.post(`${BASE}/entities/by-refs`, handle(async (c) => {
    const body = await c.req.json().catch(() => undefined) as { entityRefs?: unknown; fields?: unknown } | undefined;
    const refs = body?.entityRefs;
    if (!Array.isArray(refs) || !refs.every((r) => typeof r === 'string')) throw badFilter('entityRefs', 'send a JSON body {"entityRefs": ["component:default/payments-api", …]}');
    if (refs.length > 10_000) throw badFilter('entityRefs', 'send at most 10,000 refs per request');
    const fields = body!.fields;
    if (fields !== undefined && (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string'))) throw badFilter('fields', 'must be a list of field paths, e.g. ["kind", "metadata.name"]');
    const items = await entitiesByRefs(deps.pool, refs as string[], { fields: fields as string[] | undefined, filter: parseFilter(c.req.queries('filter') ?? []) });
    return c.json({ items });
  }));

  app.get(`${BASE}/entity-facets`, handle(async (c) => {
    const facets = c.req.queries('facet') ?? [];
    if (!facets.length) throw badFilter('facet', 'name at least one facet, e.g. facet=kind&facet=spec.type');
    return c.json({ facets: await entityFacets(deps.pool, facets, parseFilter(c.req.queries('filter') ?? [])) });
  }));
}

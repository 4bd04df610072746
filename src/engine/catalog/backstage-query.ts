import { createHash } from 'node:crypto';
import type { Entity } from '../../domain/catalog/entity.ts';
import { canonicalKind } from '../../domain/catalog/kinds.ts';
import { EntityRefError, normalizeEntityRef } from '../../domain/catalog/ref.ts';
import { badFilter, compileFilter, fieldExpression, kindsOf, relationTypeOf, type BackstageFilter, type FilterSet } from './backstage-filter.ts';
import { selectFields } from './query.ts';
import { cachedRead } from './read-cache.ts';
import type { Queryable } from './store.ts';

/**
 * Catalog reads in Backstage's shapes, for Backstage's own catalog API (`/api/catalog`): entities as
 * Backstage gives them (with `metadata.uid`, `metadata.etag` and `relations`), cursor pages with a
 * total, entities by ref in the order asked, and facets of any field.
 */

export type BackstageEntity = Entity & { metadata: Entity['metadata'] & { uid: string; etag: string }; relations?: { type: string; targetRef: string }[] };

export interface OrderField {
  field: string;
  order: 'asc' | 'desc';
}
export interface FullTextFilter {
  term: string;
  fields?: string[];
}

export interface EntityQuery {
  filter: BackstageFilter;
  orderFields?: OrderField[];
  fullTextFilter?: FullTextFilter;
  fields?: string[];
  limit?: number;
  offset?: number;
}

/** What a cursor carries: the query, where the page ends, which way, and the total counted once. */
interface Cursor {
  q: Omit<EntityQuery, 'limit' | 'offset' | 'fields'>;
  /** The sort value and ref of the item the next page starts after (or the previous one ends before). */
  at: [string, string];
  prev: boolean;
  total: number;
}

export interface QueryPage {
  items: Record<string, unknown>[];
  totalItems: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

export const DEFAULT_LIMIT = 20;
export const MAX_QUERY_LIMIT = 10_000;

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(cursor: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (validCursor(c)) return c;
  } catch { /* reported below */ }
  throw badFilter('cursor', 'is not a cursor this API gave out: pass pageInfo.nextCursor or prevCursor unchanged');
}

const isString = (x: unknown): x is string => typeof x === 'string';
/** A cursor's every part is checked: it comes back from the client, and is compiled into SQL (as parameters). */
function validCursor(c: Cursor): boolean {
  if (!c || typeof c !== 'object' || !Array.isArray(c.at) || c.at.length !== 2 || !c.at.every(isString) || typeof c.total !== 'number' || typeof c.prev !== 'boolean') return false;
  const { filter, orderFields, fullTextFilter } = c.q ?? {};
  const conditionOk = (x: { key?: unknown; values?: unknown }) => x && isString(x.key) && (x.values === null || (Array.isArray(x.values) && x.values.every(isString)));
  return Array.isArray(filter) && filter.every((set) => Array.isArray(set) && set.every(conditionOk))
    && (orderFields === undefined || (Array.isArray(orderFields) && orderFields.every((o) => o && isString(o.field) && (o.order === 'asc' || o.order === 'desc'))))
    && (fullTextFilter === undefined || (fullTextFilter && isString(fullTextFilter.term) && (fullTextFilter.fields === undefined || (Array.isArray(fullTextFilter.fields) && fullTextFilter.fields.every(isString)))));
}

/** Backstage's `metadata.uid` for a Goldpath entity: stable, derived from its ref (`md5(ref)::uuid` in SQL). */
export const uidOf = (ref: string) => {
  const h = createHash('md5').update(ref).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

type Row = { ref: string; entity: Entity; hash: string; sortv: string };

/** Fields asked for that need the relations (none asked: the whole entity, relations included). */
const wantsRelations = (fields?: string[]) => !fields?.length || fields.some((f) => f === 'relations' || f.startsWith('relations.'));

/** Rows as Backstage entities, with their relations when wanted, then cut to `fields`. */
async function toEntities(db: Queryable, rows: Row[], fields?: string[]): Promise<Record<string, unknown>[]> {
  const relations = new Map<string, { type: string; targetRef: string }[]>();
  if (rows.length && wantsRelations(fields)) {
    const { rows: rels } = await db.query<{ source_ref: string; type: string; target_ref: string }>(
      'SELECT DISTINCT source_ref, type, target_ref FROM catalog_relations WHERE source_ref = ANY($1::text[]) ORDER BY 1, 2, 3', [rows.map((r) => r.ref)]);
    for (const r of rels) {
      let list = relations.get(r.source_ref);
      if (!list) relations.set(r.source_ref, (list = []));
      list.push({ type: r.type, targetRef: r.target_ref });
    }
  }
  return rows.map((r) => {
    const e: BackstageEntity = { ...r.entity, metadata: { ...r.entity.metadata, uid: uidOf(r.ref), etag: r.hash }, relations: relations.get(r.ref) ?? [] };
    return fields?.length ? selectFields(e as unknown as Record<string, unknown>, fields) : (e as unknown as Record<string, unknown>);
  });
}

/** The full-text filter as SQL: the term as a case-insensitive substring of any of the fields. */
function fullTextSql(t: FullTextFilter | undefined, order: OrderField | undefined, params: unknown[]): string {
  const term = t?.term?.trim();
  if (!term) return 'true';
  // Backstage matches the sort field when no fields are given; with neither, the name and the title.
  const fields = t!.fields?.length ? t!.fields : order ? [order.field] : ['metadata.name', 'metadata.title'];
  const pattern = `$${params.push(`%${term.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)}`;
  return `(${fields.map((f) => {
    // The name and the title have trigram indexes: ILIKE on the column can use them.
    const key = f.toLowerCase();
    const expr = key === 'metadata.name' ? 'e.name' : key === 'metadata.title' ? 'e.title' : fieldExpression(f, params);
    return `${expr} ILIKE ${pattern}`;
  }).join(' OR ')})`;
}

/** A set that only names kinds and spec.type values: its count is in the facet counts. */
const countable = (set: FilterSet) => set.every((c) => c.values && (c.key === 'kind' || c.key === 'spec.type'));

async function countMatches(db: Queryable, q: Omit<EntityQuery, 'limit' | 'offset' | 'fields'>): Promise<number> {
  if (!q.fullTextFilter?.term?.trim() && q.filter.length <= 1 && countable(q.filter[0] ?? [])) {
    const set = q.filter[0] ?? [];
    const kinds = set.length ? kindsOf(set) : null;
    const types = set.find((c) => c.key === 'spec.type')?.values ?? null;
    const { rows } = await db.query<{ n: string | null }>(
      `SELECT sum(count) AS n FROM catalog_facet_counts WHERE facet = 'kind' AND ($1::text[] IS NULL OR kind = ANY($1::text[]))
         AND ($2::text[] IS NULL OR lower(spec_type) = ANY($2::text[]))`, [kinds, types]);
    return Number(rows[0].n ?? 0);
  }
  const params: unknown[] = [];
  const where = compileFilter(q.filter, params);
  const text = fullTextSql(q.fullTextFilter, q.orderFields?.[0], params);
  const table = where.narrow && text === 'true' ? 'catalog_facts' : 'catalog_entities';
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} e WHERE ${where.sql} AND ${text}`, params);
  return Number(rows[0].n);
}

/**
 * One page of `GET /entities/by-query`: the first (with `limit`, `offset`) or the one a cursor points
 * to. Ordered by the first order field (lower-cased, empty last) then by ref, or by ref; paged by
 * keyset, so a page costs the same wherever it is. The total is counted for the first page and
 * carried in the cursor.
 */
export async function queryEntities(db: Queryable, req: EntityQuery | { cursor: string; limit?: number; fields?: string[] }): Promise<QueryPage> {
  return cachedRead(db, `bs-query\0${JSON.stringify(req)}`, () => queryNow(db, req));
}

async function queryNow(db: Queryable, req: EntityQuery | { cursor: string; limit?: number; fields?: string[] }): Promise<QueryPage> {
  const cursor = 'cursor' in req ? decode(req.cursor) : null;
  const q = cursor ? cursor.q : (req as EntityQuery);
  const limit = Math.min(Math.max(req.limit ?? DEFAULT_LIMIT, 1), MAX_QUERY_LIMIT);
  const order = q.orderFields?.[0];
  const params: unknown[] = [];
  const where = compileFilter(q.filter, params);
  const text = fullTextSql(q.fullTextFilter, order, params);
  const asc = !order || order.order === 'asc';
  // Empty values sort last either way (as Backstage's NULLS LAST); bytewise, so the cursor compares the same.
  const sortv = order ? `coalesce(${fieldExpression(order.field, params)}, ${asc ? `E'\\uffff'` : `''`}) COLLATE "C"` : 'e.ref';
  // Walking backwards (a previous page) reverses the order, then the page is put back in order.
  const forward = !cursor?.prev;
  const dir = asc === forward ? 'ASC' : 'DESC';
  const cmp = asc === forward ? '>' : '<';
  const keyset: string[] = [];
  if (cursor) {
    const [v, ref] = cursor.at;
    const sv = (alias: string) => (order ? `${alias}.sortv` : `${alias}.ref`);
    keyset.push(order ? `(${sv('x')} ${cmp} $${params.push(v)} OR (${sv('x')} = $${params.length} AND x.ref ${cmp} $${params.push(ref)}))` : `x.ref ${cmp} $${params.push(ref)}`);
  }
  const offset = cursor ? 0 : Math.max(0, (req as EntityQuery).offset ?? 0);
  const orderBy = `ORDER BY ${order ? `x.sortv ${dir}, ` : ''}x.ref ${dir} LIMIT ${limit + 1} OFFSET ${offset}`;
  let page: Row[];
  let total: number;
  if (text !== 'true' && q.fullTextFilter!.term.trim().length >= 3) {
    // A substring of three characters or more is found through the trigram indexes: the matches are
    // read once (a walk in ref order would test every entity before them), counted and paged together.
    const { rows } = await db.query<Row & { total: string }>(
      `WITH x AS MATERIALIZED (SELECT e.ref, ${sortv} AS sortv FROM catalog_entities e WHERE ${where.sql} AND ${text})
       SELECT d.ref, d.entity, d.hash, p.sortv, ${cursor ? 'NULL' : '(SELECT count(*) FROM x)'} AS total
       FROM (SELECT x.* FROM x ${keyset.length ? `WHERE ${keyset.join(' AND ')}` : ''} ${orderBy}) p JOIN catalog_entities d ON d.ref = p.ref
       ORDER BY ${order ? `p.sortv ${dir}, ` : ''}p.ref ${dir}`, params);
    page = rows;
    total = cursor ? cursor.total : rows.length ? Number(rows[0].total) : await countMatches(db, q);
  } else {
    const [p, t] = await Promise.all([
      db.query<Row>(`SELECT x.ref, x.entity, x.hash, x.sortv FROM (SELECT e.*, ${sortv} AS sortv FROM catalog_entities e WHERE ${where.sql} AND ${text}) x
        ${keyset.length ? `WHERE ${keyset.join(' AND ')}` : ''} ${orderBy}`, params),
      cursor ? cursor.total : countMatches(db, q),
    ]);
    page = p.rows;
    total = t;
  }
  const more = page.length > limit;
  const rows = page.slice(0, limit);
  if (!forward) rows.reverse();
  const at = (r: Row): [string, string] => [r.sortv, r.ref];
  const base = { q: { filter: q.filter, orderFields: q.orderFields, fullTextFilter: q.fullTextFilter }, total };
  const pageInfo: QueryPage['pageInfo'] = {};
  if (rows.length) {
    // Forward: more after if the walk found more; something before if this page came from a cursor or an offset.
    // Backward: the reverse.
    const after = forward ? more : true;
    const before = forward ? !!cursor || offset > 0 : more;
    if (after) pageInfo.nextCursor = encode({ ...base, at: at(rows[rows.length - 1]), prev: false });
    if (before) pageInfo.prevCursor = encode({ ...base, at: at(rows[0]), prev: true });
  }
  return { items: await toEntities(db, rows, req.fields), totalItems: total, pageInfo };
}

/** How many entities `GET /entities` reads and sends at a time: a whole catalog never sits in memory. */
const LIST_CHUNK = 2000;

/**
 * `GET /entities`: every match (or `limit` of them from `offset`), as a plain list, in chunks: by
 * keyset on ref when ordered by ref, else by offset within the order.
 */
export async function* listAll(db: Queryable, q: EntityQuery, chunk = LIST_CHUNK): AsyncGenerator<Record<string, unknown>[]> {
  const order = q.orderFields ?? [];
  let left = q.limit ?? Infinity;
  let offset = Math.max(0, q.offset ?? 0);
  let after: string | null = null;
  while (left > 0) {
    const params: unknown[] = [];
    const where = compileFilter(q.filter, params);
    const orderSql = [...order.map((o) => `coalesce(${fieldExpression(o.field, params)}, ${o.order === 'asc' ? `E'\\uffff'` : `''`}) COLLATE "C" ${o.order === 'asc' ? 'ASC' : 'DESC'}`), 'e.ref'].join(', ');
    const n = Math.min(left, chunk);
    const keyset: string = after !== null ? `AND e.ref > $${params.push(after)}` : '';
    const { rows }: { rows: Row[] } = await db.query<Row>(`SELECT e.ref, e.entity, e.hash, '' AS sortv FROM catalog_entities e WHERE ${where.sql} ${keyset}
      ORDER BY ${orderSql} LIMIT ${n} OFFSET ${after !== null ? 0 : offset}`, params);
    if (rows.length) yield await toEntities(db, rows, q.fields);
    if (rows.length < n) return;
    left -= rows.length;
    if (order.length) offset += rows.length;
    else after = rows[rows.length - 1].ref;
  }
}

/** A ref as Backstage writes it, canonical; null when it is not a ref. */
function refOrNull(ref: string): string | null {
  try {
    return normalizeEntityRef(ref);
  } catch (e) {
    if (e instanceof EntityRefError) return null;
    throw e;
  }
}

/** `POST /entities/by-refs`: the entities in the order asked, null for one missing (or not matching `filter`). */
export async function entitiesByRefs(db: Queryable, refs: string[], opts: { fields?: string[]; filter?: BackstageFilter } = {}): Promise<(Record<string, unknown> | null)[]> {
  const keys = refs.map(refOrNull);
  const params: unknown[] = [keys.filter((k): k is string => !!k)];
  const where = compileFilter(opts.filter ?? [], params);
  const { rows } = await db.query<Row>(`SELECT e.ref, e.entity, e.hash, '' AS sortv FROM catalog_entities e WHERE e.ref = ANY($1::text[]) AND ${where.sql}`, params);
  const entities = await toEntities(db, rows, opts.fields);
  const byRef = new Map(rows.map((r, i) => [r.ref, entities[i]]));
  return keys.map((k) => (k ? byRef.get(k) ?? null : null));
}

/** `GET /entities/by-name/:kind/:namespace/:name`. */
export async function entityByName(db: Queryable, kind: string, namespace: string, name: string): Promise<Record<string, unknown> | null> {
  const k = canonicalKind(kind);
  if (!k) return null;
  return (await entitiesByRefs(db, [`${k}:${namespace}/${name}`]))[0];
}

/** Facet values with their counts, most frequent first. */
export type FacetCounts = Record<string, { value: string; count: number }[]>;

/** Facets the counts the triggers keep answer, by Backstage key. */
const KEPT: Record<string, string> = { kind: 'kind', 'spec.type': 'type', 'spec.lifecycle': 'lifecycle', 'metadata.namespace': 'namespace', 'metadata.tags': 'tag', 'relations.ownedby': 'owner' };
/** Facets that are a column of the narrow table. */
const COLUMN_FACETS: Record<string, string> = { kind: 'e.kind', 'spec.type': 'e.spec_type', 'spec.lifecycle': 'e.lifecycle', 'metadata.namespace': 'e.namespace', 'relations.ownedby': 'e.owner' };

/** `GET /entity-facets`: for each facet, how many matching entities have each value. */
export async function entityFacets(db: Queryable, facets: string[], filter: BackstageFilter): Promise<FacetCounts> {
  return cachedRead(db, `bs-facets\0${JSON.stringify([facets, filter])}`, async () => {
    const out: FacetCounts = {};
    await Promise.all(facets.map(async (facet) => {
      out[facet] = (await facetValues(db, facet, filter)).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    }));
    return Object.fromEntries(facets.map((f) => [f, out[f]]));
  });
}

async function facetValues(db: Queryable, facet: string, filter: BackstageFilter): Promise<{ value: string; count: number }[]> {
  const key = facet.toLowerCase();
  const rows = async (sql: string, params: unknown[]) => (await db.query<{ value: string; n: string }>(sql, params)).rows.map((r) => ({ value: r.value, count: Number(r.n) }));
  if (KEPT[key] && filter.length <= 1 && countable(filter[0] ?? [])) {
    const set = filter[0] ?? [];
    return rows(`SELECT value, sum(count) AS n FROM catalog_facet_counts WHERE facet = $1 AND ($2::text[] IS NULL OR kind = ANY($2::text[]))
      AND ($3::text[] IS NULL OR lower(spec_type) = ANY($3::text[])) GROUP BY value HAVING sum(count) > 0`,
    [KEPT[key], set.length ? kindsOf(set) : null, set.find((c) => c.key === 'spec.type')?.values ?? null]);
  }
  const params: unknown[] = [];
  const where = compileFilter(filter, params);
  const table = where.narrow ? 'catalog_facts' : 'catalog_entities';
  if (COLUMN_FACETS[key]) {
    return rows(`SELECT ${COLUMN_FACETS[key]} AS value, count(*) AS n FROM ${table} e WHERE ${where.sql} AND ${COLUMN_FACETS[key]} IS NOT NULL GROUP BY 1`, params);
  }
  if (key === 'metadata.tags') {
    return rows(`SELECT t AS value, sum(g.n) AS n FROM (SELECT e.tags, count(*) AS n FROM ${table} e WHERE ${where.sql} GROUP BY 1) g, unnest(g.tags) t GROUP BY 1`, params);
  }
  if (key.startsWith('relations.')) {
    const type = relationTypeOf(key.slice('relations.'.length));
    if (!type) return [];
    return rows(`SELECT r.target_ref AS value, count(DISTINCT e.ref) AS n FROM ${table} e JOIN catalog_relations r ON r.source_ref = e.ref AND r.type = $${params.push(type)}
      WHERE ${where.sql} GROUP BY 1`, params);
  }
  if (key === 'metadata.name' || key === 'metadata.title') {
    return rows(`SELECT e.${key.slice(9)} AS value, count(*) AS n FROM catalog_entities e WHERE ${where.sql} AND e.${key.slice(9)} IS NOT NULL GROUP BY 1`, params);
  }
  // Any other path: its values in the descriptors (a list's items too: jsonpath's lax mode unwraps
  // arrays), as written. This reads every matching descriptor (0.6 s for 100,000 without a filter): kept
  // answers make it once per catalog change.
  if (!/^[A-Za-z0-9_$@-]+(\.[A-Za-z0-9_$@/-]+)*$/.test(facet)) throw badFilter('facet', `"${facet}" is not a field path; write dotted names, e.g. spec.owner`);
  const path = `lax $${facet.split('.').map((part) => `."${part}"`).join('')}[*]`;
  return rows(`SELECT v #>> '{}' AS value, count(DISTINCT e.ref) AS n FROM catalog_entities e, jsonb_path_query(e.entity, $${params.push(path)}::jsonpath) v
    WHERE ${where.sql} AND jsonb_typeof(v) IN ('string', 'number', 'boolean') GROUP BY 1`, params);
}

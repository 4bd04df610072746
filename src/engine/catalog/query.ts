import type { Entity } from '../../domain/catalog/entity.ts';
import { canonicalKind, kindNames } from '../../domain/catalog/kinds.ts';
import { EntityRefError, normalizeEntityRef, parseEntityRef } from '../../domain/catalog/ref.ts';
import { inverseOf, isRelationType, relationTypes } from '../../domain/catalog/relations.ts';
import { PlatformError } from '../errors.ts';
import type { Queryable } from './store.ts';

/** Catalog reads: filtered lists, ranked search, facets, one entity with its relations. */

export interface EntityFilter {
  kind?: string[];
  type?: string[]; // spec.type
  tag?: string[]; // metadata.tags
  owner?: string[]; // refs; a bare name means a group
  lifecycle?: string[];
  namespace?: string[];
  relation?: string[]; // `<type>:<target ref>`, e.g. dependsOn:resource:default/orders-db
  source?: string[];
}

export interface ListOptions extends EntityFilter {
  q?: string;
  cursor?: string;
  limit?: number;
  fields?: string[];
  facets?: boolean;
}

export interface FacetValue {
  value: string;
  count: number;
}
export type Facets = Record<'kind' | 'type' | 'owner' | 'lifecycle' | 'namespace' | 'tag', FacetValue[]>;

export interface EntityList {
  items: Record<string, unknown>[];
  facets: Facets | null;
  nextCursor: string | null;
  totalCount: number;
}

const FACETS = ['kind', 'type', 'owner', 'lifecycle', 'namespace', 'tag'] as const;
const FACET_TOP = 25;
export const MAX_LIMIT = 500;

const bad = (field: string, message: string) => new PlatformError(400, 'invalid_query', `${field}: ${message}`, [{ field, message }]);

/** Turns the filter into SQL conditions on `e`; values are always parameters, never spliced. */
function conditions(f: EntityFilter, params: unknown[]): string[] {
  const where: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.kind?.length) {
    const kinds = f.kind.map((k) => canonicalKind(k) ?? (() => { throw bad('kind', `"${k}" is not a kind; kinds: ${kindNames.join(', ')}`); })());
    where.push(`e.kind = ANY(${p(kinds)}::text[])`);
    // Refs start with the kind: the range lets a walk of the primary key (ORDER BY ref) start at
    // the kind instead of scanning every kind before it (53 ms → under 2 ms at 100,000 entities).
    if (kinds.length === 1) where.push(`e.ref >= ${p(`${kinds[0].toLowerCase()}:`)} AND e.ref < ${p(`${kinds[0].toLowerCase()};`)}`);
  }
  if (f.type?.length) where.push(`e.spec_type = ANY(${p(f.type)}::text[])`);
  if (f.lifecycle?.length) where.push(`e.lifecycle = ANY(${p(f.lifecycle)}::text[])`);
  if (f.namespace?.length) where.push(`e.namespace = ANY(${p(f.namespace)}::text[])`);
  if (f.source?.length) where.push(`e.source = ANY(${p(f.source)}::text[])`);
  if (f.tag?.length) where.push(`e.tags && ${p(f.tag)}::text[]`);
  if (f.owner?.length) {
    const owners = f.owner.map((o) => refOrBad('owner', o, 'group'));
    where.push(`e.owner = ANY(${p(owners)}::text[])`);
  }
  for (const r of f.relation ?? []) {
    const cut = r.indexOf(':');
    const type = cut > 0 ? r.slice(0, cut) : r;
    if (!isRelationType(type)) throw bad('relation', `"${type}" is not a relation; write relation=<type>:<ref> with a type among ${relationTypes.join(', ')}`);
    if (cut < 0) throw bad('relation', `give the other end too: relation=${type}:group:default/payments`);
    const target = refOrBad('relation', r.slice(cut + 1));
    // Stored both ways: "X dependsOn T" is found as T's dependencyOf rows, on the primary key.
    where.push(`e.ref IN (SELECT target_ref FROM catalog_relations WHERE source_ref = ${p(target)} AND type = ${p(inverseOf(type))})`);
  }
  return where;
}

function refOrBad(field: string, ref: string, defaultKind?: string): string {
  try {
    return normalizeEntityRef(ref, { defaultKind });
  } catch (e) {
    if (e instanceof EntityRefError) throw bad(field, e.message);
    throw e;
  }
}

/** Words become prefix terms ANDed together: `cust churn` finds "customer-churn-model". */
export function toTsQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length ? words.slice(0, 16).map((w) => `${w}:*`).join(' & ') : null;
}

const encodeCursor = (c: object) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(cursor: string): { after?: string; offset?: number } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown; offset?: unknown };
    if (typeof c.after === 'string') return { after: c.after };
    if (typeof c.offset === 'number' && Number.isInteger(c.offset) && c.offset >= 0) return { offset: c.offset };
  } catch { /* reported below */ }
  throw bad('cursor', 'is not a cursor this API gave out: pass nextCursor from the previous page unchanged');
}

/** Picks dotted paths (`metadata.name`, `spec.owner`) out of an entity, keeping their nesting. */
export function selectFields(item: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const parts = f.split('.');
    let from: unknown = item;
    for (const part of parts) from = from && typeof from === 'object' ? (from as Record<string, unknown>)[part] : undefined;
    if (from === undefined) continue;
    let to = out;
    for (const part of parts.slice(0, -1)) to = (to[part] ??= {}) as Record<string, unknown>;
    to[parts[parts.length - 1]] = from;
  }
  return out;
}

const onlyKindFilter = (f: EntityFilter) =>
  !f.type?.length && !f.tag?.length && !f.owner?.length && !f.lifecycle?.length && !f.namespace?.length && !f.relation?.length && !f.source?.length;

/**
 * Lists entities. Without `q`: ordered by reference, keyset-paginated (the cursor is the last ref).
 * With `q`: ranked in tiers a person expects (exact name, exact title, name words, title words,
 * keywords such as tags and column names, descriptions), then by closeness; offset-paginated.
 * When no entity matches the words, names are matched by similarity (typos: "paymnets").
 */
export async function listEntities(db: Queryable, opts: ListOptions): Promise<EntityList> {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), MAX_LIMIT);
  const cursor = opts.cursor ? decodeCursor(opts.cursor) : {};
  const q = opts.q?.trim() || undefined;
  const facetsWanted = opts.facets !== false;

  if (!q) {
    const params: unknown[] = [];
    const where = conditions(opts, params);
    const countWhere = [...where];
    const countParams = [...params];
    if (cursor.after !== undefined) where.push(`e.ref > $${params.push(cursor.after)}`);
    // The page walks the narrow facts table in ref order; only its rows' descriptors are read.
    const sql = `SELECT e.ref, d.source, d.entity FROM (SELECT e.ref FROM catalog_facts e ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY e.ref LIMIT ${limit + 1}) e
      JOIN catalog_entities d ON d.ref = e.ref ORDER BY e.ref`;
    // With facets, the total is the sum of the kind facet (every entity has exactly one kind): no separate count.
    const [page, total, facets] = await Promise.all([
      db.query<{ ref: string; source: string; entity: Entity }>(sql, params),
      facetsWanted ? null : countOf(db, opts, countWhere, countParams),
      facetsWanted ? facetCounts(db, opts) : null,
    ]);
    const rows = page.rows.slice(0, limit);
    return {
      items: rows.map((r) => shape(r, opts.fields)),
      facets: facets?.facets ?? null,
      nextCursor: page.rows.length > limit ? encodeCursor({ after: rows[rows.length - 1].ref }) : null,
      totalCount: facets ? facets.total : total!,
    };
  }

  if (cursor.after !== undefined) throw bad('cursor', 'this cursor belongs to a list without q; start again without a cursor');
  const offset = cursor.offset ?? 0;
  const ts = toTsQuery(q);
  let mode: 'words' | 'similar' = 'words';
  // The ranked page and the facets (whose kind counts sum to the total) run side by side, on two connections of the pool.
  let [result, facets] = ts
    ? await Promise.all([search(db, opts, q, ts, 'words', limit, offset), facetsWanted ? facetCounts(db, opts, { q, ts, mode }) : null])
    : [{ rows: [], total: 0 }, null];
  if (result.total === 0) {
    mode = 'similar';
    [result, facets] = await Promise.all([search(db, opts, q, ts, mode, limit, offset), facetsWanted ? facetCounts(db, opts, { q, ts, mode }) : null]);
  }
  return {
    items: result.rows.map((r) => shape(r, opts.fields)),
    facets: facets?.facets ?? null,
    nextCursor: offset + limit < result.total ? encodeCursor({ offset: offset + limit }) : null,
    totalCount: result.total,
  };
}

/** `a:* & b:*` restricted to one weight: `a:*A & b:*A` (all the words in the name). */
const weighted = (ts: string, w: 'A' | 'B' | 'C') => ts.replaceAll(':*', `:*${w}`);

function matchCondition(mode: 'words' | 'similar', qParam: string, tsParam: string): string {
  return mode === 'words' ? `e.search @@ to_tsquery('simple', ${tsParam}::text)` : `e.name % ${qParam}::text`;
}

async function search(db: Queryable, f: EntityFilter, q: string, ts: string | null, mode: 'words' | 'similar', limit: number, offset: number) {
  const words = mode === 'words' && ts !== null;
  const params: unknown[] = words ? [q, ts, weighted(ts, 'A'), weighted(ts, 'B'), weighted(ts, 'C')] : [q];
  const where = [matchCondition(mode, '$1', '$2'), ...conditions(f, params)];
  // Tiers come from the inline head vector with weight-restricted queries (no ts_filter copies); a score
  // is computed only for the tiers that reach the page, and the full vector is read (ts_rank on
  // descriptions) only for tier-5 rows among them.
  const { rows } = await db.query<{ ref: string; source: string; entity: Entity; total: string }>(
    `WITH m AS MATERIALIZED (
       SELECT e.ref, e.name, e.title, ${words ? 'e.head' : 'NULL::tsvector AS head'},
         CASE WHEN lower(e.name) = lower($1::text) THEN 0
              WHEN lower(e.title) = lower($1::text) THEN 1
              ${words ? `WHEN e.head @@ to_tsquery('simple', $3::text) THEN 2
              WHEN e.head @@ to_tsquery('simple', $4::text) THEN 3
              WHEN e.head @@ to_tsquery('simple', $5::text) THEN 4
              ELSE 5` : 'ELSE 2'} END AS tier
       FROM catalog_entities e WHERE ${where.join(' AND ')}
     ), cut AS (
       SELECT coalesce((SELECT tier FROM m ORDER BY tier OFFSET ${offset + limit - 1} LIMIT 1), 5) AS tier
     ), page AS (
       SELECT m.ref, m.tier,
         CASE WHEN m.tier <= 1 THEN 0
              WHEN m.tier = 2 THEN similarity(m.name, $1::text)
              WHEN m.tier = 3 THEN similarity(coalesce(m.title, ''), $1::text)
              ${words ? `WHEN m.tier = 4 THEN ts_rank(m.head, to_tsquery('simple', $2::text))
              ELSE (SELECT ts_rank(x.search, to_tsquery('simple', $2::text)) FROM catalog_entities x WHERE x.ref = m.ref)` : 'ELSE 0'} END AS score
       FROM m WHERE m.tier <= (SELECT tier FROM cut)
       ORDER BY 2, 3 DESC, 1 LIMIT ${limit} OFFSET ${offset}
     )
     -- The descriptors are read for the page only.
     SELECT p.ref, e.source, e.entity, (SELECT count(*) FROM m) AS total FROM page p JOIN catalog_entities e ON e.ref = p.ref ORDER BY p.tier, p.score DESC, p.ref`,
    params,
  );
  return { rows, total: rows[0] ? Number(rows[0].total) : offset > 0 ? await countMatches(db, where, params) : 0 };
}

async function countMatches(db: Queryable, where: string[], params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM catalog_entities e WHERE ${where.join(' AND ')}`, params);
  return Number(rows[0].n);
}

async function countOf(db: Queryable, f: EntityFilter, where: string[], params: unknown[]): Promise<number> {
  if (onlyKindFilter(f)) {
    // Precomputed by the facet triggers: no scan of the table.
    const kinds = f.kind?.length ? f.kind.map((k) => canonicalKind(k)!) : null;
    const { rows } = await db.query<{ n: string | null }>(
      `SELECT sum(count) AS n FROM catalog_facet_counts WHERE facet = 'kind' AND ($1::text[] IS NULL OR kind = ANY($1::text[]))`, [kinds]);
    return Number(rows[0].n ?? 0);
  }
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM catalog_facts e ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`, params);
  return Number(rows[0].n);
}

type SearchMatch = { q: string; ts: string | null; mode: 'words' | 'similar' };

/** Facet counts for the entities matching the filter (and the search words, when given). */
export async function facetsFor(db: Queryable, f: EntityFilter, search?: SearchMatch): Promise<Facets> {
  return (await facetCounts(db, f, search)).facets;
}

/**
 * Facets and the number of matches (the sum of the kind facet). Everything, or one kind: read from
 * the counts the triggers keep. Otherwise three small aggregations over the matches run side by side
 * on the pool's connections: the single-valued facets but owner (few combinations), owner, and tags
 * (grouped by the whole tag array first, so only the distinct arrays are unnested). Without words
 * they read the narrow facts table; with words, the search table the GIN index points into.
 */
async function facetCounts(db: Queryable, f: EntityFilter, search?: SearchMatch): Promise<{ facets: Facets; total: number }> {
  const facets = Object.fromEntries(FACETS.map((k) => [k, [] as FacetValue[]])) as Facets;
  let rows: { facet: keyof Facets; value: string | null; n: string }[];
  let total = 0;
  if (!search && onlyKindFilter(f)) {
    const kinds = f.kind?.length ? f.kind.map((k) => canonicalKind(k) ?? k) : null;
    rows = (await db.query(
      `SELECT facet, value, sum(count) AS n FROM catalog_facet_counts WHERE ($1::text[] IS NULL OR kind = ANY($1::text[]))
       GROUP BY facet, value HAVING sum(count) > 0`, [kinds])).rows;
    for (const r of rows) if (r.facet === 'kind') total += Number(r.n);
  } else {
    const params: unknown[] = [];
    const where = conditions(f, params);
    if (search) {
      const n = params.push(search.mode === 'words' ? search.ts : search.q);
      where.unshift(matchCondition(search.mode, `$${n}`, `$${n}`));
    }
    const from = `FROM ${search ? 'catalog_entities' : 'catalog_facts'} e ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`;
    let combos: { rows: { kind: string; namespace: string; spec_type: string | null; lifecycle: string | null; n: string }[] };
    let owners: { rows: { value: string | null; n: string }[] };
    let tags: { rows: { value: string; n: string }[] };
    if (search) {
      // With words the matches sit on the wide search heap: read them once (beside the ranked page on the
      // other connection) and aggregate the three ways from that one pass.
      const { rows: all } = await db.query<{ part: 'c' | 'o' | 't'; kind: string; namespace: string; spec_type: string | null; lifecycle: string | null; value: string | null; n: string }>(
        `WITH m AS MATERIALIZED (SELECT e.kind, e.namespace, e.spec_type, e.lifecycle, e.owner, e.tags ${from})
         SELECT 'c' AS part, kind, namespace, spec_type, lifecycle, NULL AS value, count(*) AS n FROM m GROUP BY 2, 3, 4, 5
         UNION ALL SELECT 'o', NULL, NULL, NULL, NULL, owner, count(*) FROM m GROUP BY owner
         UNION ALL SELECT 't', NULL, NULL, NULL, NULL, t, sum(g.n) FROM (SELECT tags, count(*) AS n FROM m GROUP BY 1) g, unnest(g.tags) AS t GROUP BY t`,
        params);
      combos = { rows: all.filter((r) => r.part === 'c') };
      owners = { rows: all.filter((r) => r.part === 'o') };
      tags = { rows: all.filter((r) => r.part === 't') as { value: string; n: string }[] };
    } else {
      [combos, owners, tags] = await Promise.all([
        db.query<{ kind: string; namespace: string; spec_type: string | null; lifecycle: string | null; n: string }>(
          `SELECT e.kind, e.namespace, e.spec_type, e.lifecycle, count(*) AS n ${from} GROUP BY 1, 2, 3, 4`, params),
        db.query<{ value: string | null; n: string }>(`SELECT e.owner AS value, count(*) AS n ${from} GROUP BY 1`, params),
        db.query<{ value: string; n: string }>(
          `SELECT t AS value, sum(g.n) AS n FROM (SELECT e.tags, count(*) AS n ${from} GROUP BY 1) g, unnest(g.tags) AS t GROUP BY 1`, params),
      ]);
    }
    const add = new Map<string, number>();
    rows = [];
    for (const r of combos.rows) {
      const n = Number(r.n);
      total += n;
      for (const [facet, value] of [['kind', r.kind], ['namespace', r.namespace], ['type', r.spec_type], ['lifecycle', r.lifecycle]] as const) {
        if (value === null) continue;
        const key = `${facet}\0${value}`;
        add.set(key, (add.get(key) ?? 0) + n);
      }
    }
    for (const [key, n] of add) {
      const [facet, value] = key.split('\0');
      rows.push({ facet: facet as keyof Facets, value, n: String(n) });
    }
    for (const r of owners.rows) rows.push({ facet: 'owner', value: r.value, n: r.n });
    for (const r of tags.rows) rows.push({ facet: 'tag', value: r.value, n: r.n });
  }
  for (const r of rows) if (r.value !== null) facets[r.facet]?.push({ value: r.value, count: Number(r.n) });
  for (const k of FACETS) facets[k] = facets[k].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, FACET_TOP);
  return { facets, total };
}

function shape(r: { ref: string; source: string; entity: Entity }, fields?: string[]): Record<string, unknown> {
  const item = { ref: r.ref, source: r.source, ...r.entity };
  return fields?.length ? selectFields(item, fields) : item;
}

export interface ResolvedRelation {
  type: string;
  targetRef: string;
  target: { kind: string | null; namespace: string; name: string; title: string | null; exists: boolean };
}

/** One entity with its relations resolved: the other end's ref, kind and title (or that it is missing). */
export async function getEntity(db: Queryable, ref: string): Promise<(Record<string, unknown> & { relations: ResolvedRelation[] }) | null> {
  const key = ref.toLowerCase();
  const [entity, relations] = await Promise.all([
    db.query<{ ref: string; source: string; entity: Entity }>('SELECT ref, source, entity FROM catalog_entities WHERE ref = $1', [key]),
    db.query<{ type: string; target_ref: string; kind: string | null; name: string | null; title: string | null }>(
      `SELECT DISTINCT ON (r.type, r.target_ref) r.type, r.target_ref, t.kind, t.name, t.title
       FROM catalog_relations r LEFT JOIN catalog_entities t ON t.ref = r.target_ref
       WHERE r.source_ref = $1 ORDER BY r.type, r.target_ref`, [key]),
  ]);
  const row = entity.rows[0];
  if (!row) return null;
  return {
    ...shape(row),
    relations: relations.rows.map((r) => {
      const { namespace, name } = parseEntityRef(r.target_ref);
      return { type: r.type, targetRef: r.target_ref, target: { kind: r.kind, namespace, name: r.name ?? name, title: r.title, exists: r.kind !== null } };
    }),
  };
}

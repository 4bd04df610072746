import type { Entity } from '../../domain/catalog/entity.ts';
import { canonicalKind, kindNames } from '../../domain/catalog/kinds.ts';
import { EntityRefError, normalizeEntityRef, parseEntityRef } from '../../domain/catalog/ref.ts';
import { inverseOf, isRelationType, relationTypes } from '../../domain/catalog/relations.ts';
import { PlatformError } from '../errors.ts';
import type { Queryable } from './store.ts';
import { cachedRead } from './read-cache.ts';

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
  /** Tests only: count a search's facets over at most this many matches (default FACET_SAMPLE). */
  facetSample?: number;
  /** Tests only: a search counts its matches exactly up to this many (default COUNT_EXACT), and estimates beyond. */
  countExact?: number;
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
  /** Set when a search has more matches than this: its facets count only the best-tiered this many. */
  facetsOverTop?: number;
  /**
   * Set when a search has more matches than COUNT_EXACT and `totalCount` is an estimate (two significant
   * digits, never below the matches actually seen), not an exact count.
   */
  totalCountIsEstimate?: true;
}

const FACETS = ['kind', 'type', 'owner', 'lifecycle', 'namespace', 'tag'] as const;
const FACET_TOP = 25;
/** Beyond this many matches, a search's facets are counted over its best-tiered matches only. */
export const FACET_SAMPLE = 1000;
/** A search counts its matches exactly up to this many; beyond, `totalCount` is an estimate, labelled. */
export const COUNT_EXACT = 1000;
/** The share of the search heap's pages sampled to estimate a broad search's matches beyond those counted. */
const DESCRIPTION_SAMPLE_PERCENT = 1;
export const MAX_LIMIT = 500;

const bad = (field: string, message: string) => new PlatformError(400, 'invalid_query', `${field}: ${message}`, [{ field, message }]);

/** Turns the filter into SQL conditions on `e`; values are always parameters, never spliced. */
function conditions(f: EntityFilter, params: unknown[], refRange = true): string[] {
  const where: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.kind?.length) {
    const kinds = f.kind.map((k) => canonicalKind(k) ?? (() => { throw bad('kind', `"${k}" is not a kind; kinds: ${kindNames.join(', ')}`); })());
    where.push(`e.kind = ANY(${p(kinds)}::text[])`);
    // Refs start with the kind: the range lets a walk of the primary key (ORDER BY ref) start at
    // the kind instead of scanning every kind before it (53 ms → under 2 ms at 100,000 entities).
    // (Not on the narrow search side: there a GIN match set is smaller than the kind's range.)
    if (kinds.length === 1 && refRange) where.push(`e.ref >= ${p(`${kinds[0].toLowerCase()}:`)} AND e.ref < ${p(`${kinds[0].toLowerCase()};`)}`);
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

const onlyKindFilter = (f: EntityFilter) => !f.type?.length && onlyKindTypeFilter(f);
/** Filters answered from the facet counts the triggers keep per kind and spec.type. */
const onlyKindTypeFilter = (f: EntityFilter) =>
  !f.tag?.length && !f.owner?.length && !f.lifecycle?.length && !f.namespace?.length && !f.relation?.length && !f.source?.length;

/**
 * Lists entities. Without `q`: ordered by reference, keyset-paginated (the cursor is the last ref).
 * With `q`: ranked in tiers a person expects (exact name, exact title, name words, title words,
 * keywords such as tags and column names, descriptions), then by closeness; offset-paginated.
 * When no entity matches the words, names are matched by similarity (typos: "paymnets").
 */
export async function listEntities(db: Queryable, opts: ListOptions): Promise<EntityList> {
  // Kept while the catalog is unchanged: a portal's landing page and repeated searches cost one round trip.
  return cachedRead(db, `list\0${JSON.stringify(opts)}`, () => listEntitiesNow(db, opts));
}

async function listEntitiesNow(db: Queryable, opts: ListOptions): Promise<EntityList> {
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
  const sample = opts.facetSample ?? FACET_SAMPLE;
  const exactUpTo = opts.countExact ?? COUNT_EXACT;
  // Words: the page from the best tiers first (narrow head rows), description matches only when needed.
  const filtered = !onlyKindFilter(opts) || !!opts.kind?.length;
  let result: SearchResult | null = !ts ? null
    // With a filter, one pass over the filter's matches (measured faster than the tier walk within a kind).
    : filtered ? await searchFilteredOnce(db, opts, q, ts, limit, offset, facetsWanted, sample)
    : await searchWords(db, opts, q, ts, limit, offset, facetsWanted, sample, exactUpTo);
  // No entity has the words: one statement reads the name-similar entities once (page, exact count, facets).
  if (!result || result.seen === 0) result = await searchSimilar(db, opts, q, limit, offset, facetsWanted, sample);
  return {
    items: result.rows.map((r) => shape(r, opts.fields)),
    facets: result.facets,
    nextCursor: offset + limit < result.seen ? encodeCursor({ offset: offset + limit }) : null,
    totalCount: result.total,
    ...(result.facets && (result.seen > sample || (result.estimated && result.total > sample)) ? { facetsOverTop: sample } : {}),
    ...(result.estimated ? { totalCountIsEstimate: true as const } : {}),
  };
}

/** `a:* & b:*` restricted to one weight: `a:*A & b:*A` (all the words in the name). */
const weighted = (ts: string, w: 'A' | 'B' | 'C') => ts.replaceAll(':*', `:*${w}`);

type SearchRow = { part: 'p' | 'n' | 'c' | 'o' | 't'; ord: string | null; ref: string; source: string; entity: Entity; kind: string; namespace: string; spec_type: string | null; lifecycle: string | null; value: string | null; n: string };

/**
 * The rest of a one-pass search after its materialised matches `m` (with a `tier` column): the page,
 * the exact count and the facets over the `sample` best-tiered, as rows of one result. In the cut tier
 * (the tier the page ends in) a score is bounded (`bound`, e.g. similarity <= min(a, b) / max(a, b)
 * of the trigram counts kept per entity): the cut tier's offset+limit best bounds are scored, and a row
 * whose bound is below the lowest of those scores cannot reach the page and is never scored. The
 * scores are computed above the sort, or the select list would be computed for every row.
 */
function rankedPage(score: string, bound: string, offset: number, limit: number, facetsWanted: boolean, sample: number): string {
  return `, cut AS (
       SELECT coalesce((SELECT tier FROM m ORDER BY tier OFFSET ${offset + limit - 1} LIMIT 1), 5) AS tier
     ), qt AS (
       SELECT coalesce(array_length(show_trgm($1::text), 1), 0) AS n
     ), sure AS (
       SELECT ${score} AS score FROM (SELECT m.* FROM m, qt WHERE m.tier = (SELECT tier FROM cut) ORDER BY ${bound} DESC LIMIT ${offset + limit}) m
     ), page AS (
       SELECT m.ref, m.tier, ${score} AS score
       FROM m, qt WHERE m.tier < (SELECT tier FROM cut) OR (m.tier = (SELECT tier FROM cut) AND ${bound} >= (SELECT min(score) - 1e-6 FROM sure))
       ORDER BY 2, 3 DESC, 1 LIMIT ${limit} OFFSET ${offset}
     )${facetsWanted ? `, top AS MATERIALIZED (SELECT kind, namespace, spec_type, lifecycle, owner, tags FROM m ORDER BY tier LIMIT ${sample})` : ''}
     -- The descriptors are read for the page only.
     SELECT * FROM (SELECT 'p' AS part, p.ref, e.source, e.entity, row_number() OVER (ORDER BY p.tier, p.score DESC, p.ref) AS ord,
         NULL AS kind, NULL AS namespace, NULL AS spec_type, NULL AS lifecycle, NULL AS value, NULL::numeric AS n
       FROM page p JOIN catalog_entities e ON e.ref = p.ref) pg
     UNION ALL SELECT 'n', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, count(*) FROM m
     ${facetsWanted ? FACET_PARTS('top', 4) : ''}`;
}

function rankedResult(rows: SearchRow[], facetsWanted: boolean): SearchResult {
  const page = rows.filter((r) => r.part === 'p').sort((x, y) => Number(x.ord) - Number(y.ord));
  const total = Number(rows.find((r) => r.part === 'n')!.n);
  return { rows: page, total, seen: total, estimated: false, facets: facetsWanted ? facetsFromRows(rows) : null };
}

/**
 * When no entity has the words: names similar to the query (typos), in one statement over one
 * materialised pass of the matches: exact name or title first, then by similarity, scored only where a
 * row's bound (the trigram counts kept per entity) can reach the page. The count is exact; the facets
 * are counted over every match up to `sample` matches, and over `sample` of them beyond.
 */
async function searchSimilar(db: Queryable, f: EntityFilter, q: string, limit: number, offset: number, facetsWanted: boolean, sample: number): Promise<SearchResult> {
  const params: unknown[] = [q];
  const where = ['e.name % $1::text', ...conditions(f, params)];
  const SCORE = `CASE WHEN m.tier <= 1 THEN 0 WHEN m.tier = 2 THEN similarity(m.name, $1::text) END`;
  const BOUND = `CASE WHEN m.tier = 2 THEN least(qt.n, m.name_trigrams)::float4 / greatest(qt.n, m.name_trigrams, 1) ELSE 'Infinity'::float4 END`;
  const { rows } = await db.query<SearchRow>(
    `WITH m AS MATERIALIZED (
       SELECT e.ref, e.name, e.name_trigrams, e.kind, e.namespace, e.spec_type, e.lifecycle, e.owner, e.tags,
         CASE WHEN lower(e.name) = lower($1::text) THEN 0 WHEN lower(e.title) = lower($1::text) THEN 1 ELSE 2 END AS tier
       FROM catalog_entities e WHERE ${where.join(' AND ')}
     )${rankedPage(SCORE, BOUND, offset, limit, facetsWanted, sample)}`,
    params,
  );
  return rankedResult(rows, facetsWanted);
}

type SearchResult = { rows: SearchRow[]; total: number; seen: number; estimated: boolean; facets: Facets | null };

/**
 * A filtered search (kind, type, tag, …) in one statement over one materialised pass of its matches on
 * the search table (round 2's plan): tiers from weight-restricted tests of the inline head vector,
 * bounded scoring in the cut tier, an exact count, facets over the `sample` best-tiered. A filter keeps
 * the match set small, and one pass over it was measured faster than the tier walk, whose every tier
 * reads its index matches of every kind before filtering.
 */
async function searchFilteredOnce(db: Queryable, f: EntityFilter, q: string, ts: string, limit: number, offset: number, facetsWanted: boolean, sample: number): Promise<SearchResult> {
  const params: unknown[] = [q, ts, weighted(ts, 'A'), weighted(ts, 'B')];
  const where = [`e.search @@ to_tsquery('simple', $2::text)`, ...conditions(f, params)];
  const SCORE = `CASE WHEN m.tier <= 1 THEN 0
              WHEN m.tier = 2 THEN similarity(m.name, $1::text)
              WHEN m.tier = 3 THEN similarity(coalesce(m.title, ''), $1::text)
              WHEN m.tier = 4 THEN ts_rank(m.head, to_tsquery('simple', $2::text))
              ELSE (SELECT ts_rank(x.search, to_tsquery('simple', $2::text)) FROM catalog_entities x WHERE x.ref = m.ref) END`;
  const BOUND = `CASE WHEN m.tier = 2 THEN least(qt.n, m.name_trigrams)::float4 / greatest(qt.n, m.name_trigrams, 1)
              WHEN m.tier = 3 THEN least(qt.n, m.title_trigrams)::float4 / greatest(qt.n, m.title_trigrams, 1)
              ELSE 'Infinity'::float4 END`;
  const { rows } = await db.query<SearchRow>(
    `WITH m AS MATERIALIZED (
       SELECT e.ref, e.name, e.title, e.name_trigrams, e.title_trigrams, e.head, e.kind, e.namespace, e.spec_type, e.lifecycle, e.owner, e.tags,
         CASE WHEN lower(e.name) = lower($1::text) THEN 0
              WHEN lower(e.title) = lower($1::text) THEN 1
              WHEN NOT e.head @@ to_tsquery('simple', $2::text) THEN 5
              WHEN e.head @@ to_tsquery('simple', $3::text) THEN 2
              WHEN e.head @@ to_tsquery('simple', $4::text) THEN 3
              ELSE 4 END AS tier
       FROM catalog_entities e WHERE ${where.join(' AND ')}
     )${rankedPage(SCORE, BOUND, offset, limit, facetsWanted, sample)}`,
    params,
  );
  return rankedResult(rows, facetsWanted);
}

/**
 * Estimates the matches below tier `after` (those not counted) from a fixed 1% sample of the search
 * heap's pages (TABLESAMPLE SYSTEM, REPEATABLE: the same estimate for every page of a search while
 * the catalog is unchanged). The planner's statistics were tried first: their prefix selectivities
 * overestimate the bench's words by 40–60%; this sample errs by 2% on average over them (at most 31%).
 */
async function estimateRest(db: Queryable, f: EntityFilter, ts: string, after: number, exactRefs: string[]): Promise<number> {
  const params: unknown[] = [ts, weighted(ts, 'A'), weighted(ts, 'B'), exactRefs];
  const counted = after >= 4 ? `e.head @@ to_tsquery('simple', $1::text)`
    : after === 3 ? `(e.head @@ to_tsquery('simple', $2::text) OR e.head @@ to_tsquery('simple', $3::text))`
    : after === 2 ? `e.head @@ to_tsquery('simple', $2::text)` : 'false';
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) * ${100 / DESCRIPTION_SAMPLE_PERCENT} AS n FROM catalog_entities e TABLESAMPLE SYSTEM (${DESCRIPTION_SAMPLE_PERCENT}) REPEATABLE (0)
     WHERE ${[`e.search @@ to_tsquery('simple', $1::text)`, `NOT ${counted}`, `e.ref <> ALL($4::text[])`, `$2::text IS NOT NULL AND $3::text IS NOT NULL`, ...conditions(f, params)].join(' AND ')}`,
    params,
  );
  return Number(rows[0].n);
}

/** Facet rows `c`, `o`, `t` (see facetsFromRows) over `from`, after `pad` leading NULL columns. */
const FACET_PARTS = (from: string, pad: number) => {
  const p = 'NULL, '.repeat(pad);
  return `UNION ALL SELECT 'c', ${p}kind, namespace, spec_type, lifecycle, NULL, count(*) FROM ${from} GROUP BY kind, namespace, spec_type, lifecycle
       UNION ALL SELECT 'o', ${p}NULL, NULL, NULL, NULL, owner, count(*) FROM ${from} GROUP BY owner
       UNION ALL SELECT 't', ${p}NULL, NULL, NULL, NULL, t, sum(g.n) FROM (SELECT tags, count(*) AS n FROM ${from} GROUP BY 1) g, unnest(g.tags) AS t GROUP BY t`;
};

/** Two significant digits: an estimate should not look like a count. */
const roughly = (n: number) => {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(n, 1))) - 1);
  return Math.round(n / unit) * unit;
};

type TierRow = { part: 'p' | 'n' | 'c' | 'o' | 't'; ref: string | null; tier: number | null; ord: string | null; kind: string | null; namespace: string | null; spec_type: string | null; lifecycle: string | null; value: string | null; n: string | null };

/**
 * A word search, tier by tier, best tier first, each read only as far as needed. Tiers 1–5 are read from
 * the narrow `catalog_heads` rows with their own GIN indexes: exact name or title (btree on lower()),
 * the words in the name (`name_words`), in the title (`title_words`), elsewhere in the head (`head`:
 * keywords). Tier 6, description-only matches, is read from the wide search heap. A tier that the page
 * reaches is read whole and ranked (in the name and title tiers with bounded scoring: similarity is at
 * most min/max of the trigram counts, so only rows whose bound can reach the page are scored); a tier
 * below the page is read only as far as the exact count (up to `exactUpTo`) and the facet sample
 * (the `sample` best-tiered matches) need, in storage order, and then the walk stops. When it stops
 * early, there are more than `exactUpTo` matches and the total is an estimate (labelled): the tiers
 * read whole, counted, plus `estimateRest` for the others, never below the matches counted, rounded
 * to two significant digits. (Searches with a filter use `searchFilteredOnce` instead.)
 */
async function searchWords(db: Queryable, f: EntityFilter, q: string, ts: string, limit: number, offset: number, facetsWanted: boolean, sample: number, exactUpTo: number): Promise<SearchResult> {
  const want = offset + limit;
  const facetRows: TierRow[] = [];
  const page: { ref: string; tier: number; ord: number }[] = [];
  let counted = 0; // matches counted in the tiers read so far
  let complete = true; // every tier read was read whole
  let whole = { tier: 1, count: 0 }; // the last tier read whole, and the matches up to it

  // Tiers 1–2: the exact name or title (with the words somewhere), and the query's trigram count.
  const ex: unknown[] = [q, ts];
  const exact = await db.query<TierRow & { qn: number }>(
    `SELECT 'p' AS part, e.ref, CASE WHEN lower(e.name) = lower($1::text) THEN 0 ELSE 1 END AS tier,
       row_number() OVER (ORDER BY CASE WHEN lower(e.name) = lower($1::text) THEN 0 ELSE 1 END, e.ref) AS ord,
       e.kind, e.namespace, e.spec_type, e.lifecycle, e.owner AS value, e.tags, coalesce(array_length(show_trgm($1::text), 1), 0) AS qn
     FROM catalog_heads e
     WHERE (lower(e.name) = lower($1::text) OR lower(e.title) = lower($1::text)) AND ${[...conditions(f, ex, false), `(e.head @@ to_tsquery('simple', $2::text) OR EXISTS (SELECT 1 FROM catalog_entities x WHERE x.ref = e.ref AND x.search @@ to_tsquery('simple', $2::text)))`].join(' AND ')}
     UNION ALL SELECT 'n', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, coalesce(array_length(show_trgm($1::text), 1), 0)`, ex);
  const qn = Number(exact.rows.find((r) => r.part === 'n')!.qn);
  const exactRows = exact.rows.filter((r) => r.part === 'p');
  const exactRefs = exactRows.map((r) => r.ref!);
  for (const r of exactRows) {
    page.push({ ref: r.ref!, tier: Number(r.tier), ord: Number(r.ord) });
    if (facetsWanted && counted < sample) {
      facetRows.push({ ...r, part: 'c', n: '1' }, { ...r, part: 'o', n: '1' });
      for (const t of (r as unknown as { tags: string[] }).tags) facetRows.push({ ...r, part: 't', value: t, n: '1' });
    }
    counted++;
  }
  whole.count = counted;

  // `match` finds a tier's rows given that the better tiers' rows are excluded by ref; `where` finds them on its own.
  const tiers: { tier: number; from: 'catalog_heads' | 'catalog_entities'; match: string; where: string; inputs: string; score: string; bound: string | null }[] = [
    { tier: 2, from: 'catalog_heads', match: `e.name_words @@ to_tsquery('simple', $2::text)`, where: `e.name_words @@ to_tsquery('simple', $2::text)`, inputs: 'e.name, e.name_trigrams AS trigrams',
      score: `similarity(m.name, $1::text)`, bound: `least(${qn}, m.trigrams)::float4 / greatest(${qn}, m.trigrams, 1)` },
    { tier: 3, from: 'catalog_heads', match: `e.title_words @@ to_tsquery('simple', $2::text)`, where: `e.title_words @@ to_tsquery('simple', $2::text) AND NOT e.name_words @@ to_tsquery('simple', $2::text)`,
      inputs: `coalesce(e.title, '') AS name, e.title_trigrams AS trigrams`, score: `similarity(m.name, $1::text)`,
      bound: `least(${qn}, m.trigrams)::float4 / greatest(${qn}, m.trigrams, 1)` },
    { tier: 4, from: 'catalog_heads', match: `e.head @@ to_tsquery('simple', $2::text)`, where: `e.head @@ to_tsquery('simple', $2::text) AND NOT e.name_words @@ to_tsquery('simple', $2::text) AND NOT e.title_words @@ to_tsquery('simple', $2::text)`,
      inputs: `ts_rank(e.head, to_tsquery('simple', $2::text)) AS rank`, score: 'm.rank', bound: null },
    { tier: 5, from: 'catalog_entities', match: `e.search @@ to_tsquery('simple', $2::text)`, where: `e.search @@ to_tsquery('simple', $2::text) AND NOT e.head @@ to_tsquery('simple', $2::text)`,
      inputs: `ts_rank(e.search, to_tsquery('simple', $2::text)) AS rank`, score: 'm.rank', bound: null },
  ];
  for (const t of tiers) {
    const rank = Math.max(0, want - counted);
    const facetN = facetsWanted ? Math.max(0, sample - counted) : 0;
    // A tier below the page is read as far as the exact count, the facet sample and "is there more" need.
    // (want + 1: one match past the page tells whether there is a next page.)
    const cap = rank ? null : Math.max(exactUpTo + 1 - counted, facetN, want + 1 - counted, 0);
    if (cap === 0) {
      complete = false;
      break;
    }
    // A tier the page reaches comes after tiers that were read whole and all fit on the page, so their
    // rows are excluded by ref (cheaper than testing the better tiers' vectors on every row).
    const params: unknown[] = [q, ts, rank ? page.map((r) => r.ref) : exactRefs];
    // Scores only for a tier the page reaches.
    const inputs = rank ? t.inputs : t.inputs.replace(/ts_rank\(.*\) AS rank/, 'NULL::float4 AS rank');
    // ($1 is typed even where a tier does not score by it.)
    const where = [rank ? t.match : t.where, `e.ref <> ALL($3::text[])`, ...conditions(f, params, t.from === 'catalog_entities'), '$1::text IS NOT NULL'].join(' AND ');
    const ranked = !rank ? '' : t.bound
      ? `, sure AS (SELECT ${t.score} AS score FROM (SELECT m.* FROM m ORDER BY ${t.bound} DESC LIMIT ${rank}) m),
         page AS (SELECT m.ref, ${t.score} AS score FROM m WHERE ${t.bound} >= (SELECT min(score) - 1e-6 FROM sure) ORDER BY 2 DESC, 1 LIMIT ${rank})`
      : `, page AS (SELECT m.ref, ${t.score} AS score FROM m ORDER BY 2 DESC, 1 LIMIT ${rank})`;
    const { rows } = await db.query<TierRow>(
      `WITH m AS MATERIALIZED (
         SELECT e.ref, ${inputs}, e.kind, e.namespace, e.spec_type, e.lifecycle, e.owner, e.tags
         FROM ${t.from} e WHERE ${where} ${cap ? `LIMIT ${cap}` : ''}
       )${ranked}${facetN ? `, top AS MATERIALIZED (SELECT kind, namespace, spec_type, lifecycle, owner, tags FROM m LIMIT ${facetN})` : ''}
       SELECT 'n' AS part, NULL AS ref, NULL::int AS tier, NULL::bigint AS ord, NULL AS kind, NULL AS namespace, NULL AS spec_type, NULL AS lifecycle, NULL AS value, count(*) AS n FROM m
       ${rank ? `UNION ALL SELECT 'p', p.ref, ${t.tier}, row_number() OVER (ORDER BY p.score DESC, p.ref), NULL, NULL, NULL, NULL, NULL, NULL FROM page p` : ''}
       ${facetN ? FACET_PARTS('top', 3) : ''}`,
      params,
    );
    const n = Number(rows.find((r) => r.part === 'n')!.n);
    for (const r of rows) {
      if (r.part === 'p') page.push({ ref: r.ref!, tier: t.tier, ord: Number(r.ord) });
      else if (r.part !== 'n') facetRows.push(r);
    }
    counted += n;
    if (cap !== null && n >= cap) {
      complete = false; // stopped inside this tier
      break;
    }
    whole = { tier: t.tier, count: counted };
  }

  // The page: tiers in order, each ranked by its score (then ref); descriptors read for its rows only.
  page.sort((a, b) => a.tier - b.tier || a.ord - b.ord);
  const refs = page.slice(offset, want).map((r) => r.ref);
  const [docs, rest] = await Promise.all([
    refs.length ? db.query<SearchRow>('SELECT ref, source, entity FROM catalog_entities WHERE ref = ANY($1::text[])', [refs]).then((r) => r.rows) : [],
    complete ? 0 : estimateRest(db, f, ts, whole.tier, exactRefs),
  ]);
  const byRef = new Map(docs.map((d) => [d.ref, d]));
  const rows = refs.map((r) => byRef.get(r)!);
  // More than exactUpTo matches: the tiers read whole are counted exactly, the rest is estimated.
  const total = complete ? counted : Math.max(counted, roughly(whole.count + rest));
  return { rows, total, seen: counted, estimated: !complete, facets: facetsWanted ? facetsFromRows(facetRows as FacetRow[]) : null };
}


async function countOf(db: Queryable, f: EntityFilter, where: string[], params: unknown[]): Promise<number> {
  if (onlyKindTypeFilter(f)) {
    // Precomputed by the facet triggers: no scan of the table.
    const kinds = f.kind?.length ? f.kind.map((k) => canonicalKind(k)!) : null;
    const { rows } = await db.query<{ n: string | null }>(
      `SELECT sum(count) AS n FROM catalog_facet_counts WHERE facet = 'kind' AND ($1::text[] IS NULL OR kind = ANY($1::text[]))
         AND ($2::text[] IS NULL OR spec_type = ANY($2::text[]))`, [kinds, f.type?.length ? f.type : null]);
    return Number(rows[0].n ?? 0);
  }
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM catalog_facts e ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`, params);
  return Number(rows[0].n);
}

/** Facet counts for the entities matching the filter (searches count theirs in `listEntities`). */
export async function facetsFor(db: Queryable, f: EntityFilter): Promise<Facets> {
  return cachedRead(db, `facets\0${JSON.stringify(f)}`, async () => (await facetCounts(db, f)).facets);
}

type FacetRow = { part: string; kind: string | null; namespace: string | null; spec_type: string | null; lifecycle: string | null; value: string | null; n: string };

/** Facets from rows `c` (kind × namespace × type × lifecycle combinations), `o` (owners) and `t` (tags). */
function facetsFromRows(rows: FacetRow[]): Facets {
  const facets = Object.fromEntries(FACETS.map((k) => [k, [] as FacetValue[]])) as Facets;
  const add = new Map<string, number>();
  const put = (facet: keyof Facets, value: string | null, n: number) => {
    if (value === null) return;
    const key = `${facet}\0${value}`;
    add.set(key, (add.get(key) ?? 0) + n);
  };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.part === 'c') {
      put('kind', r.kind, n);
      put('namespace', r.namespace, n);
      put('type', r.spec_type, n);
      put('lifecycle', r.lifecycle, n);
    } else if (r.part === 'o') put('owner', r.value, n);
    else if (r.part === 't') put('tag', r.value, n);
  }
  for (const [key, n] of add) {
    const [facet, value] = key.split('\0');
    facets[facet as keyof Facets].push({ value, count: n });
  }
  for (const k of FACETS) facets[k] = facets[k].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, FACET_TOP);
  return facets;
}

/**
 * Facets and the number of matches (the sum of the kind facet). Everything, kinds, types, or kinds and
 * types: read from the counts the triggers keep per kind and type (migration 013). Otherwise three small aggregations over the matches of the narrow
 * facts table run side by side on the pool's connections: the single-valued facets but owner (few
 * combinations), owner, and tags (grouped by the whole tag array first, so only the distinct arrays
 * are unnested).
 */
async function facetCounts(db: Queryable, f: EntityFilter): Promise<{ facets: Facets; total: number }> {
  if (onlyKindTypeFilter(f)) {
    const kinds = f.kind?.length ? f.kind.map((k) => canonicalKind(k) ?? k) : null;
    const { rows } = await db.query<{ facet: keyof Facets; value: string; n: string }>(
      `SELECT facet, value, sum(count) AS n FROM catalog_facet_counts
       WHERE ($1::text[] IS NULL OR kind = ANY($1::text[])) AND ($2::text[] IS NULL OR spec_type = ANY($2::text[]))
       GROUP BY facet, value HAVING sum(count) > 0`, [kinds, f.type?.length ? f.type : null]);
    const facets = Object.fromEntries(FACETS.map((k) => [k, [] as FacetValue[]])) as Facets;
    let total = 0;
    for (const r of rows) {
      if (r.facet === 'kind') total += Number(r.n);
      facets[r.facet]?.push({ value: r.value, count: Number(r.n) });
    }
    for (const k of FACETS) facets[k] = facets[k].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, FACET_TOP);
    return { facets, total };
  }
  const params: unknown[] = [];
  const where = conditions(f, params);
  const from = `FROM catalog_facts e ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`;
  const [combos, owners, tags] = await Promise.all([
    db.query<FacetRow>(`SELECT 'c' AS part, e.kind, e.namespace, e.spec_type, e.lifecycle, count(*) AS n ${from} GROUP BY 2, 3, 4, 5`, params),
    db.query<FacetRow>(`SELECT 'o' AS part, e.owner AS value, count(*) AS n ${from} GROUP BY 2`, params),
    db.query<FacetRow>(`SELECT 't' AS part, t AS value, sum(g.n) AS n FROM (SELECT e.tags, count(*) AS n ${from} GROUP BY 1) g, unnest(g.tags) AS t GROUP BY 2`, params),
  ]);
  const total = combos.rows.reduce((n, r) => n + Number(r.n), 0);
  return { facets: facetsFromRows([...combos.rows, ...owners.rows, ...tags.rows]), total };
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
  // One statement, one round trip: the entity and its relations with the other ends' kinds and titles.
  const { rows } = await db.query<{ ref: string; source: string; entity: Entity; relations: { type: string; target_ref: string; kind: string | null; name: string | null; title: string | null }[] }>(
    `SELECT e.ref, e.source, e.entity, coalesce((
       SELECT json_agg(json_build_object('type', r.type, 'target_ref', r.target_ref, 'kind', r.kind, 'name', r.name, 'title', r.title) ORDER BY r.type, r.target_ref)
       FROM (SELECT DISTINCT ON (r.type, r.target_ref) r.type, r.target_ref, t.kind, t.name, t.title
             FROM catalog_relations r LEFT JOIN catalog_entities t ON t.ref = r.target_ref
             WHERE r.source_ref = e.ref ORDER BY r.type, r.target_ref) r), '[]') AS relations
     FROM catalog_entities e WHERE e.ref = $1`, [ref.toLowerCase()]);
  const row = rows[0];
  if (!row) return null;
  return {
    ...shape(row),
    relations: row.relations.map((r) => {
      const { namespace, name } = parseEntityRef(r.target_ref);
      return { type: r.type, targetRef: r.target_ref, target: { kind: r.kind, namespace, name: r.name ?? name, title: r.title, exists: r.kind !== null } };
    }),
  };
}

import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ownerOf, searchText, validateEntity, type Entity, type FieldError, type ValidEntity } from '../../domain/catalog/entity.ts';
import { inverseOf } from '../../domain/catalog/relations.ts';
import { PlatformError } from '../errors.ts';
import { inTransaction } from '../../infrastructure/postgres/transaction.ts';

/**
 * The catalog's writes. Every write is one transaction: the entities, both directions of their
 * relations and the facet counts (kept by triggers) commit together or not at all.
 */

export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** Fields the API adds to an entity; dropped from input so that a fetched entity can be posted back. */
const serverFields = ['ref', 'source', 'relations'];

/** Validates a batch; the errors name the item (`entities[3] component:default/x`) and the field. */
export function validateBatch(inputs: unknown[], label = 'entities'): { valid: ValidEntity[]; errors: (FieldError & { index: number })[] } {
  const valid: ValidEntity[] = [];
  const errors: (FieldError & { index: number })[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    const clean = input && typeof input === 'object' && !Array.isArray(input)
      ? Object.fromEntries(Object.entries(input).filter(([k]) => !serverFields.includes(k)))
      : input;
    const r = validateEntity(clean);
    if (!r.ok) {
      for (const e of r.errors) errors.push({ index, field: `${label}[${index}].${e.field}`, message: e.message });
      return;
    }
    const before = seen.get(r.ref);
    if (before !== undefined) errors.push({ index, field: `${label}[${index}]`, message: `${r.ref} is also ${label}[${before}]: each entity may appear once` });
    seen.set(r.ref, index);
    valid.push(r);
  });
  return { valid, errors };
}

export interface WriteResult {
  /** Entities written (new or changed). */
  written: number;
  /** Entities that were already exactly so. */
  unchanged: number;
  /** Refs removed because they disappeared from the source (replace only). */
  removed: string[];
}

const CHUNK = 2000;

/**
 * One entity as a row of the JSON document a write statement reads, as text: the descriptor is
 * serialised once (for its hash and, spliced in, for the row) rather than twice.
 */
function rowOf(v: ValidEntity, source: string, storedHash?: string): string | null {
  const e = v.entity;
  const json = JSON.stringify(e);
  const hash = createHash('sha1').update(source).update('\0').update(json).digest('base64url');
  if (hash === storedHash) return null; // exactly as stored: nothing to send
  const s = searchText(e);
  const columns = JSON.stringify({
    ref: v.ref, kind: e.kind, namespace: e.metadata.namespace, name: e.metadata.name, title: e.metadata.title ?? null,
    spec_type: typeof e.spec.type === 'string' ? e.spec.type : null,
    lifecycle: typeof e.spec.lifecycle === 'string' ? e.spec.lifecycle : null,
    owner: ownerOf(e), tags: e.metadata.tags, source,
    s_name: s.name, s_title: s.title, s_keywords: s.keywords, s_description: s.description,
    hash,
  });
  return `${columns.slice(0, -1)},"entity":${json}}`;
}

/** One entity a write would register, overwrite or remove, as the policy engine is asked about it. */
export interface CatalogChange {
  action: 'registerEntity' | 'replaceEntity' | 'deleteEntity';
  ref: string;
  /** The owner the entity has (overwrite, removal) or will have (registration). */
  owner: string | null;
  /** The source the entity belongs to (or will). */
  source: string;
}

export interface WriteOptions {
  replace?: boolean;
  /** Asked once with every change before anything is written; throws to refuse the whole write. */
  authorize?: (changes: CatalogChange[]) => void;
  /**
   * An entity another source registered: `throw` (default) refuses the whole write with a 409;
   * `skip` leaves it alone and lists it in `foreign`, and writes the rest (an import's chunk).
   */
  foreign?: 'throw' | 'skip';
  /**
   * `shared`: several writes of this source may run at once (the chunks of one import, which never
   * name the same ref twice); anything else waits for them. Default: one writer per source.
   */
  lock?: 'exclusive' | 'shared';
  /** Merge the GIN pending lists after a large write (default true); an import does it once, at commit. */
  cleanIndexes?: boolean;
}

interface Existing {
  ref: string;
  owner: string | null;
  source: string;
  hash?: string;
}

/**
 * What a write would do to each entity: an overwrite is asked of the entity as it is (its owner
 * and source) and, when the owner changes, as a registration for the new owner too, so nobody
 * hands an entity to a team they are not in or takes one away from a team.
 */
function plannedChanges(source: string, entities: ValidEntity[], existing: Map<string, Existing>, gone: Existing[]): CatalogChange[] {
  const changes: CatalogChange[] = [];
  for (const v of entities) {
    const owner = ownerOf(v.entity);
    const old = existing.get(v.ref);
    if (old) changes.push({ action: 'replaceEntity', ref: v.ref, owner: old.owner, source: old.source });
    if (!old || old.owner !== owner) changes.push({ action: 'registerEntity', ref: v.ref, owner, source });
  }
  for (const r of gone) changes.push({ action: 'deleteEntity', ref: r.ref, owner: r.owner, source });
  return changes;
}

/** Takes the source's writer lock for the transaction (see WriteOptions.lock). */
export async function lockSource(c: Queryable, source: string, mode: 'exclusive' | 'shared' = 'exclusive'): Promise<void> {
  await c.query(`SELECT ${mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(742004, hashtext($1))`, [source]);
}

/** The source's entities that are not in `keep`: what a replace removes. An anti-join, not `NOT ref = ANY(…)` (quadratic). */
async function entitiesNotIn(c: Queryable, source: string, keep: string[]): Promise<Existing[]> {
  const { rows } = await c.query<Existing>(
    'SELECT f.ref, f.owner, f.source FROM catalog_facts f WHERE f.source = $1 AND NOT EXISTS (SELECT 1 FROM unnest($2::text[]) AS k(ref) WHERE k.ref = f.ref)', [source, keep]);
  return rows;
}

export interface ChunkWriteResult extends WriteResult {
  /** Refs left alone because another source registered them (`foreign: 'skip'`). */
  foreign: Existing[];
}

/**
 * Upserts entities for a source. With `replace`, the source's set becomes exactly these entities:
 * the ones it registered before and no longer lists are removed (with their relations).
 * An entity registered by another source is a 409: sources never overwrite each other.
 */
export async function writeEntities(pool: pg.Pool, source: string, entities: ValidEntity[], opts: WriteOptions = {}): Promise<ChunkWriteResult> {
  return inTransaction(pool, (c) => writeEntitiesIn(c, source, entities, opts));
}

/**
 * The write itself, in the caller's transaction. Its cost per entity does not grow with the catalog:
 * every read and write goes through a primary key or the source index of the narrow table, the
 * relations of brand-new entities are not looked for, and the GIN pending lists are merged once per
 * large write rather than once per chunk.
 */
export async function writeEntitiesIn(c: pg.PoolClient, source: string, entities: ValidEntity[], opts: WriteOptions = {}): Promise<ChunkWriteResult> {
  await lockSource(c, source, opts.lock);
  const refs = entities.map((e) => e.ref);
  // One read of what exists (owner and source), from the narrow table.
  // The hash too, so that an entity exactly as stored (a re-import) is not even sent to the database.
  const { rows: found } = await c.query<Existing>(
    'SELECT f.ref, f.owner, f.source, e.hash FROM catalog_facts f JOIN catalog_entities e ON e.ref = f.ref WHERE f.ref = ANY($1::text[])', [refs]);
  const existing = new Map(found.map((r) => [r.ref, r]));
  const foreign = found.filter((r) => r.source !== source);
  if (foreign.length && opts.foreign !== 'skip') {
    const list = foreign.slice(0, 20).map((r) => `${r.ref} (registered by ${r.source})`).join(', ');
    throw new PlatformError(409, 'entity_owned_by_another_source', `these entities belong to another source, which alone may change them: ${list}`);
  }
  const mine = foreign.length ? entities.filter((e) => (existing.get(e.ref)?.source ?? source) === source) : entities;
  const gone = opts.replace ? await entitiesNotIn(c, source, refs) : [];
  if (opts.authorize) opts.authorize(plannedChanges(source, mine, existing, gone));
  const changed: string[] = [];
  const rel: [string[], string[], string[], string[]] = [[], [], [], []];
  const relate = (a: string, type: string, b: string, origin: string) => {
    rel[0].push(a); rel[1].push(type); rel[2].push(b); rel[3].push(origin);
  };
  const changedBefore: string[] = [];
  for (let i = 0; i < mine.length; i += CHUNK) {
    const slice = mine.slice(i, i + CHUNK);
    const rows = slice.map((v) => rowOf(v, source, existing.get(v.ref)?.hash)).filter((r) => r !== null);
    if (!rows.length) continue;
    // One statement writes every side: the search row and, for the rows actually written, the narrow head and facts rows.
    const { rows: written } = await c.query<{ ref: string }>(
      `WITH w AS (
         INSERT INTO catalog_entities AS t (ref, kind, namespace, name, title, name_trigrams, title_trigrams, spec_type, lifecycle, owner, tags, source, entity, head, search, hash)
         SELECT r.ref, r.kind, r.namespace, r.name, r.title,
                coalesce(array_length(show_trgm(r.name), 1), 0), coalesce(array_length(show_trgm(coalesce(r.title, '')), 1), 0), r.spec_type, r.lifecycle, r.owner, r.tags, r.source, r.entity,
                h.head, h.head || setweight(to_tsvector('simple', r.s_description), 'D'), r.hash
         FROM jsonb_to_recordset($1::jsonb) AS r(ref text, kind text, namespace text, name text, title text, spec_type text, lifecycle text,
              owner text, tags text[], source text, entity jsonb, s_name text, s_title text, s_keywords text, s_description text, hash text),
         LATERAL (SELECT setweight(to_tsvector('simple', r.s_name), 'A') || setweight(to_tsvector('simple', r.s_title), 'B')
                         || setweight(to_tsvector('simple', r.s_keywords), 'C') AS head) h
         ON CONFLICT (ref) DO UPDATE SET kind = excluded.kind, namespace = excluded.namespace, name = excluded.name, title = excluded.title,
              name_trigrams = excluded.name_trigrams, title_trigrams = excluded.title_trigrams,
              spec_type = excluded.spec_type, lifecycle = excluded.lifecycle, owner = excluded.owner, tags = excluded.tags,
              entity = excluded.entity, head = excluded.head, search = excluded.search, hash = excluded.hash, updated_at = now()
         WHERE t.source = excluded.source AND t.hash <> excluded.hash
         RETURNING t.ref, t.kind, t.namespace, t.name, t.title, t.name_trigrams, t.title_trigrams, t.spec_type, t.lifecycle, t.owner, t.tags, t.source, t.head
       ), h AS (
         INSERT INTO catalog_heads AS h (ref, kind, namespace, name, title, name_trigrams, title_trigrams, spec_type, lifecycle, owner, tags, source, head, name_words, title_words)
         SELECT ref, kind, namespace, name, title, name_trigrams, title_trigrams, spec_type, lifecycle, owner, tags, source, head,
                to_tsvector('simple', name), to_tsvector('simple', coalesce(title, '')) FROM w ORDER BY ref
         ON CONFLICT (ref) DO UPDATE SET kind = excluded.kind, namespace = excluded.namespace, name = excluded.name, title = excluded.title,
              name_trigrams = excluded.name_trigrams, title_trigrams = excluded.title_trigrams, spec_type = excluded.spec_type,
              lifecycle = excluded.lifecycle, owner = excluded.owner, tags = excluded.tags, source = excluded.source, head = excluded.head,
              name_words = excluded.name_words, title_words = excluded.title_words
       )
       INSERT INTO catalog_facts AS f (ref, kind, namespace, spec_type, lifecycle, owner, tags, source)
       SELECT ref, kind, namespace, spec_type, lifecycle, owner, tags, source FROM w ORDER BY ref
       ON CONFLICT (ref) DO UPDATE SET kind = excluded.kind, namespace = excluded.namespace, spec_type = excluded.spec_type,
            lifecycle = excluded.lifecycle, owner = excluded.owner, tags = excluded.tags, source = excluded.source
       RETURNING f.ref`,
      [`[${rows.join(',')}]`],
    );
    const now = new Set(written.map((r) => r.ref));
    for (const v of slice) {
      if (!now.has(v.ref)) continue;
      changed.push(v.ref);
      if (existing.has(v.ref)) changedBefore.push(v.ref);
      for (const r of v.relations) {
        relate(r.source, r.type, r.target, r.source);
        relate(r.target, inverseOf(r.type), r.source, r.source);
      }
    }
  }
  // Only entities that existed had relations; a brand-new one has none to delete.
  if (changedBefore.length) await c.query('DELETE FROM catalog_relations r USING unnest($1::text[]) AS k(ref) WHERE r.origin_ref = k.ref', [changedBefore]);
  if (rel[0].length) {
    // Arrays, not JSON: PostgreSQL reads four text arrays much faster than a million small objects.
    await c.query(
      `INSERT INTO catalog_relations (source_ref, type, target_ref, origin_ref)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ORDER BY 1, 2, 3, 4
       ON CONFLICT DO NOTHING`, rel);
  }
  const removed = gone.length ? await removeEntitiesIn(c, gone.map((g) => g.ref)) : [];
  if (opts.cleanIndexes !== false && changed.length >= 1000) await cleanSearchIndexes(c);
  return { written: changed.length, unchanged: mine.length - changed.length, removed, foreign };
}

/** Removes entities (and the relations they declared) in the caller's transaction; returns the refs removed, sorted. */
export async function removeEntitiesIn(c: Queryable, refs: string[]): Promise<string[]> {
  const { rows } = await c.query<{ ref: string }>(
    `WITH d AS (DELETE FROM catalog_entities e USING unnest($1::text[]) AS k(ref) WHERE e.ref = k.ref RETURNING e.ref),
     h AS (DELETE FROM catalog_heads h USING d WHERE h.ref = d.ref)
     DELETE FROM catalog_facts f USING d WHERE f.ref = d.ref RETURNING f.ref`, [refs]);
  const removed = rows.map((r) => r.ref).sort();
  if (removed.length) await c.query('DELETE FROM catalog_relations r USING unnest($1::text[]) AS k(ref) WHERE r.origin_ref = k.ref', [removed]);
  return removed;
}

/** After a bulk write, merge the search indexes' pending lists now rather than make searches scan them. */
export async function cleanSearchIndexes(c: Queryable): Promise<void> {
  await c.query(`SELECT gin_clean_pending_list('catalog_entities_search'::regclass), gin_clean_pending_list('catalog_entities_name_trgm'::regclass),
    gin_clean_pending_list('catalog_entities_title_trgm'::regclass), gin_clean_pending_list('catalog_heads_head'::regclass),
    gin_clean_pending_list('catalog_heads_name_words'::regclass), gin_clean_pending_list('catalog_heads_title_words'::regclass)`);
}

export { entitiesNotIn };


/** Validates then writes; a batch with any bad descriptor writes nothing and names every problem. */
export async function upsertEntities(pool: pg.Pool, source: string, inputs: unknown[], opts: WriteOptions = {}): Promise<WriteResult> {
  const { valid, errors } = validateBatch(inputs);
  if (errors.length) {
    throw new PlatformError(400, 'invalid_entities', `${errors.length} problem(s), nothing was written: ${errors.slice(0, 10).map((e) => `${e.field}: ${e.message}`).join('; ')}${errors.length > 10 ? '; …' : ''}`,
      errors.map(({ field, message }) => ({ field, message })));
  }
  return writeEntities(pool, source, valid, opts);
}

/** Replaces everything a source registered with these entities (a full sync). */
export async function replaceSource(pool: pg.Pool, source: string, entities: ValidEntity[]): Promise<WriteResult> {
  return writeEntities(pool, source, entities, { replace: true });
}

/** Removes one entity; only its own source may (`sources` lists the ones the caller speaks for). */
export async function deleteEntity(pool: pg.Pool, ref: string, allowed: (source: string) => boolean, authorize?: (change: CatalogChange) => void): Promise<void> {
  await inTransaction(pool, async (c) => {
    const { rows } = await c.query<{ source: string; owner: string | null }>('SELECT source, owner FROM catalog_entities WHERE ref = $1 FOR UPDATE', [ref]);
    if (!rows[0]) throw new PlatformError(404, 'entity_not_found', `no entity ${ref} in the catalog`);
    authorize?.({ action: 'deleteEntity', ref, owner: rows[0].owner, source: rows[0].source });
    if (!allowed(rows[0].source)) {
      throw new PlatformError(409, 'entity_owned_by_another_source', `${ref} was registered by ${rows[0].source}; remove it there (it disappears on the next sync)`);
    }
    await c.query('DELETE FROM catalog_entities WHERE ref = $1', [ref]);
    await c.query('DELETE FROM catalog_facts WHERE ref = $1', [ref]);
    await c.query('DELETE FROM catalog_heads WHERE ref = $1', [ref]);
    await c.query('DELETE FROM catalog_relations WHERE origin_ref = $1', [ref]);
  });
}

export interface StoredEntity {
  ref: string;
  source: string;
  entity: Entity;
}

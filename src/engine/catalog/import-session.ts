import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { locationTargets, type LocationTargets } from '../../domain/catalog/locations.ts';
import { parseCatalogFile, parseDocuments, type DocumentError, type ParsedEntity } from '../../domain/catalog/parse.ts';
import { inTransaction } from '../../infrastructure/postgres/transaction.ts';
import { PlatformError } from '../errors.ts';
import { cleanSearchIndexes, lockSource, removeEntitiesIn, writeEntitiesIn, type CatalogChange } from './store.ts';

/**
 * An import of any size: `goldpath catalog import` starts a session for a source, sends the files
 * in chunks (the server parses them: YAML, placeholders, validation) and commits. Each chunk's valid
 * entities are written when it arrives, so memory stays that of one chunk; the refs each chunk
 * named are kept, and the commit removes what the source held before and no longer lists. A session
 * that is never committed expires and removes nothing.
 */

/** A session is forgotten this long after its last chunk. */
export const IMPORT_IDLE_MINUTES = 30;

export interface ImportSession {
  id: string;
  source: string;
  expiresAt: string;
}

/** A file as the CLI sends it: its path relative to what the person named (no machine paths), and its text. */
export interface SentFile {
  path: string;
  text: string;
}

export interface ChunkResult {
  /** Descriptor files parsed in this chunk. */
  files: number;
  /** Valid entities in them, written or unchanged. */
  entities: number;
  written: number;
  unchanged: number;
  /** Each invalid document or refused file, with file, document, line and field. */
  errors: DocumentError[];
  /** The Location entities' targets, for the CLI to read and send (the server reads nothing from disk for a client). */
  locations: LocationTargets[];
}

export interface CommitResult {
  source: string;
  /** Distinct refs the import named. */
  entities: number;
  removed: string[];
  /**
   * Entities no longer named that were kept because some documents of the import were bad (an
   * entity whose document failed must not disappear for it); import again once they are fixed.
   */
  kept: number;
}

type Authorize = (changes: CatalogChange[]) => void;

export async function startImport(pool: pg.Pool, source: string, user: string): Promise<ImportSession> {
  // Expired sessions go here, with the refs they collected: nothing else needs them.
  await pool.query('DELETE FROM catalog_imports WHERE expires_at < now()');
  const id = `imp_${randomBytes(12).toString('base64url')}`;
  const { rows } = await pool.query<{ expires_at: Date }>(
    `INSERT INTO catalog_imports (id, source, started_by, expires_at) VALUES ($1, $2, $3, now() + make_interval(mins => $4)) RETURNING expires_at`,
    [id, source, user, IMPORT_IDLE_MINUTES]);
  return { id, source, expiresAt: rows[0].expires_at.toISOString() };
}

/**
 * The session, if it is this user's and not expired; extends its life and counts bad documents. Run
 * outside a chunk's transaction: the row lock it takes would otherwise make one import's chunks wait
 * for each other.
 */
async function session(c: Pick<pg.Pool, 'query'>, id: string, user: string, errors = 0): Promise<{ source: string; errors: number }> {
  const { rows } = await c.query<{ source: string; errors: number }>(
    `UPDATE catalog_imports SET expires_at = now() + make_interval(mins => $3), errors = errors + $4
     WHERE id = $1 AND started_by = $2 AND expires_at >= now() RETURNING source, errors`,
    [id, user, IMPORT_IDLE_MINUTES, errors]);
  if (!rows[0]) throw new PlatformError(404, 'import_not_found', `no import ${id} in progress for you (it expires ${IMPORT_IDLE_MINUTES} minutes after its last chunk): start a new one with POST /api/v1/catalog/imports`);
  return rows[0];
}

const label = (e: ParsedEntity) => `${e.entity.kind} ${e.entity.metadata.name}`;

/** Parses a chunk's files; placeholders are resolved among the files sent with it, nothing else. */
export function parseChunk(files: SentFile[], attachments: SentFile[] = []): { entities: ParsedEntity[]; errors: DocumentError[]; locations: LocationTargets[] } {
  const sent = new Map<string, string>();
  for (const f of [...attachments, ...files]) sent.set(f.path, f.text);
  const entities: ParsedEntity[] = [];
  const errors: DocumentError[] = [];
  const locations: LocationTargets[] = [];
  const seen = new Map<string, ParsedEntity>();
  for (const f of files) {
    const parsed = parseCatalogFile(f.path, f.text, (p) => sent.get(p));
    errors.push(...parsed.errors);
    for (const e of parsed.entities) {
      const before = seen.get(e.ref);
      if (before) {
        errors.push(duplicate(e, `${before.file} document ${before.document}`));
        continue;
      }
      seen.set(e.ref, e);
      entities.push(e);
      const loc = locationTargets(e);
      if (loc) locations.push(loc);
    }
  }
  return { entities, errors, locations };
}

const duplicate = (e: ParsedEntity, where: string): DocumentError => ({
  file: e.file, document: e.document, line: e.line, entity: label(e),
  errors: [{ field: 'metadata.name', message: `${e.ref} is already defined in ${where}: each entity may appear once in an import` }],
});

/**
 * Entities validated and written at a time within a chunk: the server holds one batch of objects, not
 * a whole file's (a 5,000-dataset file: peak RSS 314 MB in batches of 1,000, 274 MB of 300, same time).
 */
const BATCH = 500;

export async function importChunk(pool: pg.Pool, id: string, user: string, files: SentFile[], attachments: SentFile[] = [], authorize?: Authorize): Promise<ChunkResult> {
  const sent = new Map<string, string>();
  for (const f of [...attachments, ...files]) sent.set(f.path, f.text);
  const { source } = await session(pool, id, user);
  const out: ChunkResult = { files: files.length, entities: 0, written: 0, unchanged: 0, errors: [], locations: [] };
  await inTransaction(pool, async (c) => {
    // A chunk need not wait for its WAL to reach the disk: after a crash the session is gone (its
    // tables are unlogged) and the import is run again; the commit, which removes, waits as usual.
    await c.query('SET LOCAL synchronous_commit = off');
    // Several chunks of one import may write at once; the commit (exclusive) waits for them.
    await lockSource(c, source, 'shared');
    for (const f of files) {
      // A file that turns out not to parse takes back what its earlier documents wrote.
      await c.query('SAVEPOINT file');
      const file: ChunkResult = { files: 1, entities: 0, written: 0, unchanged: 0, errors: [], locations: [] };
      let batch: ParsedEntity[] = [];
      let refused: DocumentError | null = null;
      for (const r of parseDocuments(f.path, f.text, (p) => sent.get(p))) {
        if ('entity' in r) {
          batch.push(r.entity);
          const loc = locationTargets(r.entity);
          if (loc) file.locations.push(loc);
          if (batch.length >= BATCH) {
            await writeBatch(c, id, source, batch, file, authorize);
            batch = [];
          }
        } else if (r.refused) {
          refused = r.error;
          break;
        } else file.errors.push(r.error);
      }
      if (refused) {
        await c.query('ROLLBACK TO SAVEPOINT file');
        out.errors.push(refused);
        continue;
      }
      if (batch.length) await writeBatch(c, id, source, batch, file, authorize);
      await c.query('RELEASE SAVEPOINT file');
      out.entities += file.entities;
      out.written += file.written;
      out.unchanged += file.unchanged;
      out.errors.push(...file.errors);
      out.locations.push(...file.locations);
    }
  });
  // Counted before the answer goes back, so before the client can commit.
  if (out.errors.length) await session(pool, id, user, out.errors.length);
  out.errors.sort((a, b) => (a.file === b.file ? a.document - b.document : a.file < b.file ? -1 : 1));
  return out;
}

/** Writes one batch of a chunk: its refs join the import's (a ref named twice is reported where it repeats), then the entities. */
async function writeBatch(c: pg.PoolClient, id: string, source: string, batch: ParsedEntity[], out: ChunkResult, authorize?: Authorize): Promise<void> {
  const firstOf = new Map<string, ParsedEntity>();
  const unique: ParsedEntity[] = [];
  for (const e of batch) {
    const first = firstOf.get(e.ref);
    if (first) out.errors.push(duplicate(e, `${first.file} document ${first.document}`));
    else {
      firstOf.set(e.ref, e);
      unique.push(e);
    }
  }
  // Refs in key order, so that two chunks naming the same refs never wait on each other in a cycle.
  unique.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  const { rows } = await c.query<{ ref: string }>(
    `INSERT INTO catalog_import_refs (import_id, ref, file, document)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[]) ON CONFLICT DO NOTHING RETURNING ref`,
    [id, unique.map((e) => e.ref), unique.map((e) => e.file), unique.map((e) => e.document)]);
  const fresh = new Set(rows.map((r) => r.ref));
  const repeated = unique.filter((e) => !fresh.has(e.ref));
  if (repeated.length) {
    const { rows: first } = await c.query<{ ref: string; file: string; document: number }>(
      'SELECT ref, file, document FROM catalog_import_refs WHERE import_id = $1 AND ref = ANY($2::text[])', [id, repeated.map((e) => e.ref)]);
    const where = new Map(first.map((r) => [r.ref, `${r.file} document ${r.document}`]));
    for (const e of repeated) out.errors.push(duplicate(e, where.get(e.ref) ?? 'an earlier file'));
  }
  const toWrite = unique.filter((e) => fresh.has(e.ref));
  const result = await writeEntitiesIn(c, source, toWrite, { foreign: 'skip', lock: 'shared', cleanIndexes: false, authorize });
  const byRef = new Map(toWrite.map((e) => [e.ref, e]));
  for (const f of result.foreign) {
    const e = byRef.get(f.ref)!;
    out.errors.push({ file: e.file, document: e.document, line: e.line, entity: label(e),
      errors: [{ field: 'metadata.name', message: `${f.ref} was registered by ${f.source}, which alone may change it` }] });
  }
  out.written += result.written;
  out.unchanged += result.unchanged;
  out.entities += result.written + result.unchanged;
}

/**
 * Ends an import: the source now holds exactly the entities the import named (the ones it held
 * before and no longer lists are removed, with their relations), and the search indexes' pending
 * lists are merged once for the whole import.
 */
/** From this many entities on, a commit refreshes the planner's statistics (see commitImport). */
const ANALYZE_FROM = 5000;

export async function commitImport(pool: pg.Pool, id: string, user: string, authorize?: Authorize): Promise<CommitResult> {
  const result = await inTransaction(pool, async (c) => {
    const { source, errors } = await session(c, id, user);
    await lockSource(c, source, 'exclusive');
    const { rows: gone } = await c.query<{ ref: string; owner: string | null }>(
      `SELECT f.ref, f.owner FROM catalog_facts f WHERE f.source = $1
         AND NOT EXISTS (SELECT 1 FROM catalog_import_refs r WHERE r.import_id = $2 AND r.ref = f.ref)`, [source, id]);
    const remove = errors ? [] : gone;
    if (remove.length) authorize?.(remove.map((g) => ({ action: 'deleteEntity', ref: g.ref, owner: g.owner, source })));
    const removed = remove.length ? await removeEntitiesIn(c, remove.map((g) => g.ref)) : [];
    const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM catalog_import_refs WHERE import_id = $1', [id]);
    await c.query('DELETE FROM catalog_imports WHERE id = $1', [id]);
    await cleanSearchIndexes(c);
    return { source, entities: rows[0].n, removed, kept: gone.length - remove.length };
  });
  // After a large import the planner must know the new rows at once: without statistics it picks
  // plans that take seconds where they take a millisecond (autovacuum gets there only after a while).
  // Only when the rows changed enough since the last ANALYZE (a re-import of the same files changes none).
  if (result.entities >= ANALYZE_FROM) {
    const { rows } = await pool.query<{ n: string }>(`SELECT coalesce(max(n_mod_since_analyze), 0) AS n FROM pg_stat_user_tables WHERE relname IN ('catalog_facts', 'catalog_entities')`);
    if (Number(rows[0].n) >= ANALYZE_FROM) await pool.query('ANALYZE catalog_facts, catalog_heads, catalog_entities, catalog_relations');
  }
  return result;
}

/** Drops a session without removing anything (the CLI's Ctrl-C, or a run with errors it was told to abandon). */
export async function abandonImport(pool: pg.Pool, id: string, user: string): Promise<void> {
  await pool.query('DELETE FROM catalog_imports WHERE id = $1 AND started_by = $2', [id, user]);
}

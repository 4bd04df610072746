import type { Queryable } from './store.ts';

/**
 * Answers to catalog reads, kept while the catalog is unchanged. The catalog's generation (a number
 * bumped at the commit of every transaction that writes an entity: migration 013) is read first, one
 * short round trip; an answer computed under another generation is never given out. The generation
 * is read before the answer is computed, so an answer is never older than the generation it is kept
 * under (at worst newer, which the next generation's reader replaces).
 */

const MAX_ENTRIES = 500;

interface Cache {
  generation: string | null;
  entries: Map<string, Promise<unknown>>;
}

// One cache per database handle (tests run several databases in one process).
const caches = new WeakMap<object, Cache>();

export async function catalogGeneration(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ generation: string }>('SELECT generation FROM catalog_generation');
  return rows[0]?.generation ?? '0';
}

/**
 * The answer kept under `key` for the current generation, or `read()`'s, kept. Concurrent identical
 * reads share one computation. Callers must not change what they get: it is shared.
 */
export async function cachedRead<T>(db: Queryable, key: string, read: () => Promise<T>): Promise<T> {
  const generation = await catalogGeneration(db);
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { generation, entries: new Map() }));
  if (cache.generation !== generation) {
    // A read that started before a newer one saw a later write: answer it, keep nothing.
    if (cache.generation !== null && BigInt(generation) < BigInt(cache.generation)) return read();
    cache.entries.clear();
    cache.generation = generation;
  }
  const kept = cache.entries.get(key);
  if (kept) {
    cache.entries.delete(key); // most recently used last: the first key is the one to drop
    cache.entries.set(key, kept);
    return kept as Promise<T>;
  }
  const answer = read();
  cache.entries.set(key, answer);
  answer.catch(() => cache.entries.get(key) === answer && cache.entries.delete(key));
  if (cache.entries.size > MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!);
  return answer;
}

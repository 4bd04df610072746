import type { Queryable } from './store.ts';

/**
 * Answers to catalog reads, kept while the catalog is unchanged. The catalog's generation (a number
 * bumped at the commit of every transaction that writes an entity: migration 013) is read first, one
 * short round trip; an answer computed under another generation is never given out. The generation
 * is read before the answer is computed, so an answer is never older than the generation it is kept
 * under (at worst newer, which the next generation's reader replaces).
 */

/** At most this much is kept per database, in entities (an answer weighs its items; see `weigh`). */
const MAX_WEIGHT = 20_000;
/** An answer heavier than this is given out but not kept: it would push out many small ones. */
const MAX_ENTRY_WEIGHT = 1_000;

interface Entry {
  answer: Promise<unknown>;
  weight: number;
}
interface Cache {
  generation: string | null;
  entries: Map<string, Entry>; // least recently used first
  weight: number;
}

// One cache per database handle (tests run several databases in one process).
const caches = new WeakMap<object, Cache>();

export async function catalogGeneration(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ generation: string }>('SELECT generation FROM catalog_generation');
  return rows[0]?.generation ?? '0';
}

/** What an answer weighs: its items (a page), or its values (facets), else 1. */
function defaultWeight(value: unknown): number {
  if (Array.isArray(value)) return value.length + 1;
  if (value && typeof value === 'object') {
    const items = (value as { items?: unknown }).items;
    if (Array.isArray(items)) return items.length + 1;
    return Object.values(value).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 1), 1);
  }
  return 1;
}

function drop(cache: Cache, key: string): void {
  const e = cache.entries.get(key);
  if (!e) return;
  cache.weight -= e.weight;
  cache.entries.delete(key);
}

/**
 * The answer kept under `key` for the current generation, or `read()`'s, kept. Concurrent identical
 * reads share one computation. Callers must not change what they get: it is shared.
 */
export async function cachedRead<T>(db: Queryable, key: string, read: () => Promise<T>): Promise<T> {
  const generation = await catalogGeneration(db);
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { generation, entries: new Map(), weight: 0 }));
  if (cache.generation !== generation) {
    // A read that started before a newer one saw a later write: answer it, keep nothing.
    if (cache.generation !== null && BigInt(generation) < BigInt(cache.generation)) return read();
    cache.entries.clear();
    cache.weight = 0;
    cache.generation = generation;
  }
  const kept = cache.entries.get(key);
  if (kept) {
    cache.entries.delete(key); // most recently used last: the first key is the one to drop
    cache.entries.set(key, kept);
    return kept.answer as Promise<T>;
  }
  const c = cache;
  const entry: Entry = { answer: read(), weight: 1 };
  c.entries.set(key, entry);
  c.weight += 1;
  entry.answer.then((value) => {
    if (c.entries.get(key) !== entry) return; // dropped meanwhile (a new generation)
    const weight = defaultWeight(value);
    if (weight > MAX_ENTRY_WEIGHT) return drop(c, key);
    c.weight += weight - entry.weight;
    entry.weight = weight;
    while (c.weight > MAX_WEIGHT && c.entries.size > 1) drop(c, c.entries.keys().next().value!);
  }, () => c.entries.get(key) === entry && drop(c, key));
  return entry.answer as Promise<T>;
}

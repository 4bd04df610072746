import pg from 'pg';

/** Calls get until ok says yes; after ms it fails, naming what it waited for and the last value. */
export async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, what = 'a condition', ms = 30_000, everyMs = 150): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** One query on its own connection, as a data scientist's client would make it. */
export async function query(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

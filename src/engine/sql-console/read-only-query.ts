// One SQL statement, run as an environment's own warehouse role, read-only, within a time limit.
// PostgreSQL enforces everything that matters (the role's grants, the data class, masking); this
// module only makes sure the console cannot be a way around read-only or the time limit.
import pg from 'pg';
import { PlatformError } from '../errors.ts';

export interface Column {
  name: string;
  /** PostgreSQL's name for the type, e.g. `integer`, `timestamp with time zone`. */
  type: string;
}

/** Values are PostgreSQL's own text for them (exact numerics and dates), or null. */
export type Row = (string | null)[];

export interface OpenQuery {
  columns: Column[];
  /** The statement's command tag when it returns no rows (e.g. SHOW returns rows; SET returns none). */
  command: string;
  /** Skips rows without sending them. */
  skip(n: number): Promise<void>;
  /** Up to n more rows; fewer means there are no more. */
  next(n: number): Promise<Row[]>;
  close(): Promise<void>;
}

export interface QueryLimits {
  /** The whole query, from connecting to the last row read. */
  timeoutMs: number;
}

const CURSOR = 'goldpath_console';

// The extended protocol (Parse/Bind/Execute) takes exactly one statement: PostgreSQL itself refuses
// `SELECT 1; DROP TABLE t` there. node-postgres supports the option; its types do not list it yet.
const extended = (q: { text: string; rowMode?: 'array' }): pg.QueryArrayConfig => ({ ...q, queryMode: 'extended' } as unknown as pg.QueryArrayConfig);

// Identity parsers: values stay the text PostgreSQL sent (no float rounding, no time zone shifts).
const asText = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

/**
 * Opens the statement in a READ ONLY transaction on a connection of its own, as the grant's role.
 * The text goes through the extended protocol, which refuses a second statement (`COMMIT; DROP …`);
 * every later transaction of the session is read-only too (`default_transaction_read_only`), and the
 * connection is closed after, so nothing a statement sets outlives it. Row-returning queries are
 * read through a cursor, so a billion-row SELECT sends only the rows asked for.
 */
export async function openReadOnlyQuery(grantUrl: string, sql: string, limits: QueryLimits): Promise<OpenQuery> {
  const text = statementText(sql);
  const client = new pg.Client({
    connectionString: grantUrl,
    types: asText,
    application_name: 'goldpath sql console',
    connectionTimeoutMillis: Math.min(limits.timeoutMs, 10_000),
    options: `-c default_transaction_read_only=on -c statement_timeout=${limits.timeoutMs}`,
  });
  client.on('error', () => {});
  let timedOut = false;
  let closed = false;
  // The backstop: whatever the statement set for itself, the backend is cancelled at the limit.
  // A role may cancel its own sessions, so this needs no privilege beyond the grant.
  const timer = setTimeout(() => {
    timedOut = true;
    const pid = (client as unknown as { processID?: number }).processID;
    if (pid) void cancelBackend(grantUrl, pid);
  }, limits.timeoutMs);
  timer.unref();
  const close = async () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    await client.end().catch(() => {});
  };
  const fail = async (e: unknown): Promise<never> => {
    await close();
    throw asPlatformError(e, timedOut, limits.timeoutMs);
  };

  try {
    await client.connect();
    // The first query fixes the transaction's snapshot: after it, `SET TRANSACTION READ WRITE` is refused.
    await client.query('BEGIN READ ONLY; SELECT 1');
    const usesCursor = returnsRowsThroughCursor(text);
    if (!usesCursor) {
      const r = await client.query(extended({ text, rowMode: 'array' }));
      const columns = await describeColumns(client, r.fields ?? []);
      let rows = (r.rows ?? []) as Row[];
      await close();
      return {
        columns, command: r.command ?? '',
        skip: async (n) => { rows = rows.slice(n); },
        next: async (n) => { const page = rows.slice(0, n); rows = rows.slice(n); return page; },
        close,
      };
    }
    const declare = `DECLARE ${CURSOR} NO SCROLL CURSOR FOR `;
    await client.query(extended({ text: `${declare}${text}` })).catch((e: { position?: string }) => {
      // PostgreSQL counts from the start of what it was sent; people count from the start of what they wrote.
      if (e.position && Number(e.position) > declare.length) e.position = String(Number(e.position) - declare.length);
      throw e;
    });
    // FETCH 0 describes the columns without reading a row.
    const described = await client.query({ text: `FETCH FORWARD 0 FROM ${CURSOR}`, rowMode: 'array' });
    const columns = await describeColumns(client, described.fields ?? []);
    return {
      columns, command: 'SELECT',
      skip: async (n) => {
        if (n > 0) await client.query(`MOVE FORWARD ${Math.floor(n)} IN ${CURSOR}`).catch(fail);
      },
      next: async (n) => {
        if (closed) return [];
        const r = await client.query({ text: `FETCH FORWARD ${Math.max(1, Math.floor(n))} FROM ${CURSOR}`, rowMode: 'array' }).catch(fail);
        return r.rows as Row[];
      },
      close,
    };
  } catch (e) {
    return fail(e);
  }
}

/** One page of a query's rows: `truncated` says there are more after it. */
export async function queryPage(grantUrl: string, sql: string, page: { limit: number; offset: number }, limits: QueryLimits): Promise<{
  columns: Column[]; rows: Row[]; rowCount: number; offset: number; truncated: boolean; command: string; ms: number;
}> {
  const started = performance.now();
  const q = await openReadOnlyQuery(grantUrl, sql, limits);
  try {
    await q.skip(page.offset);
    const rows = await q.next(page.limit + 1);
    const truncated = rows.length > page.limit;
    if (truncated) rows.length = page.limit;
    return { columns: q.columns, rows, rowCount: rows.length, offset: page.offset, truncated, command: q.command, ms: Math.round(performance.now() - started) };
  } finally {
    await q.close();
  }
}

async function cancelBackend(grantUrl: string, pid: number): Promise<void> {
  const c = new pg.Client({ connectionString: grantUrl, connectionTimeoutMillis: 5000, application_name: 'goldpath sql console (cancel)' });
  c.on('error', () => {});
  try {
    await c.connect();
    await c.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    // The statement ended on its own, or the server is going away: nothing left to cancel.
  } finally {
    await c.end().catch(() => {});
  }
}

async function describeColumns(client: pg.Client, fields: pg.FieldDef[]): Promise<Column[]> {
  if (fields.length === 0) return [];
  const oids = [...new Set(fields.map((f) => f.dataTypeID))];
  const r = await client.query<{ oid: string; name: string }>('SELECT oid::text AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::oid[])', [oids]);
  const names = new Map(r.rows.map((t) => [Number(t.oid), t.name]));
  return fields.map((f) => ({ name: f.name, type: names.get(f.dataTypeID) ?? 'unknown' }));
}

/** The statement as sent: trailing `;` and blanks removed; empty or oversized text is refused. */
export function statementText(sql: string): string {
  const text = sql.trim().replace(/[;\s]+$/, '');
  if (!text) throw new PlatformError(400, 'invalid_sql', 'sql: write one SQL statement, e.g. SELECT * FROM customers LIMIT 10');
  // COPY streams in a protocol of its own, and to or from files or programs the grant must not reach.
  if (firstWord(text) === 'copy') throw new PlatformError(400, 'invalid_sql', 'COPY is not available in the SQL console: use Export CSV (or psql\'s \\copy with the environment\'s warehouse URL)');
  return text;
}

/** The statement's first word, lower-case, after blanks, comments and opening parentheses. */
export function firstWord(text: string): string {
  let s = text;
  for (;;) {
    const before = s;
    s = s.replace(/^\s+/, '').replace(/^--[^\n]*(\n|$)/, '').replace(/^\/\*[\s\S]*?\*\//, '').replace(/^\(/, '');
    if (s === before) break;
  }
  return /^[a-z_]+/i.exec(s)?.[0].toLowerCase() ?? '';
}

/**
 * Whether the statement is a query a cursor can read (SELECT, WITH, VALUES, TABLE, or one of those in
 * parentheses). Anything else (SHOW, EXPLAIN, SET …) runs as it is: those return few rows, and
 * writes are refused by the read-only transaction either way.
 */
export function returnsRowsThroughCursor(text: string): boolean {
  return ['select', 'with', 'values', 'table'].includes(firstWord(text));
}

/** PostgreSQL's message for people, with what to do; never a connection string or password. */
function asPlatformError(e: unknown, timedOut: boolean, timeoutMs: number): PlatformError {
  if (e instanceof PlatformError) return e;
  const err = e as { code?: string; message?: string; position?: string; hint?: string };
  const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 100) / 10} s` : `${timeoutMs} ms`;
  if (err.code === '57014' || timedOut) {
    return new PlatformError(400, 'query_timeout', `the query ran longer than the console's limit of ${seconds} and was cancelled; narrow it (a WHERE, fewer joins) or run it from psql with the environment's warehouse URL`);
  }
  if (err.code === '42601' && /multiple commands/.test(err.message ?? '')) {
    return new PlatformError(400, 'invalid_sql', 'the console runs one SQL statement at a time: remove the ";" and what follows it');
  }
  if (err.code === '25006') {
    return new PlatformError(400, 'read_only', `the SQL console is read-only (${err.message}); write to your scratch schema from psql, a notebook or pandas with the environment's warehouse URL`);
  }
  if (typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)) {
    const where = err.position ? ` (at character ${err.position})` : '';
    const hint = err.hint ? `; hint: ${err.hint}` : '';
    return new PlatformError(400, 'sql_error', `PostgreSQL: ${err.message}${where}${hint} [${err.code}]`);
  }
  // Not PostgreSQL's answer: the grant's server could not be reached. Its URL holds the password, so it is not quoted.
  return new PlatformError(409, 'warehouse_unreachable', `the warehouse could not be reached with this environment's grant (${(err.message ?? '').replace(/\w+:\/\/\S+/g, '<url>').slice(0, 200)}); is the environment ready?`);
}

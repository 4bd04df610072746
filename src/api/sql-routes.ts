import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type pg from 'pg';
import { requireEnvironment } from '../engine/environments/launch.ts';
import { openReadOnlyQuery, queryPage } from '../engine/sql-console/read-only-query.ts';
import { queryRepoOf, warehouseGrantOf } from '../engine/sql-console/environment-grant.ts';
import { listSavedQueries, QUERY_NAME, saveQuery } from '../engine/sql-console/saved-queries.ts';
import { toCsvLine } from '../engine/sql-console/csv.ts';
import { PlatformError } from '../engine/errors.ts';
import { guard } from './authorize.ts';
import { errors, IdParam, json, secured, type Api, type Env } from './openapi.ts';

export interface SqlConsoleDeps {
  pool: pg.Pool;
  sqlConsole?: {
    /** Where the environments' bare repositories are: saved queries are committed there. */
    reposDir: string;
    /** Told after a saved query is committed, as a push would be (the catalog and builds follow pushes). */
    announcePush?: (repo: string) => Promise<void>;
    /** The longest a console query may run (default 30 s). */
    timeoutMs?: number;
  };
}

export const MAX_PAGE_ROWS = 1000;
export const MAX_CSV_ROWS = 100_000;
export const DEFAULT_TIMEOUT_MS = 30_000;

const Column = z.object({ name: z.string(), type: z.string() });
export const SqlRequest = z.strictObject({
  sql: z.string().min(1, 'write one SQL statement, e.g. SELECT * FROM customers LIMIT 10').max(100_000, 'at most 100,000 characters'),
  limit: z.number().int().min(1).max(MAX_PAGE_ROWS).default(100).openapi({ description: `rows per page, at most ${MAX_PAGE_ROWS}` }),
  offset: z.number().int().min(0).max(1_000_000).default(0),
});
export const SqlResult = z.object({
  columns: z.array(Column),
  rows: z.array(z.array(z.string().nullable())).openapi({ description: 'PostgreSQL\'s text for each value, or null' }),
  rowCount: z.number().int().openapi({ description: 'rows in this page' }),
  offset: z.number().int(),
  truncated: z.boolean().openapi({ description: 'more rows follow this page: ask again with offset + rowCount' }),
  command: z.string(),
  ms: z.number(),
});
const SavedQuery = z.object({ name: z.string(), path: z.string(), sql: z.string() });
const SchemaRelation = z.object({ schema: z.string(), name: z.string(), kind: z.string(), columns: z.array(Column) });

/**
 * The SQL console: queries run as the environment's own warehouse role (so its data class and
 * masking apply, enforced by PostgreSQL), read-only and within a time limit; saved queries are
 * commits in the environment's repository.
 */
export function registerSqlRoutes(app: Api, deps: SqlConsoleDeps): void {
  const timeoutMs = deps.sqlConsole?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const grantFor = async (c: Context<Env>, id: string, action: 'queryWarehouse' | 'saveQuery' = 'queryWarehouse') => {
    const env = await requireEnvironment(deps, { may: guard(c) }, id, action);
    return { env, grant: warehouseGrantOf(env) };
  };

  app.openapi(createRoute({ method: 'post', path: '/api/v1/environments/{id}/sql', security: secured,
    description: 'Runs one read-only SQL statement as the environment\'s warehouse role. `?format=csv` (or Accept: text/csv) streams up to 100,000 rows as CSV instead of a page.',
    request: {
      params: IdParam,
      query: z.object({ format: z.enum(['json', 'csv']).optional().openapi({ description: 'csv for a download (or send Accept: text/csv)' }) }),
      body: { required: true, content: { 'application/json': { schema: SqlRequest } } },
    },
    responses: {
      200: { description: 'A page of rows (JSON), or every row up to the cap as CSV', content: { 'application/json': { schema: SqlResult }, 'text/csv': { schema: z.string() } } },
      400: errors[400], 403: errors[403], 404: errors[404], 409: errors[409],
    } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { env, grant } = await grantFor(c, id);
      const csv = c.req.valid('query').format === 'csv' || (c.req.valid('query').format === undefined && /\btext\/csv\b/.test(c.req.header('accept') ?? ''));
      if (!csv) return c.json(await queryPage(grant.url, body.sql, body, { timeoutMs }), 200);
      // Opened before answering, so a bad statement is still a 400 with PostgreSQL's message.
      const q = await openReadOnlyQuery(grant.url, body.sql, { timeoutMs });
      const encoder = new TextEncoder();
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(toCsvLine(q.columns.map((col) => col.name))));
        },
        async pull(controller) {
          try {
            const rows = sent < MAX_CSV_ROWS ? await q.next(Math.min(2000, MAX_CSV_ROWS - sent)) : [];
            if (rows.length === 0) {
              await q.close();
              controller.close();
              return;
            }
            sent += rows.length;
            controller.enqueue(encoder.encode(rows.map(toCsvLine).join('')));
          } catch (e) {
            // Headers are gone: the download ends short, and the file's last line says why.
            controller.enqueue(encoder.encode(`# export stopped: ${(e as Error).message}\n`));
            await q.close();
            controller.close();
          }
        },
        async cancel() {
          await q.close();
        },
      });
      return c.body(stream, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${env.name}-query.csv"`,
        'cache-control': 'no-store',
      }) as never;
    });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/environments/{id}/sql/schema', security: secured,
    request: { params: IdParam },
    responses: { 200: json(z.object({ dataClass: z.string(), relations: z.array(SchemaRelation) }), 'The tables and views the environment\'s grant reads, with their columns, as PostgreSQL reports them to its role'), 403: errors[403], 404: errors[404], 409: errors[409] } }),
    async (c) => {
      const { grant } = await grantFor(c, c.req.valid('param').id);
      // pg_catalog rather than information_schema: the masked data are materialized views, which it leaves out.
      const r = await queryPage(grant.url, `SELECT n.nspname, c.relname, CASE WHEN c.relkind IN ('r', 'p', 'f') THEN 'table' ELSE 'view' END, a.attname, format_type(a.atttypid, a.atttypmod)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = ANY (current_schemas(false)) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
          AND has_table_privilege(c.oid, 'SELECT') AND has_column_privilege(c.oid, a.attnum, 'SELECT')
        ORDER BY 1, 2, a.attnum`, { limit: 5000, offset: 0 }, { timeoutMs });
      const relations = new Map<string, z.infer<typeof SchemaRelation>>();
      for (const [schema, name, kind, column, dataType] of r.rows as string[][]) {
        const key = `${schema}.${name}`;
        if (!relations.has(key)) relations.set(key, { schema: schema!, name: name!, kind: kind!, columns: [] });
        relations.get(key)!.columns.push({ name: column!, type: dataType! });
      }
      return c.json({ dataClass: grant.dataClass, relations: [...relations.values()] }, 200);
    });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/environments/{id}/queries', security: secured,
    request: { params: IdParam },
    responses: { 200: json(z.object({ queries: z.array(SavedQuery) }), 'Saved queries: the queries/*.sql files on the main branch of the environment\'s repository'), 403: errors[403], 404: errors[404], 409: errors[409] } }),
    async (c) => {
      const env = await requireEnvironment(deps, { may: guard(c) }, c.req.valid('param').id, 'queryWarehouse');
      const reposDir = requireReposDir(deps);
      return c.json({ queries: await listSavedQueries(queryRepoOf(env, reposDir).gitDir) }, 200);
    });

  app.openapi(createRoute({ method: 'post', path: '/api/v1/environments/{id}/queries', security: secured,
    request: {
      params: IdParam,
      body: { required: true, content: { 'application/json': { schema: z.strictObject({
        name: z.string().regex(QUERY_NAME, 'use 1-64 lower-case letters, digits, "-" and "_", starting with a letter or digit (it becomes queries/<name>.sql)'),
        sql: z.string().trim().min(1, 'the query to save is empty').max(100_000),
      }) } } },
    },
    responses: { 201: json(z.object({ name: z.string(), path: z.string(), commit: z.string() }), 'Committed to main in the environment\'s repository, authored by you'), 400: errors[400], 403: errors[403], 404: errors[404], 409: errors[409] } }),
    async (c) => {
      const { name, sql } = c.req.valid('json');
      const env = await requireEnvironment(deps, { may: guard(c) }, c.req.valid('param').id, 'saveQuery');
      const reposDir = requireReposDir(deps);
      const repo = queryRepoOf(env, reposDir);
      const user = c.get('user');
      const saved = await saveQuery(repo.gitDir, { name, sql }, { name: user.name || user.id, email: user.email || `${user.id}@users.goldpath.local` });
      // As for a push: the catalog and the builds that follow this repository see the commit.
      await deps.sqlConsole?.announcePush?.(repo.name).catch((e: Error) => console.error(`[sql] after saving ${saved.path}: ${e.message}`));
      return c.json({ name, ...saved }, 201);
    });
}

function requireReposDir(deps: SqlConsoleDeps): string {
  if (!deps.sqlConsole) throw new PlatformError(404, 'no_repositories', 'this platform keeps no repositories for saved queries');
  return deps.sqlConsole.reposDir;
}

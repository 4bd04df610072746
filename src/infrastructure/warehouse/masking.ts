// Compiles the policy file into the `masked` schema: one materialized view per dataset, owned by a
// NOLOGIN role, holding only the rows the row filter lets through and only the columns the policy
// lists, each already masked by its rule. Materialized rather than a view over the raw table:
// EXPLAIN ANALYZE on a view shows the raw table's scan ("Rows Removed by Filter: 1" for a hidden
// customer's id), and PostgreSQL cannot withhold EXPLAIN from a role that may SELECT. A plan over
// the materialized data only ever shows rows the class may see.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { ColumnPolicy, WarehousePolicy } from './policy.ts';
import { tableDef } from './tables.ts';
import { classRole, INTERNAL_SCHEMA, VIEW_OWNER_ROLE } from './model.ts';
import { ident, literal } from './sql.ts';

/** The SQL expression the masked class sees for a raw column `t.<name>`. */
export function maskExpression(column: string, sqlType: string, cp: ColumnPolicy): string {
  const c = `t.${ident(column)}`;
  switch (cp.masking) {
    case 'none':
      return c;
    case 'hash':
      // Salted so a masked user cannot confirm a guess by hashing it; stable so joins and group-bys work.
      return `left(encode(sha256(convert_to(s.salt || ${c}, 'UTF8')), 'hex'), 16)`;
    case 'last4':
      return `CASE WHEN length(${c}) > 4 THEN repeat('*', length(${c}) - 4) || right(${c}, 4) ELSE repeat('*', length(${c})) END`;
    case 'redact':
      return `CASE WHEN ${c} IS NULL THEN NULL ELSE '[redacted]' END`;
    case 'year_only':
      return `date_trunc('year', ${c})::date`;
    case 'nullify':
      return `NULL::${sqlType}`;
  }
}

/** The query whose result is the masked class's copy of a dataset. */
export function maskedQuerySql(dataset: string, policy: WarehousePolicy): string {
  const ds = policy.datasets[dataset];
  const def = tableDef(dataset);
  if (!def) throw new Error(`policy dataset ${dataset} is not a warehouse table`);
  // Table order, not file order, so the columns match the other schemas.
  const select = def.columns
    .filter((c) => ds.columns[c.name])
    .map((c) => `${maskExpression(c.name, c.type, ds.columns[c.name])} AS ${ident(c.name)}`);
  if (select.length === 0) throw new Error(`policy dataset ${dataset} lists no columns`);
  const where = ds.rowFilter ? `\nWHERE (${ds.rowFilter})` : '';
  return `SELECT ${select.join(',\n       ')}\nFROM sensitive.${ident(dataset)} t CROSS JOIN ${INTERNAL_SCHEMA}.salt s${where}`;
}

/** Columns shown as is (masking none): only these may carry the key's unique index and the join indexes. */
function plainColumns(dataset: string, policy: WarehousePolicy): Set<string> {
  const cols = policy.datasets[dataset].columns;
  return new Set(Object.keys(cols).filter((name) => cols[name].masking === 'none'));
}

async function createMaskedData(c: pg.Client, dataset: string, policy: WarehousePolicy, query: string): Promise<void> {
  const rel = `masked.${ident(dataset)}`;
  await c.query(`CREATE MATERIALIZED VIEW ${rel} AS ${query}`);
  await c.query(`ALTER MATERIALIZED VIEW ${rel} OWNER TO ${ident(VIEW_OWNER_ROLE)}`);
  const def = tableDef(dataset)!;
  const plain = plainColumns(dataset, policy);
  // A unique key lets a refresh run CONCURRENTLY (readers are not blocked); the others serve joins.
  if (plain.has(def.primaryKey)) {
    await c.query(`CREATE UNIQUE INDEX ${ident(`${dataset}_masked_key`)} ON ${rel} (${ident(def.primaryKey)})`);
  }
  for (const column of def.indexes.filter((col) => plain.has(col))) {
    await c.query(`CREATE INDEX ${ident(`${dataset}_masked_${column}_idx`)} ON ${rel} (${ident(column)})`);
  }
  await c.query(`ANALYZE ${rel}`);
}

async function dropMasked(c: pg.Client, name: string, relkind: string): Promise<void> {
  // CASCADE: views an analyst built on the old shape in a scratch schema cannot outlive it.
  await c.query(`DROP ${relkind === 'm' ? 'MATERIALIZED VIEW' : 'VIEW'} masked.${ident(name)} CASCADE`);
}

function fingerprint(query: string): string {
  return createHash('sha256').update(query).digest('hex');
}

/**
 * Creates or refreshes the masked data of every dataset in the policy and drops what the policy
 * no longer has. A dataset whose query is unchanged is refreshed in place, so what analysts built
 * on it survives. Runs inside the caller's transaction.
 */
export async function compileMaskedViews(c: pg.Client, policy: WarehousePolicy): Promise<void> {
  // Resolve every function and operator in the queries to pg_catalog, whatever the session had.
  await c.query('SET LOCAL search_path TO pg_catalog');
  const wanted = Object.keys(policy.datasets);
  const existing = await c.query<{ name: string; relkind: string; compiled: string | null }>(
    `SELECT c.relname AS name, c.relkind, m.value AS compiled FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN ${INTERNAL_SCHEMA}.meta m ON m.key = 'masked.' || c.relname
     WHERE n.nspname = 'masked' AND c.relkind IN ('v', 'm')`,
  );
  for (const { name, relkind } of existing.rows) {
    if (!wanted.includes(name)) await dropMasked(c, name, relkind);
  }
  for (const dataset of wanted) {
    const query = maskedQuerySql(dataset, policy);
    const current = existing.rows.find((r) => r.name === dataset);
    if (current?.relkind === 'm' && current.compiled === fingerprint(query)) {
      await c.query(`REFRESH MATERIALIZED VIEW masked.${ident(dataset)}`);
    } else {
      if (current) await dropMasked(c, dataset, current.relkind);
      await createMaskedData(c, dataset, policy, query);
      await c.query(
        `INSERT INTO ${INTERNAL_SCHEMA}.meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [`masked.${dataset}`, fingerprint(query)],
      );
    }
    await c.query(`REVOKE ALL ON masked.${ident(dataset)} FROM PUBLIC`);
    await c.query(`GRANT SELECT ON masked.${ident(dataset)} TO ${ident(classRole('masked'))}`);
    const ds = policy.datasets[dataset];
    await c.query(`COMMENT ON MATERIALIZED VIEW masked.${ident(dataset)} IS ${literal(ds.description)}`);
    for (const [column, cp] of Object.entries(ds.columns)) {
      const note = cp.masking === 'none' ? cp.description : `${cp.description} [masked: ${cp.masking}]`;
      await c.query(`COMMENT ON COLUMN masked.${ident(dataset)}.${ident(column)} IS ${literal(note)}`);
    }
  }
  await c.query(`DELETE FROM ${INTERNAL_SCHEMA}.meta WHERE key LIKE 'masked.%' AND NOT (substr(key, 8) = ANY($1))`, [wanted]);
  await c.query(`INSERT INTO ${INTERNAL_SCHEMA}.meta (key, value) VALUES ('masked_refreshed_on', current_date::text)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  await c.query('SET LOCAL search_path TO DEFAULT');
}

/**
 * Recomputes the masked data from the raw tables: the row filters may depend on the date (minors
 * come of age) and raw rows may change. CONCURRENTLY where the data has a unique key, so readers
 * are not blocked; a lock the refresh cannot get within lock_timeout fails it (try again later).
 */
export async function refreshMaskedData(c: pg.Client): Promise<void> {
  const rels = await c.query<{ name: string; keyed: boolean }>(
    `SELECT c.relname AS name, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique) AS keyed
     FROM pg_class c WHERE c.relnamespace = 'masked'::regnamespace AND c.relkind = 'm' ORDER BY 1`,
  );
  for (const { name, keyed } of rels.rows) {
    await c.query(`REFRESH MATERIALIZED VIEW ${keyed ? 'CONCURRENTLY ' : ''}masked.${ident(name)}`);
  }
  await c.query(`INSERT INTO ${INTERNAL_SCHEMA}.meta (key, value) VALUES ('masked_refreshed_on', current_date::text)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
}

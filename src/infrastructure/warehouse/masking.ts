// Compiles the policy file into the `masked` schema: one security_barrier view per dataset,
// owned by a NOLOGIN role, exposing only the columns the policy lists, each masked by its rule.
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

export function maskedViewSql(dataset: string, policy: WarehousePolicy): string {
  const ds = policy.datasets[dataset];
  const def = tableDef(dataset);
  if (!def) throw new Error(`policy dataset ${dataset} is not a warehouse table`);
  // Table order, not file order, so the view's columns match the other schemas.
  const select = def.columns
    .filter((c) => ds.columns[c.name])
    .map((c) => `${maskExpression(c.name, c.type, ds.columns[c.name])} AS ${ident(c.name)}`);
  if (select.length === 0) throw new Error(`policy dataset ${dataset} lists no columns`);
  const where = ds.rowFilter ? `\nWHERE (${ds.rowFilter})` : '';
  return (
    `CREATE OR REPLACE VIEW masked.${ident(dataset)} WITH (security_barrier = true, security_invoker = false) AS\n` +
    `SELECT ${select.join(',\n       ')}\nFROM sensitive.${ident(dataset)} t CROSS JOIN ${INTERNAL_SCHEMA}.salt s${where}`
  );
}

/**
 * Creates or replaces every masked view in the policy and drops views the policy no longer has.
 * Runs inside the caller's transaction.
 */
export async function compileMaskedViews(c: pg.Client, policy: WarehousePolicy): Promise<void> {
  // Resolve every function and operator in the views to pg_catalog, whatever the session had.
  await c.query('SET LOCAL search_path TO pg_catalog');
  const wanted = Object.keys(policy.datasets);
  const existing = await c.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'masked' AND c.relkind = 'v'`,
  );
  for (const { name } of existing.rows) {
    if (!wanted.includes(name)) await c.query(`DROP VIEW masked.${ident(name)} CASCADE`);
  }
  for (const dataset of wanted) {
    const sql = maskedViewSql(dataset, policy);
    await c.query('SAVEPOINT view_replace');
    try {
      await c.query(sql);
      await c.query('RELEASE SAVEPOINT view_replace');
    } catch (err) {
      // CREATE OR REPLACE cannot remove or retype columns; rebuild the view when the policy changed its shape.
      await c.query('ROLLBACK TO SAVEPOINT view_replace');
      if ((err as { code?: string }).code !== '42P16') throw err;
      await c.query(`DROP VIEW masked.${ident(dataset)} CASCADE`);
      await c.query(sql);
    }
    await c.query(`ALTER VIEW masked.${ident(dataset)} OWNER TO ${ident(VIEW_OWNER_ROLE)}`);
    await c.query(`REVOKE ALL ON masked.${ident(dataset)} FROM PUBLIC`);
    await c.query(`GRANT SELECT ON masked.${ident(dataset)} TO ${ident(classRole('masked'))}`);
    const ds = policy.datasets[dataset];
    await c.query(`COMMENT ON VIEW masked.${ident(dataset)} IS ${literal(ds.description)}`);
    for (const [column, cp] of Object.entries(ds.columns)) {
      const note = cp.masking === 'none' ? cp.description : `${cp.description} [masked: ${cp.masking}]`;
      await c.query(`COMMENT ON COLUMN masked.${ident(dataset)}.${ident(column)} IS ${literal(note)}`);
    }
  }
  await c.query('SET LOCAL search_path TO DEFAULT');
}

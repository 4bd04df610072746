// ensureWarehouse: brings a database to the warehouse's shape (roles, schemas, tables, grants,
// masked views, data). Idempotent; a second call on an unchanged warehouse only reads a fingerprint.
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { generateDataset, type GeneratedTable } from './generate.ts';
import { loadPolicy, type WarehousePolicy } from './policy.ts';
import { compileMaskedViews, refreshMaskedData } from './masking.ts';
import { ensureConnectionCaps, validateCaps, type ConnectionCaps } from './connections.ts';
import { TABLES } from './tables.ts';
import {
  classRole, classSchema, DATA_CLASSES, INTERNAL_SCHEMA, SCHEMA_VERSION, VIEW_OWNER_ROLE, type DataClass,
} from './model.ts';
import { databaseOf, ident, inTransaction, literal, withClient } from './sql.ts';

export interface EnsureOptions {
  scale?: number;
  seed?: number;
  onProgress?: (msg: string) => void;
  /** Policy file to compile the masked views from; defaults to the repository's warehouse/policy.yaml. */
  policyPath?: string;
  /** Connection caps per team and for all environments; by default derived from max_connections. */
  connectionCaps?: ConnectionCaps;
}

const DEFAULT_SEED = 42;
const INSERT_CHUNK = 50_000;
const DATA_SCHEMAS = ['sensitive', 'synthetic'] as const;
const ALL_GROUP_ROLES = [...DATA_CLASSES.map(classRole), VIEW_OWNER_ROLE];

/** The synthetic rows come from another seed, so none is derived from a sensitive row. */
export function syntheticSeed(seed: number): number {
  return (seed ^ 0x5eed5eed) >>> 0;
}

function fingerprintOf(policyText: string, caps: ConnectionCaps): string {
  return createHash('sha256').update(`${SCHEMA_VERSION}\n${JSON.stringify([caps.perTeam, caps.total])}\n${policyText}`).digest('hex');
}

/** 'current' when nothing is to do; 'stale' when only the masked data is from an earlier day. */
async function isCurrent(c: pg.Client, fingerprint: string): Promise<'current' | 'stale' | false> {
  const probe = await c.query<{ has_meta: boolean; roles: number }>(
    `SELECT to_regclass($1) IS NOT NULL AS has_meta,
            (SELECT count(*)::int FROM pg_roles WHERE rolname = ANY($2)) AS roles`,
    [`${INTERNAL_SCHEMA}.meta`, ALL_GROUP_ROLES],
  );
  if (!probe.rows[0].has_meta || probe.rows[0].roles !== ALL_GROUP_ROLES.length) return false;
  const meta = await c.query<{ key: string; value: string }>(
    `SELECT key, value FROM ${INTERNAL_SCHEMA}.meta UNION ALL SELECT 'today', current_date::text`,
  );
  const get = (k: string) => meta.rows.find((r) => r.key === k)?.value;
  if (get('fingerprint') !== fingerprint || get('seeded') !== 'true') return false;
  return get('masked_refreshed_on') === get('today') ? 'current' : 'stale';
}

async function ensureGroupRoles(c: pg.Client): Promise<void> {
  for (const role of ALL_GROUP_ROLES) {
    // Roles are cluster-wide and another database's ensureWarehouse may be creating them right now.
    await c.query(`DO $$ BEGIN
      CREATE ROLE ${ident(role)} NOLOGIN NOINHERIT;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await c.query(`ALTER ROLE ${ident(role)} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`);
  }
}

async function ensureDatabaseLockdown(c: pg.Client, database: string): Promise<void> {
  // Nobody but the class roles may connect, and env roles create objects only in their scratch schema.
  await c.query(`REVOKE ALL ON DATABASE ${ident(database)} FROM PUBLIC`);
  for (const cls of DATA_CLASSES) await c.query(`GRANT CONNECT ON DATABASE ${ident(database)} TO ${ident(classRole(cls))}`);
  // REFRESH ... CONCURRENTLY of the masked data builds a temporary table as their owner (NOLOGIN, no members).
  await c.query(`GRANT TEMPORARY ON DATABASE ${ident(database)} TO ${ident(VIEW_OWNER_ROLE)}`);
  await c.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
  for (const schema of [...DATA_SCHEMAS, 'masked', INTERNAL_SCHEMA]) {
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    await c.query(`REVOKE ALL ON SCHEMA ${ident(schema)} FROM PUBLIC`);
  }
  await c.query(`CREATE TABLE IF NOT EXISTS ${INTERNAL_SCHEMA}.meta (key text PRIMARY KEY, value text NOT NULL)`);
  await c.query(`CREATE TABLE IF NOT EXISTS ${INTERNAL_SCHEMA}.salt (salt text NOT NULL)`);
  await c.query(`INSERT INTO ${INTERNAL_SCHEMA}.salt (salt) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM ${INTERNAL_SCHEMA}.salt)`, [
    randomBytes(24).toString('hex'),
  ]);
}

async function createTables(c: pg.Client, schema: string): Promise<void> {
  for (const t of TABLES) {
    const cols = t.columns.map((col) => `${ident(col.name)} ${col.type} NOT NULL`).join(', ');
    await c.query(`CREATE TABLE IF NOT EXISTS ${ident(schema)}.${ident(t.name)} (${cols})`);
  }
}

async function constraintExists(c: pg.Client, schema: string, name: string): Promise<boolean> {
  const r = await c.query(
    `SELECT 1 FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname = $1 AND k.conname = $2`,
    [schema, name],
  );
  return r.rowCount === 1;
}

/** Keys and indexes are added after the bulk load: building them once is much faster than per row. */
async function addConstraints(c: pg.Client, schema: string): Promise<void> {
  for (const t of TABLES) {
    const pk = `${t.name}_pkey`;
    if (!(await constraintExists(c, schema, pk))) {
      await c.query(`ALTER TABLE ${ident(schema)}.${ident(t.name)} ADD CONSTRAINT ${ident(pk)} PRIMARY KEY (${ident(t.primaryKey)})`);
    }
  }
  for (const t of TABLES) {
    for (const fk of t.foreignKeys) {
      const name = `${t.name}_${fk.column}_fkey`;
      if (!(await constraintExists(c, schema, name))) {
        await c.query(
          `ALTER TABLE ${ident(schema)}.${ident(t.name)} ADD CONSTRAINT ${ident(name)} FOREIGN KEY (${ident(fk.column)}) REFERENCES ${ident(schema)}.${ident(fk.references)} (${ident(fk.refColumn)})`,
        );
      }
    }
    for (const column of t.indexes) {
      await c.query(`CREATE INDEX IF NOT EXISTS ${ident(`${t.name}_${column}_idx`)} ON ${ident(schema)}.${ident(t.name)} (${ident(column)})`);
    }
  }
}

async function bulkInsert(c: pg.Client, schema: string, table: GeneratedTable): Promise<void> {
  const def = TABLES.find((t) => t.name === table.name)!;
  const names = def.columns.map((col) => ident(col.name)).join(', ');
  const unnest = def.columns.map((col, i) => `$${i + 1}::${col.arrayType}[]`).join(', ');
  const sql = `INSERT INTO ${ident(schema)}.${ident(table.name)} (${names}) SELECT * FROM unnest(${unnest})`;
  for (let start = 0; start < table.rows; start += INSERT_CHUNK) {
    const params = def.columns.map((col) => table.columns[col.name].slice(start, start + INSERT_CHUNK));
    await c.query(sql, params);
  }
}

async function isEmpty(c: pg.Client, schema: string): Promise<boolean> {
  const r = await c.query(`SELECT NOT EXISTS (SELECT 1 FROM ${ident(schema)}.customers) AS empty`);
  return r.rows[0].empty as boolean;
}

async function seedSchema(c: pg.Client, schema: 'sensitive' | 'synthetic', seed: number, scale: number, progress: (m: string) => void): Promise<void> {
  const started = performance.now();
  const data = generateDataset({
    seed: schema === 'synthetic' ? syntheticSeed(seed) : seed,
    scale,
    emailDomains: schema === 'synthetic' ? ['example.com', 'example.org', 'example.net'] : ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me', 'icloud.com'],
  });
  progress(`${schema}: generated ${data.map((t) => `${t.rows} ${t.name}`).join(', ')} in ${Math.round(performance.now() - started)} ms`);
  // Parents before children, so the foreign keys (if present from an earlier run) hold.
  await c.query(`TRUNCATE ${TABLES.map((t) => `${ident(schema)}.${ident(t.name)}`).join(', ')}`);
  for (const t of data) await bulkInsert(c, schema, t);
  progress(`${schema}: loaded in ${Math.round(performance.now() - started)} ms`);
}

async function ensureGrants(c: pg.Client): Promise<void> {
  // Converge: each class role reads exactly its own schema, whatever grants existed before.
  for (const cls of DATA_CLASSES) {
    const role = ident(classRole(cls));
    for (const other of [...DATA_SCHEMAS, 'masked', INTERNAL_SCHEMA, 'public']) {
      if (other === classSchema(cls)) continue;
      await c.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${ident(other)} FROM ${role}`);
      await c.query(`REVOKE ALL ON SCHEMA ${ident(other)} FROM ${role}`);
    }
  }
  for (const cls of ['synthetic', 'sensitive'] as DataClass[]) {
    await c.query(`GRANT USAGE ON SCHEMA ${ident(classSchema(cls))} TO ${ident(classRole(cls))}`);
    await c.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${ident(classSchema(cls))} TO ${ident(classRole(cls))}`);
  }
  await c.query(`GRANT USAGE ON SCHEMA masked TO ${ident(classRole('masked'))}`);
  // The view owner reads raw rows and the salt on the masked class's behalf; it can log in as nobody.
  await c.query(`GRANT USAGE ON SCHEMA sensitive, masked, ${INTERNAL_SCHEMA} TO ${ident(VIEW_OWNER_ROLE)}`);
  await c.query(`GRANT SELECT ON ALL TABLES IN SCHEMA sensitive TO ${ident(VIEW_OWNER_ROLE)}`);
  await c.query(`GRANT SELECT ON ${INTERNAL_SCHEMA}.salt TO ${ident(VIEW_OWNER_ROLE)}`);
}

async function ensureComments(c: pg.Client, policy: WarehousePolicy): Promise<void> {
  for (const schema of DATA_SCHEMAS) {
    for (const [dataset, ds] of Object.entries(policy.datasets)) {
      await c.query(`COMMENT ON TABLE ${ident(schema)}.${ident(dataset)} IS ${literal(ds.description)}`);
      for (const [column, cp] of Object.entries(ds.columns)) {
        await c.query(`COMMENT ON COLUMN ${ident(schema)}.${ident(dataset)}.${ident(column)} IS ${literal(cp.description)}`);
      }
    }
  }
}

export async function ensureWarehouse(adminUrl: string, opts: EnsureOptions = {}): Promise<{ seeded: boolean }> {
  const scale = opts.scale ?? 1;
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`ensureWarehouse: scale must be a positive number, got ${scale}`);
  if (!Number.isInteger(seed)) throw new Error(`ensureWarehouse: seed must be an integer, got ${seed}`);
  const progress = opts.onProgress ?? (() => {});
  const { policy, text } = loadPolicy(opts.policyPath);
  const caps = opts.connectionCaps ?? {};
  validateCaps(caps);
  const fingerprint = fingerprintOf(text, caps);
  const database = databaseOf(adminUrl);

  return withClient(adminUrl, async (c) => {
    const state = await isCurrent(c, fingerprint);
    if (state === 'stale') {
      // The row filters may depend on the date: the first ensure of a day recomputes the masked data.
      await inTransaction(c, async () => {
        await c.query(`SET LOCAL lock_timeout = '10s'`);
        await refreshMaskedData(c);
      }).then(() => progress('masked data refreshed'), (err: Error) => progress(`masked data not refreshed (${err.message}); the next start tries again`));
    }
    if (state) return { seeded: false };
    return inTransaction(c, async () => {
      // One ensure at a time per warehouse (several platform replicas may start together).
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('goldpath.warehouse.ensure'))`);
      // A DDL change must not queue behind an analyst's hour-long query (and block everyone behind it).
      await c.query(`SET LOCAL lock_timeout = '10s'`);
      await ensureGroupRoles(c);
      await ensureDatabaseLockdown(c, database);
      let seeded = false;
      for (const schema of DATA_SCHEMAS) {
        await createTables(c, schema);
        const empty = await isEmpty(c, schema);
        if (empty) {
          await seedSchema(c, schema, seed, scale, progress);
          seeded = true;
        }
        await addConstraints(c, schema);
        if (empty) await c.query(`ANALYZE ${TABLES.map((t) => `${ident(schema)}.${ident(t.name)}`).join(', ')}`);
      }
      await ensureGrants(c);
      await compileMaskedViews(c, policy);
      await ensureComments(c, policy);
      await ensureConnectionCaps(c, caps, progress);
      await c.query(
        `INSERT INTO ${INTERNAL_SCHEMA}.meta (key, value) VALUES ('fingerprint', $1), ('seeded', 'true'), ('seed', $2), ('scale', $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value
         WHERE meta.key NOT IN ('seed', 'scale') OR $4`,
        [fingerprint, String(seed), String(scale), seeded],
      );
      progress(seeded ? 'warehouse created and seeded' : 'warehouse updated');
      return { seeded };
    });
  });
}

// The data dictionary: every warehouse table and view with its columns, their classification and
// which data classes can read them. Visibility is read from PostgreSQL's grants, not assumed.
import { loadPolicy } from './policy.ts';
import { classRole, DATA_CLASSES, type DataClass } from './model.ts';
import { databaseOf, withClient } from './sql.ts';

export interface ColumnEntry {
  name: string;
  type: string;
  nullable: boolean;
  description: string | null;
  classification: string | null;
  /** How this relation presents the column: 'none' for raw tables, the policy's rule in masked views. */
  masking: string;
  visibleTo: DataClass[];
}

export interface RelationEntry {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  dataset: string;
  owner: string | null; // the owning team, from the policy file
  description: string | null;
  rowFilter: string | null;
  visibleTo: DataClass[];
  columns: ColumnEntry[];
}

export interface WarehouseDescription {
  database: string;
  relations: RelationEntry[];
}

export async function describeWarehouse(adminUrl: string, opts: { policyPath?: string } = {}): Promise<WarehouseDescription> {
  const { policy } = loadPolicy(opts.policyPath);
  const classRoles = DATA_CLASSES.map(classRole);
  const rows = await withClient(adminUrl, async (c) => {
    const r = await c.query<{
      schema: string; name: string; relkind: string; column: string; type: string; notnull: boolean;
      table_visible: boolean[]; column_visible: boolean[];
    }>(
      `SELECT n.nspname AS schema, c.relname AS name, c.relkind, a.attname AS column,
              format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
              array(SELECT has_schema_privilege(r, n.oid, 'USAGE') AND has_table_privilege(r, c.oid, 'SELECT') FROM unnest($1::text[]) WITH ORDINALITY AS x(r, i) ORDER BY i) AS table_visible,
              array(SELECT has_schema_privilege(r, n.oid, 'USAGE') AND has_column_privilege(r, c.oid, a.attnum, 'SELECT') FROM unnest($1::text[]) WITH ORDINALITY AS x(r, i) ORDER BY i) AS column_visible
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE n.nspname IN ('sensitive', 'masked', 'synthetic') AND c.relkind IN ('r', 'v', 'm', 'p')
       ORDER BY c.relname, n.nspname, a.attnum`,
      [classRoles],
    );
    return r.rows;
  });
  const classesOf = (flags: boolean[]) => DATA_CLASSES.filter((_, i) => flags[i]);
  const relations = new Map<string, RelationEntry>();
  for (const row of rows) {
    const key = `${row.schema}.${row.name}`;
    const ds = policy.datasets[row.name];
    let rel = relations.get(key);
    if (!rel) {
      rel = {
        schema: row.schema,
        name: row.name,
        kind: row.relkind === 'v' || row.relkind === 'm' ? 'view' : 'table', // the masked data is a materialized view
        dataset: row.name,
        owner: ds?.owner ?? null,
        description: ds?.description ?? null,
        rowFilter: row.schema === 'masked' ? (ds?.rowFilter ?? null) : null,
        visibleTo: classesOf(row.table_visible),
        columns: [],
      };
      relations.set(key, rel);
    }
    const cp = ds?.columns[row.column];
    rel.columns.push({
      name: row.column,
      type: row.type,
      nullable: !row.notnull,
      description: cp?.description ?? null,
      classification: cp?.classification ?? null,
      masking: row.schema === 'masked' ? (cp?.masking ?? 'none') : 'none',
      visibleTo: classesOf(row.column_visible),
    });
  }
  return { database: databaseOf(adminUrl), relations: [...relations.values()] };
}

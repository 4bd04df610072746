// Names shared by every warehouse module: the data classes and the roles and schemas that enforce them.

export type DataClass = 'synthetic' | 'masked' | 'sensitive';
export const DATA_CLASSES: readonly DataClass[] = ['synthetic', 'masked', 'sensitive'];

/** Bump when the DDL below changes, so ensureWarehouse's fast path re-applies it. */
export const SCHEMA_VERSION = '1';

/** Internal schema: meta data and the hashing salt; no class role can use it. */
export const INTERNAL_SCHEMA = 'gp_warehouse';

/** NOLOGIN role owning the masked views; reads sensitive tables on their behalf and nothing else. */
export const VIEW_OWNER_ROLE = 'gp_warehouse_masker';

/** Marks a role as created by grantAccess, so revoke/grant never touch anyone else's role. */
export const ENV_ROLE_MARKER = 'goldpath warehouse environment role';

export function classRole(dataClass: DataClass): string {
  return `gp_class_${dataClass}`;
}

/** Each data class reads exactly one schema, named like the class. */
export function classSchema(dataClass: DataClass): string {
  return dataClass;
}

export function scratchSchemaOf(role: string): string {
  return `scratch_${role}`;
}

export function isDataClass(v: unknown): v is DataClass {
  return typeof v === 'string' && (DATA_CLASSES as readonly string[]).includes(v);
}

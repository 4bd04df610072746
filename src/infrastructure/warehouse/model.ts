// Names shared by every warehouse module: the data classes and the roles and schemas that enforce them.

export type DataClass = 'synthetic' | 'masked' | 'sensitive';
export const DATA_CLASSES: readonly DataClass[] = ['synthetic', 'masked', 'sensitive'];

/** Bump when the DDL below changes, so ensureWarehouse's fast path re-applies it. */
export const SCHEMA_VERSION = '2';

/** Internal schema: meta data and the hashing salt; no class role can use it. */
export const INTERNAL_SCHEMA = 'gp_warehouse';

/** NOLOGIN role owning the masked views; reads sensitive tables on their behalf and nothing else. */
export const VIEW_OWNER_ROLE = 'gp_warehouse_masker';

/** Marks a role as created by grantAccess, so revoke/grant never touch anyone else's role. */
export const ENV_ROLE_MARKER = 'goldpath warehouse environment role';

/**
 * What a grant allows, kept in the role's COMMENT after the marker. Only a superuser (or a
 * CREATEROLE admin of the role) may COMMENT ON ROLE, so unlike the role's own settings
 * (`ALTER ROLE <self> SET statement_timeout = 0` is allowed) the role cannot change it.
 */
export interface GrantedLimits {
  team: string | null;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/** Roles granted before limits were recorded carry the bare marker: they get these. */
export const LEGACY_LIMITS: GrantedLimits = { team: null, statementTimeoutMs: 5 * 60_000, idleInTransactionTimeoutMs: 15 * 60_000 };

export function envRoleComment(l: GrantedLimits): string {
  const team = l.team === null ? '' : `; team=${l.team}`;
  return `${ENV_ROLE_MARKER}${team}; statement_timeout_ms=${l.statementTimeoutMs}; idle_in_transaction_timeout_ms=${l.idleInTransactionTimeoutMs}`;
}

export function isEnvRoleComment(comment: string | null): boolean {
  return comment === ENV_ROLE_MARKER || (comment?.startsWith(`${ENV_ROLE_MARKER};`) ?? false);
}

/**
 * SQL reading the granted limits from a role comment expression `d` (text). Regular expressions
 * that can only match digits or a validated team name: parsing never raises, which matters in a
 * login trigger (an error there refuses the login).
 */
export const limitSql = {
  isEnv: (d: string) => `(${d} = '${ENV_ROLE_MARKER}' OR starts_with(${d}, '${ENV_ROLE_MARKER};'))`,
  team: (d: string) => `substring(${d} from '; team=([A-Za-z0-9_.-]+)')`,
  statementMs: (d: string) => `coalesce(substring(${d} from '; statement_timeout_ms=([0-9]{1,10})(;|$)')::bigint, ${LEGACY_LIMITS.statementTimeoutMs})`,
  idleMs: (d: string) => `coalesce(substring(${d} from '; idle_in_transaction_timeout_ms=([0-9]{1,10})(;|$)')::bigint, ${LEGACY_LIMITS.idleInTransactionTimeoutMs})`,
};

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

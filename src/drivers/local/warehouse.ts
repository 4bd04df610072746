import { grantAccess, revokeAccess, roleExists, type DataClass } from '../../infrastructure/warehouse/index.ts';
import { z } from 'zod';
import { defineDriver, PermanentDriverError, type Driver } from '../driver.ts';
import { newPassword } from './secrets.ts';

export interface WarehouseDriverOptions {
  /** Superuser URL of the warehouse database. */
  adminUrl: string;
  /** Host and port people connect to. */
  host: string;
  port: number;
  database: string;
  /** The statement time each grant gets (default: the warehouse's, 5 minutes). */
  statementTimeoutMs?: number;
}

const classes: readonly string[] = ['synthetic', 'masked', 'sensitive'];

// The data class comes from the golden path (spec.dataClass), never from params a user could edit.
export const warehouseParams = z.strictObject({});

export const warehouseOutputs = z.strictObject({
  url: z.string().describe('postgres:// URI with the grant\'s credentials'),
  host: z.string(),
  port: z.number().int(),
  database: z.string(),
  username: z.string().describe('the LOGIN role of this grant'),
  password: z.string(),
  dataClass: z.string().describe('synthetic, masked or sensitive: what this grant sees'),
  schemas: z.array(z.string()).describe('the search path: the schemas this grant reads'),
  scratchSchema: z.string().describe('a schema of its own to write into'),
});

/** What a warehouse resource takes and gives on this target; the path loader checks paths against it. */
export const warehouseDeclaration = { type: 'warehouse', target: 'local', params: warehouseParams, outputs: warehouseOutputs };

/** A LOGIN role on the shared warehouse, member of exactly the data class the path allows. */
export function warehouseDriver(opts: WarehouseDriverOptions): Driver {
  const roleOf = (envId: string, resourceId: string) => `gp_${envId}_${resourceId}`.replaceAll('-', '_').slice(0, 63);
  return defineDriver({
    ...warehouseDeclaration,
    async provision({ environmentId, resourceId, state, environment }) {
      const dataClass = environment.dataClass;
      if (!dataClass || !classes.includes(dataClass)) {
        throw new PermanentDriverError(`the golden path must set spec.dataClass (synthetic, masked or sensitive) to use a warehouse`);
      }
      const role = roleOf(environmentId, resourceId);
      const password = typeof state.password === 'string' ? state.password : newPassword();
      const grant = await grantAccess(opts.adminUrl, { role, password, dataClass: dataClass as DataClass, team: environment.team, statementTimeoutMs: opts.statementTimeoutMs });
      return {
        state: { role, password, dataClass },
        outputs: {
          url: `postgres://${role}:${password}@${opts.host}:${opts.port}/${opts.database}`,
          host: opts.host,
          port: opts.port,
          database: opts.database,
          username: role,
          password,
          dataClass,
          schemas: grant.searchPath,
          scratchSchema: grant.scratchSchema,
        },
      };
    },
    async status({ environmentId, resourceId }) {
      return (await roleExists(opts.adminUrl, roleOf(environmentId, resourceId))) ? { healthy: true } : { healthy: false, message: 'role is missing' };
    },
    async deprovision({ environmentId, resourceId }) {
      await revokeAccess(opts.adminUrl, roleOf(environmentId, resourceId));
    },
  });
}

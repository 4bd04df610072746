import { grantAccess, revokeAccess, roleExists, type DataClass } from '../../infrastructure/warehouse/index.ts';
import { PermanentDriverError, type Driver } from '../driver.ts';
import { newPassword } from './secrets.ts';

export interface WarehouseDriverOptions {
  /** Superuser URL of the warehouse database. */
  adminUrl: string;
  /** Host and port people connect to. */
  host: string;
  port: number;
  database: string;
}

const classes: readonly string[] = ['synthetic', 'masked', 'sensitive'];

/** A LOGIN role on the shared warehouse, member of exactly the data class the path allows. */
export function warehouseDriver(opts: WarehouseDriverOptions): Driver {
  const roleOf = (envId: string, resourceId: string) => `gp_${envId}_${resourceId}`.replaceAll('-', '_').slice(0, 63);
  return {
    type: 'warehouse',
    target: 'local',
    async provision({ environmentId, resourceId, state, environment }) {
      const dataClass = environment.dataClass;
      if (!dataClass || !classes.includes(dataClass)) {
        throw new PermanentDriverError(`the golden path must set spec.dataClass (synthetic, masked or sensitive) to use a warehouse`);
      }
      const role = roleOf(environmentId, resourceId);
      const password = typeof state.password === 'string' ? state.password : newPassword();
      const grant = await grantAccess(opts.adminUrl, { role, password, dataClass: dataClass as DataClass });
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
  };
}

// The warehouse's public API: what the warehouse driver calls.
export type { DataClass } from './model.ts';
export { DATA_CLASSES, classRole, classSchema, scratchSchemaOf } from './model.ts';
export { ensureWarehouse, type EnsureOptions } from './ensure.ts';
export { grantAccess, revokeAccess, roleExists, WarehouseAccessError, type Grant, type GrantRequest } from './access.ts';
export { loadPolicy, parsePolicy, PolicyError, type WarehousePolicy } from './policy.ts';
export { enforceWarehouseLimits, warehouseWatchdog, type Watchdog, type WatchdogRound } from './watchdog.ts';
export type { ConnectionCaps } from './connections.ts';
export { describeWarehouse, type WarehouseDescription, type RelationEntry, type ColumnEntry } from './describe.ts';
export { withClient } from './sql.ts';

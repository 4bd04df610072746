import { z } from 'zod';

/** policies/quotas.yaml: what each team may hold at once. Types come from here. */

export const quotaNames = ['runningEnvironments', 'notebooks', 'warehouseConnections', 'storageMb'] as const;
export type QuotaName = (typeof quotaNames)[number];

const count = (what: string) => z.number({ error: `must be a whole number of ${what}` }).int(`must be a whole number of ${what}`).min(0, 'must be 0 or more');

export const Limits = z.strictObject({
  /** Environments that run or are on their way to running (not stopped, deleted or failed). */
  runningEnvironments: count('environments'),
  /** Notebooks of those environments. */
  notebooks: count('notebooks'),
  /** Warehouse connections granted: each warehouse grant may open this many sessions at once. */
  warehouseConnections: count('connections'),
  /** Repositories and buckets on disk, in megabytes. */
  storageMb: count('megabytes'),
});
export type Limits = z.infer<typeof Limits>;

export const QuotaFile = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  defaults: Limits,
  /** Per team: only the limits that differ from the defaults. */
  teams: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a team id'), Limits.partial()).default({}),
});
export type QuotaFile = z.infer<typeof QuotaFile>;

export type Usage = Record<QuotaName, number>;

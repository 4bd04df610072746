import { z } from 'zod';

export const environmentStatuses = [
  'requested', 'awaiting-approval', 'provisioning', 'ready', 'stopping', 'stopped', 'deleting', 'deleted', 'failed',
] as const;
export const EnvironmentStatus = z.enum(environmentStatuses);
export type EnvironmentStatus = z.infer<typeof EnvironmentStatus>;

export const resourceStatuses = ['pending', 'provisioning', 'ready', 'stopped', 'deprovisioning', 'deleted', 'failed'] as const;
export const ResourceStatus = z.enum(resourceStatuses);
export type ResourceStatus = z.infer<typeof ResourceStatus>;

/** What the owner asked for; the orchestrator moves the environment towards it. */
export const DesiredState = z.enum(['ready', 'stopped', 'deleted']);
export type DesiredState = z.infer<typeof DesiredState>;

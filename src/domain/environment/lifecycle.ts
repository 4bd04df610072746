import { z } from 'zod';

export const environmentStatuses = [
  'requested', 'awaiting-approval', 'provisioning', 'ready', 'stopping', 'stopped', 'deleting', 'deleted', 'failed',
] as const;
export const EnvironmentStatus = z.enum(environmentStatuses);
export type EnvironmentStatus = z.infer<typeof EnvironmentStatus>;

export const resourceStatuses = ['pending', 'provisioning', 'ready', 'deprovisioning', 'deleted', 'failed'] as const;
export const ResourceStatus = z.enum(resourceStatuses);
export type ResourceStatus = z.infer<typeof ResourceStatus>;

/** What the owner asked for; the orchestrator moves the environment towards it. */
export const DesiredState = z.enum(['ready', 'deleted']);
export type DesiredState = z.infer<typeof DesiredState>;

const terminal: readonly EnvironmentStatus[] = ['deleted', 'failed'];
export const isTerminal = (s: EnvironmentStatus): boolean => terminal.includes(s);

/** True when the orchestrator still has work to do for an environment in this state. */
export function needsReconcile(status: EnvironmentStatus, desired: DesiredState): boolean {
  if (desired === 'deleted') return status !== 'deleted';
  return status === 'requested' || status === 'provisioning' || status === 'deleting';
}

import { z } from 'zod';
import { DataClass } from '../golden-path/schema.ts';
import { ExtensionRecord } from '../golden-path/extension.ts';
import { EnvironmentStatus, ResourceStatus, DesiredState } from './lifecycle.ts';

/** The environment as the API, CLI and portal see it (DESIGN.md's contract). */
export const ResourceView = z.object({
  id: z.string(),
  type: z.string(),
  status: ResourceStatus,
  outputs: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  updatedAt: z.string(),
});
export type ResourceView = z.infer<typeof ResourceView>;

export const EnvironmentView = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  team: z.string(),
  owner: z.string(),
  dataClass: DataClass.nullable(),
  status: EnvironmentStatus,
  desired: DesiredState,
  reason: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
  readyAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
  /** When the platform deletes it (the path's lifetime; `goldpath extend` moves it). */
  expiresAt: z.string().nullable(),
  /** The workspace's own last activity, as the platform last measured it. */
  lastActivityAt: z.string().nullable(),
  resources: z.array(ResourceView),
  /** What the developer added to the path (software paths only): resources, variables, parameters; null when nothing. */
  extension: ExtensionRecord.nullable().optional(),
  /** True when the policy does not let the reader use this environment's credentials: secrets are hidden. */
  credentialsHidden: z.boolean().optional(),
});
export type EnvironmentView = z.infer<typeof EnvironmentView>;

export const EventView = z.object({
  id: z.number(),
  environment: z.string(),
  resource: z.string().nullable(),
  type: z.string(),
  message: z.string(),
  at: z.string(),
});
export type EventView = z.infer<typeof EventView>;

export const LaunchRequest = z.strictObject({
  path: z.string().min(1, 'name the golden path to launch, e.g. data-science-experimentation'),
  team: z.string().min(1).optional(),
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'must be lower-case letters, digits and dashes (max 41)')
    .optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  /** Why the data is needed; required by paths whose data needs an owner's approval. */
  reason: z.string().trim().max(1000).optional(),
  /**
   * What to add to a software path (an Extension, as in a repository's goldpath.yaml): the YAML text
   * or the object. Checked against the path's rules; a refusal names the rule and creates nothing.
   */
  extension: z.union([z.string().max(100_000, 'an extension is at most 100 kB'), z.record(z.string(), z.unknown())], {
    error: 'must be an Extension: YAML text, or an object with resources, env and parameters',
  }).optional(),
});
export type LaunchRequest = z.infer<typeof LaunchRequest>;

/** Environment ids are short, URL- and identifier-safe (they name roles, buckets and repos). */
export const environmentIdPattern = /^e[a-z0-9]{9}$/;

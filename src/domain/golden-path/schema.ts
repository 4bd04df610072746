import { z } from 'zod';
import { formatDuration, parseDuration } from '../time/duration.ts';

/** The one schema of a golden path file; every type below is derived from it. */

export const dataClasses = ['synthetic', 'masked', 'sensitive'] as const;
export const DataClass = z.enum(dataClasses);
export type DataClass = z.infer<typeof DataClass>;

export const resourceTypes = ['git-repo', 'notebook', 'ide', 'bucket', 'warehouse', 'database', 'llm', 'service', 'schedule'] as const;

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes, starting with a letter (max 63)');

export const ResourceSpec = z.strictObject({
  type: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a resource type such as git-repo, notebook, bucket, warehouse'),
  description: z.string().optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  dependsOn: z.array(identifier).default([]),
});
export type ResourceSpec = z.infer<typeof ResourceSpec>;

/** A JSON Schema object for the launch parameters; checked again with a JSON Schema validator at load time. */
export const ParametersSchema = z
  .looseObject({
    type: z.literal('object', { error: 'must be "object": parameters are a JSON Schema of an object' }),
    properties: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    required: z.array(z.string()).optional(),
  })
  .default({ type: 'object', properties: {} });

/** A duration field: a string such as 30m, 2h or 7d, parsed to milliseconds. */
export const Duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration: write a whole number and m, h or d, e.g. 30m, 2h, 7d` });
    return z.NEVER;
  }
  return ms;
});

/** Lifetimes when a path says nothing: a week, extensible to a month, stopped after two idle hours. */
export const defaultLifetime = { ttl: 7 * 86_400_000, maxTtl: 30 * 86_400_000, idle: 2 * 3_600_000 };

/**
 * How long an environment of the path lives (`ttl`, from launch), how far `goldpath extend` may
 * push that (`maxTtl`, from launch too), and how long its workspace may sit idle before it is
 * stopped (`idle`). Durations are written 30m, 2h, 7d; the parsed values are milliseconds.
 */
export const Lifetime = z
  .strictObject({
    ttl: Duration.prefault(formatDuration(defaultLifetime.ttl)),
    maxTtl: Duration.optional(),
    idle: Duration.prefault(formatDuration(defaultLifetime.idle)),
  })
  .transform((l) => ({ ttl: l.ttl, maxTtl: l.maxTtl ?? Math.max(l.ttl, defaultLifetime.maxTtl), idle: l.idle }))
  .refine((l) => l.ttl <= l.maxTtl, { message: 'ttl must not be longer than maxTtl: an environment cannot start beyond the limit it may be extended to', path: ['ttl'] });
export type Lifetime = z.infer<typeof Lifetime>;

/**
 * What a user may add to an environment of an extensible (software) path, in an Extension
 * (src/domain/golden-path/extension.ts): resources of the listed types, each at most `max` times;
 * new values for the listed parameters (their JSON Schema in spec.parameters still holds them to
 * its limits); and environment variables for the listed resources (added to their `env` param,
 * never replacing the path's own).
 */
export const ExtensionRules = z.strictObject({
  resources: z
    .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a resource type such as database or cache'), z.strictObject({
      max: z.number({ error: 'must be a whole number: how many resources of this type a user may add' }).int().min(1).max(20),
    }))
    .default({}),
  parameters: z.array(z.string().min(1)).default([]),
  env: z.array(identifier).default([]),
});
export type ExtensionRules = z.infer<typeof ExtensionRules>;

/**
 * `extensible: true` (a software path that says no more): every parameter may be overridden,
 * within its schema, and nothing may be added. Rules that allow more are written out.
 */
export const defaultExtensionRules = (parameterNames: string[]): ExtensionRules => ({ resources: {}, parameters: parameterNames, env: [] });

export const GoldenPath = z.strictObject({
  apiVersion: z.literal('goldpath.dev/v1', { error: 'must be "goldpath.dev/v1"' }),
  kind: z.literal('GoldenPath', { error: 'must be "GoldenPath"' }),
  metadata: z.strictObject({
    name: identifier,
    title: z.string().min(1),
    description: z.string().min(1),
    tags: z.array(z.string()).default([]),
    owner: z.string().min(1),
    audience: z.enum(['data', 'software'], { error: 'must be "data" or "software"' }),
    use: z.string().optional(),
  }),
  spec: z.strictObject({
    version: z.string().default('1.0.0'),
    dataClass: DataClass.optional(),
    approval: z.enum(['none', 'data-owner'], { error: 'must be "none" or "data-owner"' }).default('none'),
    /** How long an approved grant lasts before it is revoked. */
    approvalValidDays: z.number().int().positive().max(365).default(30),
    lifetime: Lifetime.prefault({}),
    /** false: locked (data paths); true or rules: a base users extend within the rules (see ExtensionRules). */
    extensible: z.union([z.boolean(), ExtensionRules], {
      error: 'must be false (locked), true, or the rules of what users may add, e.g. { resources: { cache: { max: 1 } }, parameters: [memory], env: [service] }',
    }),
    parameters: ParametersSchema,
    resources: z
      .record(identifier, ResourceSpec)
      .refine((r) => Object.keys(r).length > 0, 'a golden path needs at least one resource'),
    docs: z.string().optional(),
    /** Tools the path's resources start beyond those providing its resource types (e.g. dbt); each must be in the tool registry. */
    tools: z.array(identifier).default([]),
    /**
     * Workspaces started ahead of this path's launches, by resource type: `{ notebook: 2 }` keeps two
     * notebook servers warm for its next launches (each ~60 MB while it waits). None when unsaid.
     */
    warm: z.strictObject({
      notebook: z.number({ error: 'must be a whole number: how many notebook servers to keep warm for this path\'s launches' }).int().min(0).max(50).optional(),
    }, { error: 'must name resource types that can be kept warm, e.g. { notebook: 2 }' }).default({}),
  }).transform(({ extensible, ...spec }) => ({
    ...spec,
    /** Whether users may extend it at all (what the catalog and the portal show). */
    extensible: extensible !== false,
    /** What they may add; null for a locked path. */
    extensionRules: extensible === false ? null : extensible === true ? defaultExtensionRules(Object.keys(spec.parameters.properties ?? {})) : extensible,
  })),
});
export type GoldenPath = z.infer<typeof GoldenPath>;
export type GoldenPathInput = z.input<typeof GoldenPath>;

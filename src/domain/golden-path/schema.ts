import { z } from 'zod';

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
    extensible: z.boolean(),
    parameters: ParametersSchema,
    resources: z
      .record(identifier, ResourceSpec)
      .refine((r) => Object.keys(r).length > 0, 'a golden path needs at least one resource'),
    docs: z.string().optional(),
    /** Tools the path's resources start beyond those providing its resource types (e.g. dbt); each must be in the tool registry. */
    tools: z.array(identifier).default([]),
  }),
});
export type GoldenPath = z.infer<typeof GoldenPath>;
export type GoldenPathInput = z.input<typeof GoldenPath>;

import { z } from 'zod';

/**
 * The tool and model registry (policies/registry.yaml): every tool a golden path may start and every
 * model the LLM gateway may serve, with what the policies judge them by. Types come from here.
 */

export const supportModels = ['vendor', 'community', 'internal', 'none'] as const;
export const toolCategories = ['notebook', 'ide', 'database', 'etl', 'vcs', 'storage', 'llm', 'web', 'runtime', 'cache', 'queue'] as const;

const entryId = z
  .string()
  .regex(/^[a-z][a-z0-9.-]{0,62}$/, 'must be lower-case letters, digits, dots and dashes, starting with a letter (max 63)');

const support = z.enum(supportModels, { error: `must be one of ${supportModels.join(', ')}` });

export const ToolEntry = z.strictObject({
  title: z.string().min(1).optional(),
  description: z.string().min(1).optional(),
  category: z.enum(toolCategories, { error: `must be one of ${toolCategories.join(', ')}` }),
  licence: z.string().min(1, 'must name the licence, e.g. Apache-2.0'),
  support,
  /** The resource types this tool implements: a path using the type uses the tool. */
  provides: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a resource type such as notebook, bucket, warehouse')).default([]),
  homepage: z.string().optional(),
});
export type ToolEntry = z.infer<typeof ToolEntry>;

export const ModelEntry = z.strictObject({
  title: z.string().min(1).optional(),
  licence: z.string().min(1, 'must name the licence'),
  support,
  trainedOnCopyrightedData: z.boolean({ error: 'must be true or false: whether the training data includes copyrighted works used without a licence' }),
  /** Where the training data came from, in words: what a reviewer reads before allowing the model. */
  trainingData: z.string().min(1, 'must say where the training data came from'),
  homepage: z.string().optional(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

export const Registry = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  tools: z.record(entryId, ToolEntry).default({}),
  models: z.record(entryId, ModelEntry).default({}),
});
export type Registry = z.infer<typeof Registry>;

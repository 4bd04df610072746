import { z } from 'zod';

/**
 * What the assistant understands and answers, as one schema: the API validates with it and the
 * OpenAPI document, the CLI and the portal read the same shapes.
 */

export const Intent = z.enum([
  'launch', 'docs', 'spend', 'catalog', 'listEnvironments', 'stopEnvironment', 'startEnvironment', 'deleteEnvironment',
  'explainRefusal', 'listPaths', 'unknown',
]);
export type Intent = z.infer<typeof Intent>;

export const Period = z.object({
  label: z.string(),
  /** First day, ISO date (UTC). */
  from: z.string(),
  /** Last day included, ISO date; absent means up to now. */
  to: z.string().optional(),
});
export type Period = z.infer<typeof Period>;

export const Slots = z.object({
  path: z.string().optional(),
  team: z.string().optional(),
  name: z.string().optional(),
  params: z.record(z.string(), z.string()).optional(),
  reason: z.string().optional(),
  period: Period.optional(),
  by: z.enum(['resource', 'resourceType', 'user', 'path', 'environment', 'team', 'day']).optional(),
  text: z.string().optional(),
  kind: z.string().optional(),
  environment: z.string().optional(),
  all: z.boolean().optional(),
});
export type Slots = z.infer<typeof Slots>;

/** A choice offered instead of a guess: `text` is what to send back to pick it. */
export const Choice = z.object({ label: z.string(), text: z.string() });
export type Choice = z.infer<typeof Choice>;

/** The changing actions, named as the MCP server's tools are (the same platform actions). */
export const ProposedAction = z.enum(['launch_environment', 'stop_environment', 'start_environment', 'delete_environment']);
export type ProposedAction = z.infer<typeof ProposedAction>;

/** A slot the assistant asked for: the next sentence fills it. */
export const Pending = z.object({ intent: Intent, slots: Slots, expects: z.enum(['reason', 'team', 'name', 'path', 'environment']) });
export type Pending = z.infer<typeof Pending>;

export const Understanding = z.object({
  intent: Intent,
  slots: Slots,
  /** A question when something is missing or unclear; nothing is done then. */
  question: z.string().optional(),
  choices: z.array(Choice).optional(),
  /** With a question about one slot: send it back as context.pending with the answer. */
  pending: Pending.optional(),
});
export type Understanding = z.infer<typeof Understanding>;

// ---- what the vocabulary is built from (read at run time from the path files and the catalog) ----

export const ParamFacts = z.object({ name: z.string(), title: z.string().nullable(), type: z.string().nullable(), pattern: z.string().nullable() });
export const PathFacts = z.object({
  name: z.string(), title: z.string(), description: z.string(), tags: z.array(z.string()), use: z.string().nullable(),
  audience: z.string(), dataClass: z.string().nullable(), approval: z.string(), resourceTypes: z.array(z.string()),
  parameters: z.array(ParamFacts),
});
export type PathFacts = z.infer<typeof PathFacts>;
export const TeamFacts = z.object({ id: z.string(), title: z.string() });
export type TeamFacts = z.infer<typeof TeamFacts>;
export const EnvironmentFacts = z.object({ id: z.string(), name: z.string(), path: z.string(), status: z.string(), resourceTypes: z.array(z.string()) });
export type EnvironmentFacts = z.infer<typeof EnvironmentFacts>;

import { z } from 'zod';

/** Everything the platform asks the policy engine about. The Cedar schema declares the same names. */
export const PolicyAction = z.enum([
  'launch', 'read', 'readCredentials', 'stop', 'start', 'delete', 'extend', 'applyExtension', 'listEnvironments',
  'readApproval', 'decideApproval', 'breakGlass', 'registerEntity', 'replaceEntity', 'deleteEntity',
  'applyWarehouse', 'readSpend', 'setBudget', 'readAudit', 'useTool', 'serveModel', 'openWorkspace',
  'queryWarehouse', 'saveQuery',
]);
export type PolicyAction = z.infer<typeof PolicyAction>;

/**
 * An entity as the policy engine sees it: a type, an id, attributes and the groups it is in.
 * Attribute values are plain JSON; `{ entity: { type, id } }` marks a reference to another entity.
 */
export interface PolicyEntity {
  type: string;
  id: string;
  attrs?: Record<string, PolicyValue>;
  parents?: { type: string; id: string }[];
}
export type PolicyValue = string | number | boolean | PolicyValue[] | { entity: { type: string; id: string } } | { [key: string]: PolicyValue };

/** What the engine decided, and why: the ids of the policies that determined it. */
export const Decision = z.object({
  allowed: z.boolean(),
  action: z.string(),
  /** The resource as Cedar writes it, e.g. Environment::"e1a2b3c4d5". */
  resource: z.string(),
  /** The team the resource belongs to, when it belongs to one (for the audit log's team filter). */
  team: z.string().nullable(),
  policies: z.array(z.string()),
  message: z.string(),
});
export type Decision = z.infer<typeof Decision>;

export const entityRef = (e: { type: string; id: string }): string => `${e.type}::${JSON.stringify(e.id)}`;

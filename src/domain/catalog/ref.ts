/**
 * Entity references, `kind:namespace/name`, parsed and formatted here and nowhere else.
 * Like Backstage, a reference is case-insensitive: the formatted form is lower-case, so the same
 * entity always has the same key whatever spelling a descriptor used.
 */

export const DEFAULT_NAMESPACE = 'default';

export interface EntityName {
  kind: string;
  namespace: string;
  name: string;
}

export class EntityRefError extends Error {}

/**
 * Parses `[kind:][namespace/]name`. A missing kind or namespace comes from `context` (for example
 * `spec.owner: payments` means `group:<the entity's namespace>/payments`); with no default, a
 * missing kind is an error that says how to write the reference.
 */
export function parseEntityRef(ref: string, context: { defaultKind?: string; defaultNamespace?: string } = {}): EntityName {
  if (typeof ref !== 'string' || ref.trim() === '') throw new EntityRefError('an entity reference must be a non-empty string such as component:default/payments-api');
  const text = ref.trim();
  const colon = text.indexOf(':');
  const slash = text.indexOf('/');
  // A colon after the slash belongs to the name, which Backstage does not allow either.
  const hasKind = colon > 0 && (slash < 0 || colon < slash);
  const kind = hasKind ? text.slice(0, colon) : context.defaultKind;
  const rest = hasKind ? text.slice(colon + 1) : text;
  const cut = rest.indexOf('/');
  const namespace = cut >= 0 ? rest.slice(0, cut) : (context.defaultNamespace ?? DEFAULT_NAMESPACE);
  const name = cut >= 0 ? rest.slice(cut + 1) : rest;
  if (!kind) throw new EntityRefError(`"${ref}" has no kind: write it as kind:namespace/name, e.g. resource:default/${name || 'orders-db'}`);
  if (!namespace || !name || name.includes('/') || name.includes(':')) {
    throw new EntityRefError(`"${ref}" is not an entity reference: write it as kind:namespace/name, e.g. component:default/payments-api`);
  }
  return { kind, namespace, name };
}

/** The canonical, lower-case `kind:namespace/name`: the key the store and every relation use. */
export function formatEntityRef(e: EntityName): string {
  return `${e.kind}:${e.namespace}/${e.name}`.toLowerCase();
}

/** Parses then formats: the canonical form of a reference as written in a descriptor. */
export function normalizeEntityRef(ref: string, context: { defaultKind?: string; defaultNamespace?: string } = {}): string {
  return formatEntityRef(parseEntityRef(ref, context));
}

export function refOf(entity: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return formatEntityRef({ kind: entity.kind, namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE, name: entity.metadata.name });
}

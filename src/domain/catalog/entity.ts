import { z } from 'zod';
import { canonicalKind, kindNames, kinds, Metadata, type Kind } from './kinds.ts';
import { EntityRefError, formatEntityRef, parseEntityRef } from './ref.ts';
import type { Relation, RelationType } from './relations.ts';

/** The Backstage descriptor envelope; the spec is checked by the kind's own schema (kinds.ts). */
export const EntityEnvelope = z.looseObject({
  apiVersion: z.string({ error: (i) => (i.input === undefined ? 'is required, e.g. backstage.io/v1alpha1 or goldpath.dev/v1' : 'must be a string') }),
  kind: z.string({ error: (i) => (i.input === undefined ? `is required: one of ${kindNames.join(', ')}` : 'must be a string') }),
  metadata: Metadata,
  spec: z.record(z.string(), z.unknown()).optional(),
});
export type Entity = z.infer<typeof EntityEnvelope> & { kind: Kind; spec: Record<string, unknown> };
export type EntityInput = z.input<typeof EntityEnvelope>;

export interface FieldError {
  field: string;
  message: string;
}

export interface ValidEntity {
  ok: true;
  ref: string;
  entity: Entity;
  relations: Relation[];
}
export type Validation = ValidEntity | { ok: false; errors: FieldError[] };

const fieldOf = (path: readonly PropertyKey[]) =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || '(document)';

function issues(error: z.ZodError, prefix: string[] = []): FieldError[] {
  return error.issues.map((i) => ({ field: fieldOf([...prefix, ...i.path]), message: i.message }));
}

/**
 * Checks one descriptor against the envelope and its kind's schema and works out the relations it
 * declares. Returns every problem at once, each naming the field, so a person fixes a file in one go.
 */
export function validateEntity(input: unknown): Validation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '(document)', message: 'must be a mapping with apiVersion, kind, metadata and spec' }] };
  }
  const envelope = EntityEnvelope.safeParse(input);
  const errors: FieldError[] = envelope.success ? [] : issues(envelope.error);
  const raw = input as Record<string, unknown>;
  const kind = typeof raw.kind === 'string' ? canonicalKind(raw.kind) : undefined;
  if (typeof raw.kind === 'string' && !kind) errors.push({ field: 'kind', message: `"${raw.kind}" is not a kind the catalog knows: use one of ${kindNames.join(', ')}` });
  if (kind) {
    const def = kinds[kind];
    if (typeof raw.apiVersion === 'string' && !(def.apiVersions as readonly string[]).includes(raw.apiVersion)) {
      errors.push({ field: 'apiVersion', message: `"${raw.apiVersion}" is not an apiVersion of ${kind}: use ${def.apiVersions.join(' or ')}` });
    }
    const spec = (def.spec as z.ZodType).safeParse(raw.spec ?? {});
    if (raw.spec !== undefined && (typeof raw.spec !== 'object' || raw.spec === null || Array.isArray(raw.spec))) {
      errors.push({ field: 'spec', message: 'must be a mapping' });
    } else if (!spec.success) {
      errors.push(...issues(spec.error, ['spec']));
    }
    if (errors.length === 0 && envelope.success && spec.success) {
      const entity = { ...envelope.data, kind, spec: spec.data as Record<string, unknown> } as Entity;
      const relations: Relation[] = [];
      const refErrors = declaredRelations(entity, relations);
      if (refErrors.length) return { ok: false, errors: refErrors };
      return { ok: true, ref: formatEntityRef({ kind, namespace: entity.metadata.namespace, name: entity.metadata.name }), entity, relations };
    }
  }
  return { ok: false, errors };
}

type Rule = [field: string, type: RelationType, defaultKind?: string];

/** Which spec fields declare which relation, per kind (Backstage's rules for its kinds). */
const rules: Record<Kind, Rule[]> = {
  Component: [['owner', 'ownedBy', 'group'], ['system', 'partOf', 'system'], ['subcomponentOf', 'partOf', 'component'],
    ['providesApis', 'providesApi', 'api'], ['consumesApis', 'consumesApi', 'api'], ['dependsOn', 'dependsOn'], ['dependencyOf', 'dependencyOf']],
  API: [['owner', 'ownedBy', 'group'], ['system', 'partOf', 'system']],
  Resource: [['owner', 'ownedBy', 'group'], ['system', 'partOf', 'system'], ['dependsOn', 'dependsOn'], ['dependencyOf', 'dependencyOf']],
  System: [['owner', 'ownedBy', 'group'], ['domain', 'partOf', 'domain']],
  Domain: [['owner', 'ownedBy', 'group'], ['subdomainOf', 'partOf', 'domain']],
  Group: [['parent', 'childOf', 'group'], ['children', 'parentOf', 'group'], ['members', 'hasMember', 'user']],
  User: [['memberOf', 'memberOf', 'group']],
  Location: [],
  Dataset: [['owner', 'ownedBy', 'group'], ['dataProduct', 'partOf', 'dataproduct'], ['system', 'partOf', 'system'], ['dependsOn', 'dependsOn', 'dataset']],
  DataProduct: [['owner', 'ownedBy', 'group'], ['domain', 'partOf', 'domain'], ['datasets', 'hasPart', 'dataset']],
  FeatureView: [['owner', 'ownedBy', 'group'], ['source.dataset', 'dependsOn', 'dataset']],
  Model: [['owner', 'ownedBy', 'group'], ['system', 'partOf', 'system'], ['features', 'dependsOn', 'featureview'], ['versions[].trainingDatasets', 'trainedOn', 'dataset']],
  GoldenPath: [['owner', 'ownedBy', 'group']],
  Environment: [['owner', 'ownedBy', 'group'], ['launchedBy', 'launchedBy', 'user'], ['path', 'instanceOf', 'goldenpath'], ['dependsOn', 'dependsOn', 'dataset']],
};

/** Values at a rule's field path, with the exact field name of each for error messages. */
function valuesAt(spec: Record<string, unknown>, path: string): [string, unknown][] {
  let found: [string, unknown][] = [['spec', spec]];
  for (const part of path.split('.')) {
    const each = part.endsWith('[]');
    const key = each ? part.slice(0, -2) : part;
    const next: [string, unknown][] = [];
    for (const [where, v] of found) {
      const child = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
      if (child === undefined || child === null) continue;
      if (each && Array.isArray(child)) child.forEach((c, i) => next.push([`${where}.${key}[${i}]`, c]));
      else next.push([`${where}.${key}`, child]);
    }
    found = next;
  }
  return found.flatMap(([where, v]) => (Array.isArray(v) ? v.map((x, i): [string, unknown] => [`${where}[${i}]`, x]) : [[where, v]]));
}

function declaredRelations(entity: Entity, out: Relation[]): FieldError[] {
  const source = formatEntityRef({ kind: entity.kind, namespace: entity.metadata.namespace, name: entity.metadata.name });
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const [path, type, defaultKind] of rules[entity.kind]) {
    for (const [field, value] of valuesAt(entity.spec, path)) {
      if (typeof value !== 'string') continue;
      try {
        const target = formatEntityRef(parseEntityRef(value, { defaultKind, defaultNamespace: entity.metadata.namespace }));
        if (!seen.has(type + target)) out.push({ type, source, target });
        seen.add(type + target);
      } catch (e) {
        if (!(e instanceof EntityRefError)) throw e;
        errors.push({ field, message: e.message });
      }
    }
  }
  return errors;
}

/** The canonical owner reference, used for the owner filter and facet. */
export function ownerOf(entity: Entity): string | null {
  const owner = entity.spec.owner;
  return typeof owner === 'string' ? formatEntityRef(parseEntityRef(owner, { defaultKind: 'group', defaultNamespace: entity.metadata.namespace })) : null;
}

/**
 * What full-text search reads, by weight: A the name, B the title, C keywords (tags, type, column
 * and feature names), D descriptions (the entity's and its columns'). search ranks by these tiers.
 */
export function searchText(entity: Entity): { name: string; title: string; keywords: string; description: string } {
  const spec = entity.spec;
  const keywords = [...entity.metadata.tags, typeof spec.type === 'string' ? spec.type : ''];
  const descriptions = [entity.metadata.description ?? ''];
  for (const list of [spec.columns, spec.features]) {
    if (!Array.isArray(list)) continue;
    for (const c of list as { name?: unknown; description?: unknown }[]) {
      if (typeof c.name === 'string') keywords.push(c.name);
      if (typeof c.description === 'string') descriptions.push(c.description);
    }
  }
  return {
    name: entity.metadata.name,
    title: entity.metadata.title ?? '',
    keywords: keywords.filter(Boolean).join(' '),
    description: descriptions.filter(Boolean).join(' \n'),
  };
}

export function formatFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}

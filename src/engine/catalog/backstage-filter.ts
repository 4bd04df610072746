import { canonicalKind } from '../../domain/catalog/kinds.ts';
import { inverseOf, relationTypes, type RelationType } from '../../domain/catalog/relations.ts';
import { PlatformError } from '../errors.ts';

/**
 * Backstage's entity filters, as its catalog API takes them: `filter=kind=component,spec.type=service`.
 * Each `filter` parameter is a set of conditions that must all hold (AND); an entity matches when any
 * set holds (OR). A condition is `key=value` or a bare `key` (the key exists). Within a set, the same
 * key given twice matches either value. Keys are dotted paths into the entity (`metadata.tags.java`:
 * a string in an array is also a key whose value is `true`), plus `relations.<type>=<target ref>`.
 * Keys and values compare case-insensitively.
 */

export interface Condition {
  key: string; // lower-case
  values: string[] | null; // lower-case; null: the key exists
}
export type FilterSet = Condition[];
export type BackstageFilter = FilterSet[];

export const badFilter = (field: string, message: string) => new PlatformError(400, 'invalid_query', `${field}: ${message}`, [{ field, message }]);

/** Parses the `filter` parameters; none means every entity. */
export function parseFilter(params: string[]): BackstageFilter {
  const sets: BackstageFilter = [];
  for (const param of params) {
    const byKey = new Map<string, Condition>();
    for (const part of param.split(',')) {
      if (!part.trim()) continue;
      const eq = part.indexOf('=');
      const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
      if (!key) throw badFilter('filter', `"${param}" has a condition without a key; write key=value or key, e.g. kind=component,spec.type=service`);
      const value = eq < 0 ? null : part.slice(eq + 1).trim().toLowerCase();
      const c = byKey.get(key);
      // An existence test on a key is weaker than any value of it.
      if (!c) byKey.set(key, { key, values: value === null ? null : [value] });
      else if (c.values && value !== null) c.values.push(value);
      else c.values = null;
    }
    if (byKey.size) sets.push([...byKey.values()]);
  }
  return sets;
}

/** Keys with a column of their own (lower-cased in the comparison); `narrow`: catalog_facts has it too. */
const COLUMNS: Record<string, { column: string; narrow: boolean; lower: boolean }> = {
  'metadata.namespace': { column: 'namespace', narrow: true, lower: false },
  'spec.type': { column: 'spec_type', narrow: true, lower: true },
  'spec.lifecycle': { column: 'lifecycle', narrow: true, lower: true },
  'metadata.name': { column: 'name', narrow: false, lower: true },
  'metadata.title': { column: 'title', narrow: false, lower: true },
};

/** A relation type as Goldpath stores it (`ownedBy`) for Backstage's lower-case key (`relations.ownedby`). */
export const relationTypeOf = (lower: string): RelationType | undefined => relationTypes.find((t) => t.toLowerCase() === lower);

export interface CompiledFilter {
  /** SQL over alias `e` (catalog_entities, or catalog_facts when `narrow`); parameters pushed to `params`. */
  sql: string;
  /** Every condition reads only columns catalog_facts has, so counting can use the narrow table. */
  narrow: boolean;
}

/** The kinds a set's `kind` condition names (canonical spelling), or null when it has none. */
export function kindsOf(set: FilterSet): string[] | null {
  const c = set.find((x) => x.key === 'kind');
  if (!c?.values) return null;
  return c.values.map((v) => canonicalKind(v)).filter((k): k is NonNullable<typeof k> => !!k);
}

/** The filter as SQL: sets ORed, conditions ANDed; values are always parameters. */
export function compileFilter(filter: BackstageFilter, params: unknown[]): CompiledFilter {
  if (!filter.length) return { sql: 'true', narrow: true };
  const p = (v: unknown) => `$${params.push(v)}`;
  let narrow = true;
  const sets = filter.map((set) => {
    const parts: string[] = [];
    for (const c of set) {
      const col = COLUMNS[c.key];
      if (c.key === 'kind') {
        if (!c.values) continue; // every entity has a kind
        const kinds = kindsOf(set)!;
        if (!kinds.length) return 'false';
        parts.push(`e.kind = ANY(${p(kinds)}::text[])`);
        // Refs start with the kind: one kind lets a walk in ref order start at it.
        if (kinds.length === 1) parts.push(`e.ref >= ${p(`${kinds[0].toLowerCase()}:`)} AND e.ref < ${p(`${kinds[0].toLowerCase()};`)}`);
      } else if (c.key === 'metadata.name' && c.values) {
        // Through the narrow side's index on lower(name), not a scan of every name.
        parts.push(`e.ref IN (SELECT h.ref FROM catalog_heads h WHERE lower(h.name) = ANY(${p(c.values)}::text[]))`);
      } else if (col) {
        narrow &&= col.narrow;
        const expr = col.lower ? `lower(e.${col.column})` : `e.${col.column}`;
        parts.push(c.values ? `${expr} = ANY(${p(c.values)}::text[])` : `e.${col.column} IS NOT NULL`);
      } else if (c.key === 'metadata.tags') {
        parts.push(c.values ? `e.tags && ${p(c.values)}::text[]` : `cardinality(e.tags) > 0`);
      } else if (c.key.startsWith('metadata.tags.') && (!c.values || c.values.includes('true'))) {
        parts.push(`e.tags && ${p([c.key.slice('metadata.tags.'.length)])}::text[]`);
      } else if (c.key.startsWith('relations.')) {
        const type = relationTypeOf(c.key.slice('relations.'.length));
        if (!type) return 'false'; // no relation of that type exists
        // Stored both ways: "X ownedBy G" is G's ownerOf row, found by the primary key from G.
        parts.push(c.values
          ? `e.ref IN (SELECT r.target_ref FROM catalog_relations r WHERE r.source_ref = ANY(${p(c.values)}::text[]) AND r.type = ${p(inverseOf(type))})`
          : `EXISTS (SELECT 1 FROM catalog_relations r WHERE r.source_ref = e.ref AND r.type = ${p(type)})`);
      } else if (c.key === 'metadata.uid') {
        parts.push(c.values ? `md5(e.ref)::uuid::text = ANY(${p(c.values)}::text[])` : 'true');
      } else {
        // Any other path: Backstage's key/value view of the descriptor, computed for the rows the other conditions leave.
        narrow = false;
        parts.push(`EXISTS (SELECT 1 FROM catalog_entity_pairs(e.entity) kv WHERE kv.key = ${p(c.key)}${c.values ? ` AND kv.value = ANY(${p(c.values)}::text[])` : ''})`);
      }
    }
    return parts.length ? `(${parts.join(' AND ')})` : 'true';
  });
  return { sql: sets.length === 1 ? sets[0] : `(${sets.join(' OR ')})`, narrow };
}

/**
 * A dotted field as a lower-cased SQL text expression on `e` (catalog_entities), for ordering and the
 * full-text filter: a column when there is one, else the descriptor's value at that path.
 */
export function fieldExpression(field: string, params: unknown[]): string {
  const key = field.toLowerCase();
  if (key === 'kind') return 'lower(e.kind)';
  if (key === 'metadata.uid') return 'md5(e.ref)::uuid::text';
  const col = COLUMNS[key];
  if (col) return `lower(e.${col.column})`;
  if (!/^[A-Za-z0-9_$@-]+(\.[A-Za-z0-9_$@/-]+)*$/.test(field)) throw badFilter('field', `"${field}" is not a field path; write dotted names, e.g. metadata.name or spec.profile.displayName`);
  return `lower(e.entity #>> ${`$${params.push(field.split('.'))}`}::text[])`;
}

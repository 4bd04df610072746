// Helpers around the catalog's entity references (`kind:namespace/name`, as in Backstage).
import type { CatalogEntity } from '../api/client.ts';

export interface EntityMetadata {
  name: string;
  namespace?: string;
  title?: string;
  description?: string;
  tags?: string[];
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  links?: { url: string; title?: string; icon?: string }[];
}

/** The generated type leaves metadata open (any descriptor is accepted); this is what it holds. */
export const meta = (e: Pick<CatalogEntity, 'metadata'>) => e.metadata as unknown as EntityMetadata;

export function parseRef(ref: string): { kind: string; namespace: string; name: string } | null {
  const m = ref.match(/^([^:]+):(?:([^/]+)\/)?(.+)$/);
  return m ? { kind: m[1], namespace: m[2] ?? 'default', name: m[3] } : null;
}
export const entityHref = (e: Pick<CatalogEntity, 'kind' | 'metadata'>) =>
  `/catalog/${encodeURIComponent(e.kind.toLowerCase())}/${encodeURIComponent(meta(e).namespace ?? 'default')}/${encodeURIComponent(meta(e).name)}`;
export function refHref(ref: string): string {
  const r = parseRef(ref);
  return r ? `/catalog/${encodeURIComponent(r.kind.toLowerCase())}/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}` : '/catalog';
}
/** `group:default/payments` → `payments`; other namespaces stay visible. */
export function shortRef(ref: string): string {
  const r = parseRef(ref);
  if (!r) return ref;
  return r.namespace === 'default' ? r.name : `${r.namespace}/${r.name}`;
}

// The catalog follows Backstage's descriptor shape; these types stand until the catalog API is
// in the OpenAPI document, when they give way to the generated ones.
export interface Entity {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; title?: string; description?: string; tags?: string[]; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  relations?: { type: string; targetRef: string }[];
}
export interface EntityPage {
  items: Entity[];
  facets?: Record<string, { value: string; count: number }[]>;
  nextCursor?: string | null;
}
export const entityRef = (e: Entity) => `${e.kind.toLowerCase()}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`;
export const entityHref = (e: Entity) => `/catalog/${encodeURIComponent(e.kind.toLowerCase())}/${encodeURIComponent(e.metadata.namespace ?? 'default')}/${encodeURIComponent(e.metadata.name)}`;
export function refHref(ref: string): string {
  const m = ref.match(/^([^:]+):(?:([^/]+)\/)?(.+)$/);
  if (!m) return '/catalog';
  return `/catalog/${encodeURIComponent(m[1].toLowerCase())}/${encodeURIComponent(m[2] ?? 'default')}/${encodeURIComponent(m[3])}`;
}

import type pg from 'pg';
import type { GoldenPath } from '../../domain/golden-path/schema.ts';
import type { EnvironmentView } from '../../domain/environment/schema.ts';
import type { WarehouseDescription } from '../../infrastructure/warehouse/describe.ts';
import { GOLDPATH_API_VERSION } from '../../domain/catalog/kinds.ts';
import { formatEntityRef } from '../../domain/catalog/ref.ts';
import { PlatformError } from '../errors.ts';
import { deleteEntity, upsertEntities, type WriteResult } from './store.ts';

/**
 * What the platform registers about itself. Each function owns one source and states its whole set
 * (except environments, which change one at a time), so something removed from the platform
 * disappears from the catalog on the next sync.
 */

export const PLATFORM_SOURCES = {
  paths: 'platform:paths',
  environments: 'platform:environments',
  organisation: 'platform:organisation',
  warehouse: 'platform:warehouse',
} as const;

const BACKSTAGE = 'backstage.io/v1alpha1';
// Tags in descriptors are lower-case words joined by dashes; path files are freer.
const tag = (t: string) => t.toLowerCase().replace(/[^a-z0-9:+#]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
const tags = (list: string[]) => [...new Set(list.map(tag).filter(Boolean))];
const group = (id: string) => formatEntityRef({ kind: 'group', namespace: 'default', name: id });

export async function syncGoldenPaths(pool: pg.Pool, paths: GoldenPath[]): Promise<WriteResult> {
  return upsertEntities(pool, PLATFORM_SOURCES.paths, paths.map((p) => ({
    apiVersion: GOLDPATH_API_VERSION,
    kind: 'GoldenPath',
    metadata: {
      name: p.metadata.name, title: p.metadata.title, description: p.metadata.description,
      tags: tags([...p.metadata.tags, p.metadata.audience, ...(p.spec.dataClass ? [`data-${p.spec.dataClass}`] : [])]),
      ...(p.metadata.use ? { annotations: { 'goldpath.dev/use': p.metadata.use } } : {}),
    },
    spec: {
      type: p.metadata.audience, owner: group(p.metadata.owner), version: p.spec.version, dataClass: p.spec.dataClass ?? null,
      approval: p.spec.approval, extensible: p.spec.extensible,
      resources: Object.entries(p.spec.resources).map(([id, r]) => ({ id, type: r.type })),
      docs: p.spec.docs ?? null,
    },
  })), { replace: true });
}

/**
 * Registers (or updates) one environment. A deleted environment is removed from the catalog: the
 * catalog shows what exists; an environment's history stays with the environment and its events.
 * Resource outputs are never copied here: they hold credentials.
 */
export async function upsertEnvironmentEntity(pool: pg.Pool, env: EnvironmentView, opts: { datasets?: string[] } = {}): Promise<void> {
  const ref = formatEntityRef({ kind: 'environment', namespace: 'default', name: env.id });
  if (env.status === 'deleted') {
    await deleteEntity(pool, ref, (s) => s === PLATFORM_SOURCES.environments).catch((e) => {
      if (!(e instanceof PlatformError && e.status === 404)) throw e;
    });
    return;
  }
  await upsertEntities(pool, PLATFORM_SOURCES.environments, [{
    apiVersion: GOLDPATH_API_VERSION,
    kind: 'Environment',
    metadata: {
      name: env.id, title: env.name, description: `${env.path} for team ${env.team}, launched by ${env.owner}`,
      tags: tags([env.path, ...(env.dataClass ? [`data-${env.dataClass}`] : [])]),
    },
    spec: {
      type: env.path, owner: group(env.team), launchedBy: formatEntityRef({ kind: 'user', namespace: 'default', name: env.owner }),
      path: formatEntityRef({ kind: 'goldenpath', namespace: 'default', name: env.path }),
      status: env.status, dataClass: env.dataClass, createdAt: env.createdAt,
      resources: env.resources.map((r) => ({ id: r.id, type: r.type, status: r.status })),
      // The datasets its warehouse grant reads (in its data class's form).
      ...(opts.datasets?.length ? { dependsOn: opts.datasets.map((d) => formatEntityRef({ kind: 'dataset', namespace: 'default', name: d })) } : {}),
    },
  }]);
}

export interface OrganisationTeam {
  id: string;
  title: string;
}
export interface OrganisationUser {
  id: string;
  name: string;
  email: string;
  team: string;
}

/** Teams become Groups and users Users (memberOf their team): the owners everything else points at. */
export async function syncOrganisation(pool: pg.Pool, teams: OrganisationTeam[], users: OrganisationUser[]): Promise<WriteResult> {
  return upsertEntities(pool, PLATFORM_SOURCES.organisation, [
    ...teams.map((t) => ({ apiVersion: BACKSTAGE, kind: 'Group', metadata: { name: t.id, title: t.title }, spec: { type: 'team', children: [] } })),
    ...users.map((u) => ({
      apiVersion: BACKSTAGE, kind: 'User', metadata: { name: u.id, title: u.name },
      spec: { profile: { displayName: u.name, email: u.email }, memberOf: [group(u.team)] },
    })),
  ], { replace: true });
}

/**
 * The warehouse's data dictionary as Dataset entities, one per dataset (its raw table, masked view
 * and synthetic table together): columns with type, description, classification, which data classes
 * can read them and how the masked class sees them; all grouped in one DataProduct.
 */
export async function syncDatasets(pool: pg.Pool, dictionary: WarehouseDescription): Promise<WriteResult> {
  const product = tag(`warehouse-${dictionary.database}`);
  const byDataset = new Map<string, WarehouseDescription['relations']>();
  for (const r of dictionary.relations) byDataset.set(r.dataset, [...(byDataset.get(r.dataset) ?? []), r]);
  const datasets = [...byDataset.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, rels]) => {
    // The raw table's column order and types; visibility is the union over the relations.
    const raw = rels.find((r) => r.schema === 'sensitive') ?? rels[0];
    const owner = rels.find((r) => r.owner)?.owner ?? 'platform';
    const columns = raw.columns.map((c) => {
      const everywhere = rels.flatMap((r) => r.columns.filter((x) => x.name === c.name).map((x) => ({ schema: r.schema, x })));
      const masking = everywhere.find((e) => e.x.masking !== 'none')?.x.masking;
      return {
        name: c.name, type: c.type, nullable: c.nullable, description: c.description, classification: c.classification,
        visibleTo: [...new Set(everywhere.flatMap((e) => e.x.visibleTo))].sort(),
        ...(masking ? { masking: { masked: masking } } : {}),
      };
    });
    const classes = [...new Set(rels.flatMap((r) => r.visibleTo))].sort();
    return {
      apiVersion: GOLDPATH_API_VERSION,
      kind: 'Dataset',
      metadata: { name, title: name.replace(/[_-]+/g, ' '), description: raw.description ?? undefined, tags: tags(['warehouse', ...columns.some((c) => c.classification?.startsWith('pii')) ? ['pii'] : []]) },
      spec: {
        type: raw.kind, owner: group(owner), dataProduct: formatEntityRef({ kind: 'dataproduct', namespace: 'default', name: product }),
        visibleTo: classes,
        location: { warehouse: dictionary.database, relations: Object.fromEntries(rels.map((r) => [r.schema, `${r.schema}.${r.name}`])) },
        rowFilter: rels.find((r) => r.rowFilter)?.rowFilter ?? null,
        columns,
      },
    };
  });
  return upsertEntities(pool, PLATFORM_SOURCES.warehouse, [
    {
      apiVersion: GOLDPATH_API_VERSION,
      kind: 'DataProduct',
      metadata: { name: product, title: `Governed warehouse (${dictionary.database})`, description: 'The shared data warehouse: every dataset in three data classes (synthetic, masked, sensitive).', tags: ['warehouse'] },
      spec: {
        owner: group('platform'),
        purpose: 'Governed access to the bank\'s customer and payment data for analytics, data science and ML.',
        termsOfUse: 'synthetic: anyone on a golden path; masked: personal data masked, no re-identification; sensitive: only with the data owner\'s approval.',
      },
    },
    ...datasets,
  ], { replace: true });
}

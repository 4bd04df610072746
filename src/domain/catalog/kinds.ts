import { z } from 'zod';
import { dataClasses } from '../golden-path/schema.ts';

/**
 * One zod schema per kind: the Backstage built-in kinds as Backstage documents them, and the
 * Goldpath kinds for data, ML and the platform itself. Specs are loose objects (unknown fields are
 * kept) because Backstage descriptors often carry fields of plugins we do not know.
 */

export const BACKSTAGE_API_VERSIONS = ['backstage.io/v1alpha1', 'backstage.io/v1beta1'] as const;
export const GOLDPATH_API_VERSION = 'goldpath.dev/v1';

const required = (what: string) => ({ error: (i: { input: unknown }) => (i.input === undefined ? `is required: ${what}` : `must be ${what.replace(/^the /, 'a ')}`) });
const text = (what: string) => z.string(required(what)).min(1, `must not be empty: ${what}`);
const ref = (example: string) => text(`an entity reference such as ${example}`);
const refs = (example: string) => z.array(ref(example), { error: `must be a list of entity references such as [${example}]` });

export const Link = z.looseObject({ url: text('the link URL'), title: z.string().optional(), icon: z.string().optional(), type: z.string().optional() });

const namePattern = /^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$/;
const namespacePattern = /^[a-z0-9]+(-+[a-z0-9]+)*$/;
const tagPattern = /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/;

export const Metadata = z.looseObject({
  name: text('the entity name, e.g. payments-api')
    .max(63, 'must be at most 63 characters')
    .regex(namePattern, 'must be letters and digits separated by single "-", "_" or "." (e.g. payments-api)'),
  namespace: z.string().max(63, 'must be at most 63 characters').regex(namespacePattern, 'must be lower-case letters, digits and dashes (e.g. default)').default('default'),
  title: z.string().optional(),
  description: z.string().optional(),
  labels: z.record(z.string(), z.string(), { error: 'must be a map of strings' }).optional(),
  annotations: z.record(z.string(), z.string(), { error: 'must be a map of strings' }).optional(),
  tags: z.array(z.string().max(63, 'must be at most 63 characters').regex(tagPattern, 'must be lower-case letters, digits, ":", "+", "#", separated by "-" (e.g. java, data-quality)'), { error: 'must be a list of tags' }).default([]),
  links: z.array(Link, { error: 'must be a list of {url, title}' }).optional(),
});

const lifecycle = text('the lifecycle, e.g. production, experimental or deprecated');
const owner = ref('group:default/payments (or just payments)');

// ---- Backstage built-in kinds -------------------------------------------------------------------

export const ComponentSpec = z.looseObject({
  type: text('the component type, e.g. service, website or library'),
  lifecycle,
  owner,
  system: ref('payments').optional(),
  subcomponentOf: ref('component:payments-api').optional(),
  providesApis: refs('payments-api').optional(),
  consumesApis: refs('ledger-api').optional(),
  dependsOn: refs('resource:default/orders-db').optional(),
  dependencyOf: refs('component:default/checkout').optional(),
});

export const ApiSpec = z.looseObject({
  type: text('the API type, e.g. openapi, asyncapi, graphql or grpc'),
  lifecycle,
  owner,
  system: ref('payments').optional(),
  // Backstage allows `$text: ./openapi.yaml` placeholders here; they are kept as written.
  definition: z.union([z.string().min(1), z.record(z.string(), z.unknown())], required('the API definition (inline text or {$text: ./openapi.yaml})')),
});

export const ResourceSpec = z.looseObject({
  type: text('the resource type, e.g. database or s3-bucket'),
  owner,
  system: ref('payments').optional(),
  dependsOn: refs('resource:default/orders-db').optional(),
  dependencyOf: refs('component:default/checkout').optional(),
});

export const SystemSpec = z.looseObject({ owner, domain: ref('commerce').optional(), type: z.string().optional() });
export const DomainSpec = z.looseObject({ owner, subdomainOf: ref('commerce').optional(), type: z.string().optional() });

const Profile = z.looseObject({ displayName: z.string().optional(), email: z.string().optional(), picture: z.string().optional() }).optional();

export const GroupSpec = z.looseObject({
  type: text('the group type, e.g. team, department or business-unit'),
  profile: Profile,
  parent: ref('engineering').optional(),
  children: refs('group:default/payments').default([]),
  members: refs('user:default/dana').optional(),
});

export const UserSpec = z.looseObject({ profile: Profile, memberOf: refs('payments').default([]) });

export const LocationSpec = z
  .looseObject({
    type: z.string().optional(),
    target: z.string().min(1).optional(),
    targets: z.array(z.string().min(1)).optional(),
    presence: z.enum(['required', 'optional']).optional(),
  })
  .refine((s) => s.target !== undefined || (s.targets?.length ?? 0) > 0, { message: 'a Location needs spec.target or spec.targets (e.g. ./catalog-info.yaml)', path: ['target'] });

// ---- Goldpath kinds -----------------------------------------------------------------------------

const DataClass = z.enum(dataClasses, { error: `must be one of ${dataClasses.join(', ')}` });

export const DatasetColumn = z.looseObject({
  name: text('the column name'),
  type: text('the column type, e.g. text, integer or timestamptz'),
  description: z.string().nullish(),
  classification: z.string().nullish(), // e.g. pii.email; null when the column is not sensitive
  nullable: z.boolean().optional(),
  visibleTo: z.array(DataClass).optional(), // the data classes whose grants can read the column
});

export const DatasetSpec = z.looseObject({
  type: z.string().default('table'),
  owner,
  lifecycle: z.string().optional(),
  dataProduct: ref('dataproduct:default/customer-360').optional(),
  system: ref('payments').optional(),
  dependsOn: refs('dataset:default/raw-events').optional(), // upstream lineage
  location: z.looseObject({ warehouse: z.string().optional(), schema: z.string().optional(), table: z.string().optional(), uri: z.string().optional() }).optional(),
  visibleTo: z.array(DataClass).optional(),
  columns: z.array(DatasetColumn, { error: 'must be a list of columns {name, type, description, classification}' }).min(1, 'a dataset needs at least one column: the data dictionary is its point'),
});

export const DataProductSpec = z.looseObject({
  type: z.string().optional(),
  owner,
  purpose: text('what the data product is for, in a sentence'),
  termsOfUse: text('the terms under which its data may be used'),
  domain: ref('commerce').optional(),
  datasets: refs('dataset:default/customers').default([]),
});

export const FeatureViewSpec = z
  .looseObject({
    type: z.string().optional(),
    owner,
    entities: z.array(text('an entity key such as customer_id'), required('the entity keys the features are keyed by, e.g. [customer_id]')).min(1, 'name at least one entity key, e.g. [customer_id]'),
    features: z.array(z.looseObject({ name: text('the feature name'), type: text('the feature type, e.g. float64'), description: z.string().optional() }), required('the list of features {name, type, description}')).min(1, 'a feature view needs at least one feature'),
    source: z.looseObject({ dataset: ref('dataset:default/transactions').optional(), sql: z.string().min(1).optional() }, required('the source: {dataset: <ref>} or {sql: SELECT …}'))
      .refine((s) => s.dataset !== undefined || s.sql !== undefined, 'give source.dataset (an entity reference) or source.sql'),
    freshness: text('how fresh the features are kept, e.g. 1h or 24h'),
    online: z.boolean().optional(),
  });

export const ModelVersion = z.looseObject({
  version: z.union([z.string().min(1), z.number()], required('the version, e.g. "3"')).transform(String),
  stage: z.enum(['none', 'staging', 'production', 'archived']).optional(),
  metrics: z.record(z.string(), z.number({ error: 'must be a number' })).default({}),
  trainingDatasets: refs('dataset:default/customers').default([]),
  createdAt: z.string().optional(),
});

export const ModelSpec = z.looseObject({
  type: z.string().optional(),
  owner,
  lifecycle: z.string().optional(),
  system: ref('payments').optional(),
  features: refs('featureview:default/customer-activity').optional(),
  versions: z.array(ModelVersion, required('the list of versions with their metrics')).min(1, 'a model needs at least one version'),
  licence: text('the licence, e.g. Apache-2.0 or proprietary'),
  intendedUse: text('what the model is meant for'),
  limitations: text('what the model must not be used for or does badly'),
  approval: z.looseObject({
    status: z.enum(['pending', 'approved', 'rejected'], { error: 'must be pending, approved or rejected' }),
    approvedBy: z.string().optional(),
    date: z.string().optional(),
  }, required('{status: pending|approved|rejected}')),
});

export const GoldenPathSpec = z.looseObject({
  type: z.enum(['data', 'software'], { error: 'must be data or software' }),
  owner,
  lifecycle: z.string().optional(),
  version: text('the path version, e.g. 1.0.0'),
  dataClass: DataClass.nullish(),
  approval: z.string().default('none'),
  extensible: z.boolean({ error: 'must be true or false' }),
  resources: z.array(z.looseObject({ id: text('the resource id'), type: text('the resource type') })).default([]),
  docs: z.string().nullish(),
});

export const EnvironmentSpec = z.looseObject({
  type: z.string().optional(),
  owner, // the team's group
  launchedBy: ref('user:default/dana'),
  path: ref('goldenpath:default/data-science-experimentation'),
  status: text('the environment status'),
  dataClass: DataClass.nullish(),
  resources: z.array(z.looseObject({ id: text('the resource id'), type: text('the resource type'), status: z.string().optional() })).default([]),
  dependsOn: refs('dataset:default/customers').optional(), // the datasets and models it uses
});

/** Every kind the catalog knows, with the apiVersions it accepts and its spec schema. */
export const kinds = {
  Component: { apiVersions: BACKSTAGE_API_VERSIONS, spec: ComponentSpec },
  API: { apiVersions: BACKSTAGE_API_VERSIONS, spec: ApiSpec },
  Resource: { apiVersions: BACKSTAGE_API_VERSIONS, spec: ResourceSpec },
  System: { apiVersions: BACKSTAGE_API_VERSIONS, spec: SystemSpec },
  Domain: { apiVersions: BACKSTAGE_API_VERSIONS, spec: DomainSpec },
  Group: { apiVersions: BACKSTAGE_API_VERSIONS, spec: GroupSpec },
  User: { apiVersions: BACKSTAGE_API_VERSIONS, spec: UserSpec },
  Location: { apiVersions: BACKSTAGE_API_VERSIONS, spec: LocationSpec },
  Dataset: { apiVersions: [GOLDPATH_API_VERSION], spec: DatasetSpec },
  DataProduct: { apiVersions: [GOLDPATH_API_VERSION], spec: DataProductSpec },
  FeatureView: { apiVersions: [GOLDPATH_API_VERSION], spec: FeatureViewSpec },
  Model: { apiVersions: [GOLDPATH_API_VERSION], spec: ModelSpec },
  GoldenPath: { apiVersions: [GOLDPATH_API_VERSION], spec: GoldenPathSpec },
  Environment: { apiVersions: [GOLDPATH_API_VERSION], spec: EnvironmentSpec },
} as const;

export type Kind = keyof typeof kinds;
export const kindNames = Object.keys(kinds) as Kind[];

/** `component` → `Component`: kinds are matched case-insensitively, as Backstage does. */
export function canonicalKind(kind: string): Kind | undefined {
  const lower = kind.toLowerCase();
  return kindNames.find((k) => k.toLowerCase() === lower);
}

export type ComponentSpec = z.infer<typeof ComponentSpec>;
export type ApiSpec = z.infer<typeof ApiSpec>;
export type ResourceSpec = z.infer<typeof ResourceSpec>;
export type SystemSpec = z.infer<typeof SystemSpec>;
export type DomainSpec = z.infer<typeof DomainSpec>;
export type GroupSpec = z.infer<typeof GroupSpec>;
export type UserSpec = z.infer<typeof UserSpec>;
export type LocationSpec = z.infer<typeof LocationSpec>;
export type DatasetSpec = z.infer<typeof DatasetSpec>;
export type DatasetColumn = z.infer<typeof DatasetColumn>;
export type DataProductSpec = z.infer<typeof DataProductSpec>;
export type FeatureViewSpec = z.infer<typeof FeatureViewSpec>;
export type ModelSpec = z.infer<typeof ModelSpec>;
export type GoldenPathSpec = z.infer<typeof GoldenPathSpec>;
export type EnvironmentSpec = z.infer<typeof EnvironmentSpec>;

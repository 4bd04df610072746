import { lazy, Suspense, type ReactNode } from 'react';
import { Alert, Anchor, Badge, Box, Breadcrumbs, Button, Card, Code, Grid, Group, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconArrowRight, IconExternalLink, IconInfoCircle, IconRocket, IconStack2 } from '@tabler/icons-react';
import { Link } from 'wouter';
import { api, ApiError, call, type CatalogEntityWithRelations, type CatalogRelation } from '../api/client.ts';
import { useLoad } from '../lib/use-load.ts';
import { ErrorState, LoadingCards } from '../components/states.tsx';
import { DataClassBadge, StatusBadge } from '../components/badges.tsx';
import { KindBadge, KindIcon } from '../components/kind.tsx';
import { RelationGraph, relationWords } from '../components/relation-graph.tsx';
import { meta, parseRef, refHref, shortRef } from './catalog-types.ts';

const MetricsCharts = lazy(() => import('../components/metrics-chart.tsx'));

type Spec = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const arr = <T,>(v: unknown) => (Array.isArray(v) ? (v as T[]) : []);

export default function CatalogEntityPage({ kind, namespace, name }: { kind: string; namespace: string; name: string }) {
  const entity = useLoad(() => call(api.GET('/api/v1/catalog/entities/by-ref/{kind}/{namespace}/{name}', { params: { path: { kind, namespace, name } } })), [kind, namespace, name]);
  if (entity.loading && !entity.data) return <LoadingCards count={3} height={140} />;
  if (entity.error)
    return (
      <Stack maw={1140} mx="auto">
        <ErrorState
          error={entity.error}
          onRetry={entity.reload}
          title={entity.error instanceof ApiError && entity.error.status === 404 ? `There is no ${kind} “${namespace === 'default' ? name : `${namespace}/${name}`}” in the catalog` : undefined}
        />
        <Group>
          <Button component={Link} href={`/catalog?q=${encodeURIComponent(name)}`} variant="light">
            Search the catalog for “{name}”
          </Button>
        </Group>
      </Stack>
    );
  return <EntityView e={entity.data!} />;
}

function EntityView({ e }: { e: CatalogEntityWithRelations }) {
  const m = meta(e);
  const spec = (e.spec ?? {}) as Spec;
  const k = e.kind.toLowerCase();
  const title = m.title ?? m.name;
  return (
    <Stack gap="lg" maw={1240} mx="auto" data-entity-page={e.ref}>
      <Breadcrumbs separatorMargin={6}>
        <Anchor component={Link} href="/catalog" size="sm">
          Catalog
        </Anchor>
        <Anchor component={Link} href={`/catalog?kind=${encodeURIComponent(e.kind)}`} size="sm">
          {e.kind}
        </Anchor>
        <Text size="sm" c="dimmed">
          {m.name}
        </Text>
      </Breadcrumbs>

      <Group justify="space-between" align="flex-start" gap="md">
        <Group gap="md" wrap="nowrap" align="flex-start">
          <KindIcon kind={e.kind} size={48} />
          <Stack gap={4}>
            <Group gap="sm">
              <Title order={1} fz={{ base: 22, sm: 28 }}>
                {title}
              </Title>
              <KindBadge kind={e.kind} size="md" />
            </Group>
            <Text size="sm" c="dimmed" ff="monospace">
              {e.ref}
            </Text>
          </Stack>
        </Group>
        <PortalLink kind={k} name={m.name} />
      </Group>
      {m.description && <Text maw={820}>{m.description}</Text>}

      {k === 'dataset' && <DataDictionary spec={spec} />}
      {k === 'model' && <ModelCard spec={spec} />}
      {k === 'featureview' && <FeatureViewCard spec={spec} />}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="lg">
            {k === 'dataproduct' && <TextCard rows={[['Purpose', str(spec.purpose)], ['Terms of use', str(spec.termsOfUse)]]} title="Data product" />}
            {k === 'api' && str(spec.definition) && <ApiDefinition definition={str(spec.definition)!} type={str(spec.type)} />}
            <Card padding="lg">
              <Group justify="space-between" mb="sm">
                <Text fw={600}>Relations</Text>
                <Text size="xs" c="dimmed">
                  Click a box to open it
                </Text>
              </Group>
              <RelationGraph entity={{ kind: e.kind, title, ref: e.ref }} relations={e.relations} />
              {e.relations.length > 0 && <RelationList relations={e.relations} />}
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <About e={e} spec={spec} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** Golden paths and environments live in the portal too: link there. */
function PortalLink({ kind, name }: { kind: string; name: string }) {
  if (kind === 'goldenpath')
    return (
      <Button component={Link} href={`/launch/${encodeURIComponent(name)}`} leftSection={<IconRocket size={16} />}>
        Launch this golden path
      </Button>
    );
  if (kind === 'environment')
    return (
      <Button component={Link} href={`/environments/${encodeURIComponent(name)}`} leftSection={<IconStack2 size={16} />} rightSection={<IconArrowRight size={16} />}>
        Open the environment page
      </Button>
    );
  return null;
}

function About({ e, spec }: { e: CatalogEntityWithRelations; spec: Spec }) {
  const m = meta(e);
  const rows: [string, ReactNode][] = [];
  const refLink = (ref: string, kindHint: string) => {
    const full = ref.includes(':') ? ref : `${kindHint}:${m.namespace ?? 'default'}/${ref}`;
    return (
      <Anchor component={Link} href={refHref(full)} size="sm">
        {shortRef(full)}
      </Anchor>
    );
  };
  if (str(spec.owner)) rows.push(['Owner', refLink(str(spec.owner)!, 'group')]);
  if (str(spec.type)) rows.push(['Type', str(spec.type)]);
  if (str(spec.lifecycle)) rows.push(['Lifecycle', <Badge size="sm" variant="light" color={spec.lifecycle === 'production' ? 'green' : 'gray'}>{str(spec.lifecycle)}</Badge>]);
  if (str(spec.system)) rows.push(['System', refLink(str(spec.system)!, 'system')]);
  if (str(spec.domain)) rows.push(['Domain', refLink(str(spec.domain)!, 'domain')]);
  if (str(spec.status)) rows.push(['Status', <StatusBadge status={str(spec.status)!} size="sm" />]);
  if (str(spec.dataClass)) rows.push(['Data class', <DataClassBadge dataClass={str(spec.dataClass)} size="xs" />]);
  if (str(spec.approval)) rows.push(['Approval', str(spec.approval)]);
  if (str(spec.version)) rows.push(['Version', str(spec.version)]);
  if (str(spec.path)) rows.push(['Golden path', <Anchor component={Link} href={`/launch/${str(spec.path)}`} size="sm">{str(spec.path)}</Anchor>]);
  if (str(spec.launchedBy)) rows.push(['Launched by', refLink(str(spec.launchedBy)!, 'user')]);
  const profile = spec.profile as { displayName?: string; email?: string } | undefined;
  if (profile?.displayName) rows.push(['Name', profile.displayName]);
  if (profile?.email) rows.push(['E-mail', <Anchor href={`mailto:${profile.email}`} size="sm">{profile.email}</Anchor>]);
  rows.push(['Namespace', m.namespace ?? 'default']);
  rows.push(['Source', <Code>{e.source}</Code>]);
  return (
    <Stack gap="lg">
      <Card padding="lg">
        <Text fw={600} mb="sm">
          About
        </Text>
        <Stack gap={10}>
          {rows.map(([label, value]) => (
            <Group key={label} justify="space-between" gap="md" wrap="nowrap" align="flex-start">
              <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
                {label}
              </Text>
              <Box ta="right" style={{ minWidth: 0, wordBreak: 'break-word' }}>
                {typeof value === 'string' ? <Text size="sm">{value}</Text> : value}
              </Box>
            </Group>
          ))}
        </Stack>
        {(m.tags?.length ?? 0) > 0 && (
          <Group gap={6} mt="md">
            {m.tags!.map((t) => (
              <Badge key={t} component={Link} href={`/catalog?tag=${encodeURIComponent(t)}`} size="sm" variant="outline" color="gray" style={{ textTransform: 'none', cursor: 'pointer' }}>
                {t}
              </Badge>
            ))}
          </Group>
        )}
      </Card>
      {(m.links?.length ?? 0) > 0 && (
        <Card padding="lg">
          <Text fw={600} mb="sm">
            Links
          </Text>
          <Stack gap={6}>
            {m.links!.map((l) => (
              <Anchor key={l.url} href={l.url} target="_blank" rel="noopener noreferrer" size="sm">
                <Group gap={6} wrap="nowrap">
                  <IconExternalLink size={14} />
                  {l.title ?? l.url}
                </Group>
              </Anchor>
            ))}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}

function RelationList({ relations }: { relations: CatalogRelation[] }) {
  const byType = new Map<string, CatalogRelation[]>();
  for (const r of relations) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  return (
    <Stack gap={8} mt="md">
      {[...byType].map(([type, rs]) => (
        <Group key={type} gap={8} align="flex-start" wrap="nowrap">
          <Text size="sm" c="dimmed" w={140} style={{ flexShrink: 0 }}>
            {relationWords(type)}
          </Text>
          <Group gap={6}>
            {rs.map((r) =>
              r.target.exists ? (
                <Anchor key={r.targetRef} component={Link} href={refHref(r.targetRef)} size="sm">
                  {r.target.title ?? shortRef(r.targetRef)}
                </Anchor>
              ) : (
                <Tooltip key={r.targetRef} label="Referenced, but not in the catalog" withArrow>
                  <Text size="sm" c="dimmed" td="line-through">
                    {shortRef(r.targetRef)}
                  </Text>
                </Tooltip>
              ),
            )}
          </Group>
        </Group>
      ))}
    </Stack>
  );
}

// ---- Dataset: the data dictionary ------------------------------------------------------------

interface Column {
  name: string;
  type?: string;
  nullable?: boolean;
  description?: string | null;
  classification?: string | null;
  visibleTo?: string[];
  masking?: Record<string, string>;
}

const classes = ['synthetic', 'masked', 'sensitive'] as const;
const classColor: Record<string, string> = { synthetic: 'teal', masked: 'yellow', sensitive: 'red' };

export function ClassificationBadge({ value }: { value: string | null | undefined }) {
  if (!value)
    return (
      <Text size="xs" c="dimmed">
        —
      </Text>
    );
  const top = value.split('.')[0];
  const color = top === 'pii' ? 'red' : top === 'confidential' || top === 'financial' ? 'orange' : top === 'public' ? 'teal' : 'grape';
  return (
    <Badge size="sm" variant="light" color={color} style={{ textTransform: 'none' }} data-classification={value}>
      {value}
    </Badge>
  );
}

/** The dataset page (preview, statistics, access) of the relation most people read: masked, else raw, else synthetic. */
function DatasetPageLink({ relations }: { relations?: Record<string, string> }) {
  const relation = relations?.masked ?? relations?.sensitive ?? relations?.synthetic;
  if (!relation) return null;
  const [schema, name] = relation.split('.');
  return (
    <Anchor component={Link} href={`/datasets/${schema}/${name}`} size="sm" underline="always" data-testid="dataset-page-link">
      Preview rows and column statistics
    </Anchor>
  );
}

function DataDictionary({ spec }: { spec: Spec }) {
  const columns = arr<Column>(spec.columns);
  const location = spec.location as { relations?: Record<string, string>; schema?: string; table?: string } | undefined;
  const datasetVisible = arr<string>(spec.visibleTo);
  const rowFilter = str(spec.rowFilter);
  const sensitiveCount = columns.filter((c) => c.classification).length;
  return (
    <Card padding={0} data-testid="data-dictionary">
      <Group justify="space-between" p="lg" pb="sm" align="flex-start">
        <div>
          <Text fw={600}>Data dictionary</Text>
          <Text size="sm" c="dimmed">
            {columns.length} columns{sensitiveCount ? `, ${sensitiveCount} classified` : ''}. The warehouse enforces who sees what: each data class reads its own table or view.
          </Text>
          <DatasetPageLink relations={location?.relations} />
        </div>
        {datasetVisible.length > 0 && (
          <Group gap={4}>
            {classes.filter((c) => datasetVisible.includes(c)).map((c) => (
              <DataClassBadge key={c} dataClass={c} size="xs" />
            ))}
          </Group>
        )}
      </Group>
      <Table.ScrollContainer minWidth={760}>
        <Table striped highlightOnHover verticalSpacing="sm" horizontalSpacing="lg">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Column</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Classification</Table.Th>
              <Table.Th miw={250}>
                <Tooltip label="Which data classes can read this column, and how the masked class sees it" withArrow multiline w={260}>
                  <Group gap={4} wrap="nowrap">
                    Visible to <IconInfoCircle size={14} />
                  </Group>
                </Tooltip>
              </Table.Th>
              <Table.Th>Description</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {columns.map((c) => (
              <Table.Tr key={c.name} data-column={c.name}>
                <Table.Td>
                  <Text ff="monospace" size="sm" fw={500}>
                    {c.name}
                  </Text>
                  {c.nullable && (
                    <Text size="xs" c="dimmed">
                      nullable
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text ff="monospace" size="sm" c="dimmed">
                    {c.type ?? ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <ClassificationBadge value={c.classification} />
                </Table.Td>
                <Table.Td>
                  <VisibleTo column={c} datasetVisible={datasetVisible} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{c.description ?? ''}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {(rowFilter || location?.relations) && (
        <Stack gap={6} p="lg" pt="sm">
          {location?.relations && (
            <Text size="sm" c="dimmed">
              Read it as{' '}
              {Object.entries(location.relations).map(([cls, rel], i) => (
                <span key={cls}>
                  {i > 0 && ', '}
                  <Code>{rel}</Code> ({cls})
                </span>
              ))}
              .
            </Text>
          )}
          {rowFilter && (
            <Text size="sm" c="dimmed">
              Rows in the masked class: <Code>{rowFilter}</Code>
            </Text>
          )}
        </Stack>
      )}
    </Card>
  );
}

function VisibleTo({ column, datasetVisible }: { column: Column; datasetVisible: string[] }) {
  const visible = column.visibleTo ?? datasetVisible;
  if (!visible.length)
    return (
      <Text size="xs" c="dimmed">
        no class
      </Text>
    );
  return (
    <Group gap={4} wrap="wrap">
      {classes
        .filter((c) => visible.includes(c))
        .map((c) => {
          const mask = column.masking?.[c];
          return (
            <Tooltip key={c} label={mask ? `The ${c} class sees this column ${maskWords(mask)}` : `The ${c} class sees this column as it is`} withArrow>
              <Badge size="xs" variant={mask ? 'outline' : 'light'} color={classColor[c]} styles={{ root: { textTransform: 'none', flexShrink: 0 }, label: { overflow: 'visible' } }} data-visible-to={c}>
                {c}
                {mask ? ` · ${mask.replace(/_/g, ' ')}` : ''}
              </Badge>
            </Tooltip>
          );
        })}
    </Group>
  );
}
const maskWords = (m: string) =>
  ({ redact: 'redacted', hash: 'hashed', last4: 'with only its last 4 characters', year_only: 'with only the year', null: 'as null' })[m] ?? `masked (${m})`;

// ---- Model: the model card -------------------------------------------------------------------

interface ModelVersion {
  version: string | number;
  stage?: string;
  metrics?: Record<string, number>;
  trainingDatasets?: string[];
  createdAt?: string;
  description?: string;
}

const stageColor: Record<string, string> = { production: 'green', staging: 'blue', archived: 'gray' };

function ModelCard({ spec }: { spec: Spec }) {
  const versions = arr<ModelVersion>(spec.versions);
  const approval = spec.approval as { status?: string; approvedBy?: string; date?: string } | undefined;
  const withMetrics = versions.filter((v) => v.metrics && Object.keys(v.metrics).length);
  return (
    <Stack gap="lg" data-testid="model-card">
      <Card padding="lg">
        <Group justify="space-between" mb="sm">
          <Text fw={600}>Model card</Text>
          {approval?.status && (
            <Badge variant="light" color={approval.status === 'approved' ? 'green' : approval.status === 'rejected' ? 'red' : 'orange'} size="md">
              {approval.status}
              {approval.approvedBy ? ` by ${shortRef(approval.approvedBy)}` : ''}
              {approval.date ? ` · ${approval.date}` : ''}
            </Badge>
          )}
        </Group>
        <Grid gap="md">
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Fact label="Intended use">{str(spec.intendedUse) ?? '—'}</Fact>
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Fact label="Limitations">
              {str(spec.limitations) ? (
                <Alert color="orange" variant="light" p="xs" icon={<IconInfoCircle size={16} />}>
                  {str(spec.limitations)}
                </Alert>
              ) : (
                '—'
              )}
            </Fact>
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <Fact label="Licence">{str(spec.licence) ?? '—'}</Fact>
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <Fact label="Type">{str(spec.type) ?? '—'}</Fact>
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Fact label="In production">
              {versions.filter((v) => v.stage === 'production').map((v) => `v${v.version}`).join(', ') || 'no version'}
            </Fact>
          </Grid.Col>
        </Grid>
      </Card>
      {withMetrics.length > 0 && (
        <Card padding="lg">
          <Text fw={600}>Metrics by version</Text>
          <Text size="sm" c="dimmed" mb="md">
            Green is the version in production.
          </Text>
          <Suspense fallback={<Skeleton height={200} radius="md" />}>
            <MetricsCharts versions={withMetrics.map((v) => ({ version: String(v.version), stage: v.stage, metrics: v.metrics! }))} />
          </Suspense>
        </Card>
      )}
      <Card padding={0}>
        <Text fw={600} p="lg" pb="sm">
          Versions
        </Text>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm" horizontalSpacing="lg">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th w={140}>Stage</Table.Th>
                <Table.Th>Metrics</Table.Th>
                <Table.Th>Trained on</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...versions].reverse().map((v) => (
                <Table.Tr key={String(v.version)} data-version={String(v.version)}>
                  <Table.Td fw={600}>v{v.version}</Table.Td>
                  <Table.Td>{v.stage && <Badge size="sm" variant="light" color={stageColor[v.stage] ?? 'gray'} style={{ overflow: 'visible' }} miw={96}>{v.stage}</Badge>}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {Object.entries(v.metrics ?? {})
                        .map(([k, val]) => `${k} ${val}`)
                        .join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      {(v.trainingDatasets ?? []).map((d) => {
                        const ref = d.includes(':') ? d : `dataset:default/${d}`;
                        return (
                          <Anchor key={d} component={Link} href={refHref(ref)} size="sm">
                            {parseRef(ref)?.name ?? d}
                          </Anchor>
                        );
                      })}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={2}>
        {label}
      </Text>
      {typeof children === 'string' ? <Text size="sm">{children}</Text> : children}
    </div>
  );
}

// ---- Feature view, data product, API ---------------------------------------------------------

function FeatureViewCard({ spec }: { spec: Spec }) {
  const features = arr<{ name: string; type?: string; description?: string }>(spec.features);
  const source = spec.source as { dataset?: string; sql?: string } | undefined;
  return (
    <Card padding={0}>
      <Group justify="space-between" p="lg" pb="sm">
        <div>
          <Text fw={600}>Features</Text>
          <Text size="sm" c="dimmed">
            Keyed by {arr<string>(spec.entities).join(', ') || '—'} · fresh within {str(spec.freshness) ?? '—'}
            {spec.online ? ' · served online' : ''}
          </Text>
        </div>
        {source?.dataset && (
          <Anchor component={Link} href={refHref(source.dataset.includes(':') ? source.dataset : `dataset:default/${source.dataset}`)} size="sm">
            from {source.dataset}
          </Anchor>
        )}
      </Group>
      <Table verticalSpacing="sm" horizontalSpacing="lg" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Feature</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Description</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {features.map((f) => (
            <Table.Tr key={f.name}>
              <Table.Td ff="monospace">{f.name}</Table.Td>
              <Table.Td ff="monospace" c="dimmed">
                {f.type ?? ''}
              </Table.Td>
              <Table.Td>{f.description ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {source?.sql && (
        <Box p="lg" pt="sm">
          <Code block>{source.sql}</Code>
        </Box>
      )}
    </Card>
  );
}

function TextCard({ title, rows }: { title: string; rows: [string, string | undefined][] }) {
  return (
    <Card padding="lg">
      <Text fw={600} mb="sm">
        {title}
      </Text>
      <Stack gap="sm">
        {rows.filter(([, v]) => v).map(([k, v]) => (
          <Fact key={k} label={k}>
            {v!}
          </Fact>
        ))}
      </Stack>
    </Card>
  );
}

function ApiDefinition({ definition, type }: { definition: string; type?: string }) {
  return (
    <Card padding="lg">
      <Text fw={600} mb="sm">
        Definition{type ? ` (${type})` : ''}
      </Text>
      <Box mah={360} style={{ overflow: 'auto' }}>
        <Code block>{definition}</Code>
      </Box>
    </Card>
  );
}

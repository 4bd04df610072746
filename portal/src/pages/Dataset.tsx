// A dataset's page: what it is, who owns it, its columns with their classification, statistics
// and a preview. Statistics and the default preview come from the synthetic copy (no real person
// in it), so anyone may see them; real rows only through one of the viewer's own grants, which
// PostgreSQL holds to its data class. Without one, the page offers the path that gives one.
import { useState } from 'react';
import { Alert, Anchor, Badge, Breadcrumbs, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconKey, IconRocket, IconInfoCircle } from '@tabler/icons-react';
import { Link } from 'wouter';
import { api, call } from '../api/client.ts';
import { useLoad } from '../lib/use-load.ts';
import { DataClassBadge } from '../components/badges.tsx';
import { ErrorState, LoadingCards } from '../components/states.tsx';
import { ResultTable } from '../components/result-table.tsx';
import { ClassificationBadge } from './CatalogEntity.tsx';

const number = new Intl.NumberFormat('en');
const SYNTHETIC = 'synthetic';

// Keyed by the relation, so moving to a sibling relation starts again from the synthetic preview.
export default function DatasetPage({ schema, name }: { schema: string; name: string }) {
  return <DatasetView key={`${schema}.${name}`} schema={schema} name={name} />;
}

function DatasetView({ schema, name }: { schema: string; name: string }) {
  const [source, setSource] = useState<string>(SYNTHETIC);
  const dataset = useLoad(() => call(api.GET('/api/v1/datasets/{schema}/{name}', { params: { path: { schema, name } } })), [schema, name]);
  const siblings = useLoad(async () => (await call(api.GET('/api/v1/datasets'))).datasets.filter((d) => d.dataset === name || d.name === name), [name]);
  const stats = useLoad(() => call(api.GET('/api/v1/datasets/{schema}/{name}/stats', { params: { path: { schema, name } } })), [schema, name]);
  const preview = useLoad(
    () => call(api.GET('/api/v1/datasets/{schema}/{name}/preview', { params: { path: { schema, name }, query: source === SYNTHETIC ? {} : { environment: source } } })),
    [schema, name, source],
  );

  if (dataset.error) return <ErrorState error={dataset.error} onRetry={dataset.reload} />;
  if (!dataset.data) return <LoadingCards count={3} />;
  const d = dataset.data;
  const access = preview.data?.access;
  const byColumn = new Map((stats.data?.columns ?? []).map((c) => [c.name, c]));

  return (
    <Stack gap="lg" maw={1240} mx="auto">
      <Breadcrumbs separatorMargin={6}>
        <Anchor component={Link} href="/catalog?kind=Dataset" size="sm">
          Catalog
        </Anchor>
        <Anchor component={Link} href={`/catalog/dataset/default/${d.dataset}`} size="sm">
          {d.dataset}
        </Anchor>
        <Text size="sm" c="dimmed">
          {d.schema}.{d.name}
        </Text>
      </Breadcrumbs>
      <Stack gap={6}>
        <Group gap="sm">
          <Title order={1} fz={{ base: 22, sm: 28 }}>
            {d.dataset}
          </Title>
          <Badge variant="outline" color="gray" style={{ textTransform: 'none' }}>
            {d.schema}.{d.name}
          </Badge>
        </Group>
        {d.description && <Text maw={820}>{d.description}</Text>}
        <Group gap="md">
          <Text size="sm" c="dimmed">
            Owner <b>{d.owner ?? 'unknown'}</b>
          </Text>
          <Group gap={4}>
            <Text size="sm" c="dimmed">
              Read by
            </Text>
            {d.visibleTo.map((c) => (
              <DataClassBadge key={c} dataClass={c} size="xs" />
            ))}
          </Group>
          {(siblings.data?.length ?? 0) > 1 && (
            <Group gap={6}>
              <Text size="sm" c="dimmed">
                Also as
              </Text>
              {siblings.data!.filter((s) => s.schema !== d.schema).map((s) => (
                <Anchor key={s.schema} component={Link} href={`/datasets/${s.schema}/${s.name}`} size="sm" underline="always">
                  {s.schema}.{s.name}
                </Anchor>
              ))}
            </Group>
          )}
        </Group>
      </Stack>

      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" data-testid="dataset-figures">
        <Figure label="Rows" value={stats.data ? number.format(stats.data.rowCount) : '…'} />
        <Figure label="Data until" value={stats.data?.freshness.dataUntil ?? (stats.data ? 'no time column' : '…')} />
        <Figure label={d.schema === 'masked' ? 'Masked copy refreshed' : 'Columns'} value={d.schema === 'masked' ? (stats.data?.freshness.maskedRefreshedOn ?? '…') : String(d.columns.length)} />
      </SimpleGrid>

      <Card padding={0} data-testid="dataset-stats">
        <Group p="lg" pb="sm" gap="xs">
          <Text fw={600}>Columns and statistics</Text>
          <Text size="sm" c="dimmed">
            <IconInfoCircle size={14} style={{ verticalAlign: -2 }} /> computed on {stats.data?.computedOn ?? 'the synthetic copy'}, which holds no real person&rsquo;s data
          </Text>
        </Group>
        {stats.error && <ErrorState error={stats.error} onRetry={stats.reload} title="Statistics could not be computed" />}
        <Table.ScrollContainer minWidth={860} scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': 'Columns and statistics' } }}>
          <Table striped verticalSpacing="xs" horizontalSpacing="lg" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Column</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Classification</Table.Th>
                <Table.Th ta="right">Nulls</Table.Th>
                <Table.Th ta="right">Distinct</Table.Th>
                <Table.Th>Min</Table.Th>
                <Table.Th>Max</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.columns.map((c) => {
                const s = byColumn.get(c.name);
                return (
                  <Table.Tr key={c.name} data-column={c.name}>
                    <Table.Td fw={600}>{c.name}</Table.Td>
                    <Table.Td ff="monospace">{c.type}</Table.Td>
                    <Table.Td>
                      <ClassificationBadge value={c.classification} />
                    </Table.Td>
                    <Table.Td ta="right">{s ? number.format(s.nulls) : '…'}</Table.Td>
                    <Table.Td ta="right">{s?.distinct == null ? '—' : number.format(s.distinct)}</Table.Td>
                    <Table.Td ff="monospace">{s?.min ?? '—'}</Table.Td>
                    <Table.Td ff="monospace">{s?.max ?? '—'}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>

      <Card padding="lg" data-testid="dataset-preview">
        <Stack gap="sm">
          <Group justify="space-between" align="flex-end" wrap="wrap">
            <div>
              <Text fw={600}>Preview</Text>
              <Text size="sm" c="dimmed">
                {preview.data?.source === 'grant'
                  ? `The first rows of ${preview.data.relation}, read with the warehouse grant of ${preview.data.environment?.name}: what PostgreSQL lets that grant see.`
                  : 'Synthetic rows: generated, with the same columns; no real person. Real rows only through a grant of yours.'}
              </Text>
            </div>
            {access && access.grants.length > 0 && (
              <SegmentedControl
                aria-label="Preview rows from"
                value={source}
                onChange={setSource}
                data={[{ value: SYNTHETIC, label: 'Synthetic' }, ...access.grants.map((g) => ({ value: g.environment, label: `${g.name} (${g.dataClass})` }))]}
              />
            )}
          </Group>
          {access && access.grants.length === 0 && schema !== SYNTHETIC && <NoGrant paths={access.paths} schema={schema} />}
          {preview.error && <ErrorState error={preview.error} onRetry={preview.reload} title="The preview could not be read" />}
          {preview.loading && !preview.data && <LoadingCards count={1} height={160} />}
          {preview.data && <ResultTable columns={preview.data.columns} rows={preview.data.rows} label="Preview rows" testId="preview-rows" />}
        </Stack>
      </Card>

      {access && access.paths.length > 0 && (
        <Card padding="lg" data-testid="dataset-launch">
          <Text fw={600} mb={4}>
            Launch a path with this dataset
          </Text>
          <Text size="sm" c="dimmed" mb="sm">
            Each gives an environment whose warehouse grant reads {d.schema}.{d.name} (or its {access.paths[0]!.dataClass} copy).
          </Text>
          <Group gap="sm">
            {access.paths.map((p) => (
              <Button key={p.path} component={Link} href={`/launch/${p.path}`} variant="light" leftSection={<IconRocket size={16} />}>
                {p.title} <DataClassBadge dataClass={p.dataClass} size="xs" />
              </Button>
            ))}
          </Group>
        </Card>
      )}
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={22} fw={700}>
        {value}
      </Text>
    </Card>
  );
}

/** No grant of the viewer's reads this relation: the path that gives one, with approval where the data needs it. */
function NoGrant({ paths, schema }: { paths: { path: string; title: string; dataClass: string; approval: string }[]; schema: string }) {
  const first = paths[0];
  return (
    <Alert color="gray" variant="light" icon={<IconKey />} title="You have no grant that reads these rows" data-testid="request-access">
      <Stack gap="xs">
        <Text size="sm">
          The {schema} rows are read only through an environment&rsquo;s warehouse grant.{' '}
          {first
            ? first.approval === 'none'
              ? `Launch ${first.title} to get one in seconds.`
              : `${first.title} gives one once the data's owners approve your request.`
            : 'No golden path gives one yet; ask the platform team.'}
        </Text>
        {first && (
          <Group>
            <Button component={Link} href={`/launch/${first.path}`} size="xs" leftSection={<IconKey size={14} />}>
              {first.approval === 'none' ? `Launch ${first.title}` : 'Request access'}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

import { Anchor, Badge, Breadcrumbs, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconBooks } from '@tabler/icons-react';
import { Link } from 'wouter';
import { ApiError, getUntyped } from '../api/client.ts';
import { useLoad } from '../lib/use-load.ts';
import { ErrorState, LoadingCards } from '../components/states.tsx';
import { NotAvailableYet } from '../components/not-yet.tsx';
import { refHref, type Entity } from './catalog-types.ts';

interface Column {
  name: string;
  type?: string;
  description?: string;
  classification?: string;
}

export default function CatalogEntityPage({ kind, namespace, name }: { kind: string; namespace: string; name: string }) {
  const entity = useLoad(
    () => getUntyped<Entity>(`/api/v1/catalog/entities/by-ref/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`),
    [kind, namespace, name],
  );
  if (entity.loading && !entity.data) return <LoadingCards count={2} />;
  if (entity.error instanceof ApiError && entity.error.status === 404 && entity.error.code === 'not_found' && entity.error.message.startsWith('no such endpoint'))
    return (
      <NotAvailableYet icon={<IconBooks size={30} />} what="The catalog" endpoint="/api/v1/catalog/entities">
        Entity pages show relations, data dictionaries and model cards.
      </NotAvailableYet>
    );
  if (entity.error) return <ErrorState error={entity.error} onRetry={entity.reload} />;
  const e = entity.data!;
  const columns = (Array.isArray(e.spec?.columns) ? e.spec.columns : Array.isArray((e.spec?.schema as { columns?: unknown })?.columns) ? (e.spec!.schema as { columns: unknown[] }).columns : []) as Column[];
  return (
    <Stack gap="lg" maw={1140} mx="auto">
      <Breadcrumbs>
        <Anchor component={Link} href="/catalog" size="sm">
          Catalog
        </Anchor>
        <Text size="sm" c="dimmed">
          {e.metadata.name}
        </Text>
      </Breadcrumbs>
      <Group gap="sm">
        <Title order={1} fz={28}>
          {e.metadata.title ?? e.metadata.name}
        </Title>
        <Badge variant="light">{e.kind}</Badge>
      </Group>
      {e.metadata.description && <Text c="dimmed">{e.metadata.description}</Text>}
      {columns.length > 0 && (
        <Card padding={0}>
          <Text fw={600} p="md">
            Data dictionary
          </Text>
          <Table.ScrollContainer minWidth={600}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Column</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Classification</Table.Th>
                  <Table.Th>Description</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {columns.map((c) => (
                  <Table.Tr key={c.name}>
                    <Table.Td ff="monospace">{c.name}</Table.Td>
                    <Table.Td>{c.type ?? ''}</Table.Td>
                    <Table.Td>{c.classification && <Badge size="sm" variant="light" color={c.classification === 'sensitive' ? 'red' : c.classification === 'masked' ? 'yellow' : 'teal'}>{c.classification}</Badge>}</Table.Td>
                    <Table.Td>{c.description ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {(e.relations?.length ?? 0) > 0 && (
        <Card padding="lg">
          <Text fw={600} mb="sm">
            Relations
          </Text>
          <Stack gap={6}>
            {e.relations!.map((r) => (
              <Group key={`${r.type}-${r.targetRef}`} gap="sm">
                <Badge size="sm" variant="outline" color="gray">
                  {r.type}
                </Badge>
                <Anchor component={Link} href={refHref(r.targetRef)} size="sm">
                  {r.targetRef}
                </Anchor>
              </Group>
            ))}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}

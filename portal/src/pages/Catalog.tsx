import { useState } from 'react';
import { Anchor, Badge, Card, Checkbox, Grid, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBooks, IconSearch } from '@tabler/icons-react';
import { Link } from 'wouter';
import { ApiError, getUntyped } from '../api/client.ts';
import { useLoad } from '../lib/use-load.ts';
import { EmptyState, ErrorState, LoadingCards } from '../components/states.tsx';
import { NotAvailableYet } from '../components/not-yet.tsx';
import { entityHref, type EntityPage } from './catalog-types.ts';

export default function CatalogPage() {
  const [query, setQuery] = useState('');
  const [q] = useDebouncedValue(query, 120);
  const [kinds, setKinds] = useState<string[]>([]);
  const page = useLoad(() => {
    const params = new URLSearchParams({ limit: '50' });
    if (q) params.set('q', q);
    for (const k of kinds) params.append('kind', k);
    return getUntyped<EntityPage>(`/api/v1/catalog/entities?${params}`);
  }, [q, kinds.join(',')]);

  if (page.error instanceof ApiError && page.error.status === 404)
    return (
      <NotAvailableYet icon={<IconBooks size={30} />} what="The catalog" endpoint="/api/v1/catalog/entities">
        The catalog will list services, APIs, datasets with their data dictionary, models with their model cards, golden paths and environments, all in one place.
      </NotAvailableYet>
    );

  const facets = page.data?.facets ?? {};
  const kindFacet = facets.kind ?? [];
  return (
    <Stack gap="lg" maw={1240} mx="auto">
      <div>
        <Title order={1} fz={28}>
          Catalog
        </Title>
        <Text c="dimmed">Services, APIs, datasets, models and everything launched on the platform.</Text>
      </div>
      <TextInput size="md" leftSection={<IconSearch size={18} />} placeholder="Search the catalog: “customers”, “churn model”, “payments api”…" value={query} onChange={(e) => setQuery(e.currentTarget.value)} aria-label="Search the catalog" />
      <Grid gap="lg">
        {kindFacet.length > 0 && (
          <Grid.Col span={{ base: 12, sm: 3 }}>
            <Card padding="md">
              <Text fw={600} size="sm" mb="xs">
                Kind
              </Text>
              <Checkbox.Group value={kinds} onChange={setKinds}>
                <Stack gap={6}>
                  {kindFacet.map((f) => (
                    <Checkbox key={f.value} value={f.value} label={`${f.value} (${f.count})`} size="sm" />
                  ))}
                </Stack>
              </Checkbox.Group>
            </Card>
          </Grid.Col>
        )}
        <Grid.Col span={{ base: 12, sm: kindFacet.length ? 9 : 12 }}>
          {page.loading && !page.data ? (
            <LoadingCards count={4} height={72} />
          ) : page.error ? (
            <ErrorState error={page.error} onRetry={page.reload} />
          ) : !page.data?.items.length ? (
            <EmptyState icon={<IconSearch size={30} />} title="Nothing found">
              {q ? `No entity matches “${q}”. Try fewer words or another kind.` : 'The catalog is empty: register catalog-info.yaml files to fill it.'}
            </EmptyState>
          ) : (
            <Stack gap="sm">
              {page.data.items.map((e) => (
                <Card key={`${e.kind}/${e.metadata.namespace}/${e.metadata.name}`} padding="md" className="gp-card">
                  <Group justify="space-between" wrap="nowrap">
                    <div>
                      <Anchor component={Link} href={entityHref(e)} fw={600}>
                        {e.metadata.title ?? e.metadata.name}
                      </Anchor>
                      <Text size="sm" c="dimmed" lineClamp={1}>
                        {e.metadata.description ?? ''}
                      </Text>
                    </div>
                    <Badge variant="light">{e.kind}</Badge>
                  </Group>
                </Card>
              ))}
            </Stack>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

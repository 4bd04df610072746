import { useEffect, useMemo, useRef, useState } from 'react';
import { Anchor, Badge, Button, Card, Checkbox, CloseButton, Grid, Group, Loader, ScrollArea, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useWindowEvent } from '@mantine/hooks';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { Link, useLocation, useSearch } from 'wouter';
import { api, call, type CatalogEntity, type CatalogFacets, type CatalogPage } from '../api/client.ts';
import { EmptyState, ErrorState, LoadingCards } from '../components/states.tsx';
import { KindBadge, KindIcon, lookOf } from '../components/kind.tsx';
import { entityHref, meta, shortRef } from './catalog-types.ts';

type Dim = 'kind' | 'owner' | 'tag';
const dims: { id: Dim; label: string; param: 'kind' | 'owner' | 'metadata.tags' }[] = [
  { id: 'kind', label: 'Kind', param: 'kind' },
  { id: 'owner', label: 'Owner', param: 'owner' },
  { id: 'tag', label: 'Tag', param: 'metadata.tags' },
];
type Filters = Record<Dim, string[]>;
const PAGE = 30;

function readUrl(search: string): { q: string; filters: Filters } {
  const p = new URLSearchParams(search);
  return { q: p.get('q') ?? '', filters: { kind: p.getAll('kind'), owner: p.getAll('owner'), tag: p.getAll('tag') } };
}

function query(q: string, filters: Filters, without?: Dim) {
  const out: Record<string, string | string[]> = {};
  if (q.trim()) out.q = q.trim();
  for (const d of dims) if (d.id !== without && filters[d.id].length) out[d.param] = filters[d.id];
  return out;
}

export default function CatalogPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const fromUrl = useMemo(() => readUrl(search), [search]);
  const [text, setText] = useState(fromUrl.q);
  const [q] = useDebouncedValue(text, 150);
  const filters = fromUrl.filters;
  const input = useRef<HTMLInputElement>(null);

  // "/" jumps to the search box, as on the paths page.
  useWindowEvent('keydown', (e) => {
    if (e.key === '/' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)) {
      e.preventDefault();
      input.current?.focus();
    }
  });

  function go(next: { q?: string; filters?: Filters }) {
    const p = new URLSearchParams();
    const nq = next.q ?? q;
    if (nq.trim()) p.set('q', nq.trim());
    const f = next.filters ?? filters;
    for (const d of dims) for (const v of f[d.id]) p.append(d.id, v);
    const s = p.toString();
    navigate(s ? `/catalog?${s}` : '/catalog', { replace: true });
  }
  // The debounced text goes into the URL, so a result opened and "back" returns to the same search.
  useEffect(() => {
    if (q.trim() !== fromUrl.q) go({ q });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);

  const key = JSON.stringify([fromUrl.q, filters]);
  const [page, setPage] = useState<{ key: string; data?: CatalogPage; facets?: CatalogFacets; error?: Error; more?: boolean }>({ key: '' });
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    const run = async () => {
      const main = call(api.GET('/api/v1/catalog/entities', { params: { query: { ...query(fromUrl.q, filters), limit: PAGE } } }));
      // A facet with a selection counts as if it had none, so the other values stay pickable.
      const others = dims
        .filter((d) => filters[d.id].length)
        .map((d) => call(api.GET('/api/v1/catalog/facets', { params: { query: query(fromUrl.q, filters, d.id) } })).then((r) => [d.id, r.facets[d.id]] as const));
      const [data, ...ex] = await Promise.all([main, ...others]);
      const facets = data.facets ? { ...data.facets } : undefined;
      if (facets) for (const [d, values] of ex) facets[d] = values;
      return { data, facets };
    };
    run()
      .then((r) => mine === seq.current && setPage({ key, ...r }))
      .catch((e: Error) => mine === seq.current && setPage((p) => ({ ...p, key, error: e })));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  async function loadMore() {
    if (!page.data?.nextCursor) return;
    setPage((p) => ({ ...p, more: true }));
    try {
      const next = await call(api.GET('/api/v1/catalog/entities', { params: { query: { ...query(fromUrl.q, filters), limit: PAGE, cursor: page.data.nextCursor, facets: 'false' } } }));
      setPage((p) => (p.data ? { ...p, more: false, data: { ...p.data, items: [...p.data.items, ...next.items], nextCursor: next.nextCursor } } : p));
    } catch (e) {
      setPage((p) => ({ ...p, more: false, error: e as Error }));
    }
  }

  const loading = page.key !== key;
  const filtered = dims.some((d) => filters[d.id].length);
  const toggle = (d: Dim, values: string[]) => go({ filters: { ...filters, [d]: values } });
  const clear = () => {
    setText('');
    navigate('/catalog', { replace: true });
  };

  return (
    <Stack gap="lg" maw={1240} mx="auto">
      <div>
        <Title order={1} fz={28}>
          Catalog
        </Title>
        <Text c="dimmed">Services, APIs, datasets with their data dictionary, models with their cards, golden paths, environments and teams: one place.</Text>
      </div>
      <TextInput
        ref={input}
        size="md"
        type="search"
        leftSection={<IconSearch size={18} />}
        rightSection={page.data && loading ? <Loader size="xs" /> : text ? <CloseButton aria-label="Clear search" onClick={() => setText('')} /> : null}
        placeholder="Search names, titles, tags, columns: “customers”, “email”, “churn model”, “payments api”…"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        aria-label="Search the catalog"
        autoFocus
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, sm: 4, md: 3 }}>
          <Stack gap="md" component="aside" aria-label="Filters">
            {dims.map((d) => (
              <FacetBox key={d.id} dim={d.id} label={d.label} values={page.facets?.[d.id] ?? []} selected={filters[d.id]} onChange={(v) => toggle(d.id, v)} loading={!page.facets} />
            ))}
            {(filtered || fromUrl.q) && (
              <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={clear}>
                Clear search and filters
              </Button>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 8, md: 9 }}>
          {!page.data && !page.error ? (
            <LoadingCards count={5} height={84} />
          ) : page.error && !page.data ? (
            <ErrorState error={page.error} onRetry={() => go({})} />
          ) : !page.data?.items.length ? (
            <Card>
              <EmptyState
                icon={<IconSearch size={30} />}
                title={fromUrl.q || filtered ? 'Nothing matches' : 'The catalog is empty'}
                action={
                  (fromUrl.q || filtered) && (
                    <Button variant="light" onClick={clear}>
                      Clear search and filters
                    </Button>
                  )
                }
              >
                {fromUrl.q || filtered
                  ? `No entity matches${fromUrl.q ? ` “${fromUrl.q}”` : ''}${filtered ? ' with these filters' : ''}. Try fewer words or fewer filters.`
                  : 'Import catalog-info.yaml files with `goldpath catalog import <dir>`; golden paths, teams, datasets and environments register themselves.'}
              </EmptyState>
            </Card>
          ) : (
            <Stack gap="sm" style={{ opacity: loading ? 0.6 : 1, transition: 'opacity 120ms' }} aria-busy={loading}>
              <Group justify="space-between">
                <Text size="sm" c="dimmed" data-testid="catalog-count">
                  {page.data.totalCountIsEstimate ? `about ${page.data.totalCount.toLocaleString('en')}` : page.data.totalCount}{' '}
                  {page.data.totalCount === 1 && !page.data.totalCountIsEstimate ? 'entity' : 'entities'}
                  {fromUrl.q ? ` for “${fromUrl.q}”, best match first` : ''}
                </Text>
              </Group>
              {page.error && <ErrorState error={page.error} onRetry={() => go({})} />}
              {page.data.items.map((e) => (
                <ResultCard key={e.ref} entity={e} />
              ))}
              {page.data.nextCursor && (
                <Group justify="center">
                  <Button variant="default" onClick={() => void loadMore()} loading={page.more}>
                    Show more
                  </Button>
                </Group>
              )}
            </Stack>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function FacetBox({ dim, label, values, selected, onChange, loading }: { dim: Dim; label: string; values: { value: string; count: number }[]; selected: string[]; onChange: (v: string[]) => void; loading: boolean }) {
  const [all, setAll] = useState(false);
  // Selected values stay listed even when the current match has none of them.
  const shown = [...values, ...selected.filter((s) => !values.some((v) => v.value === s)).map((value) => ({ value, count: 0 }))];
  const limit = all ? shown.length : 8;
  if (!loading && shown.length === 0) return null;
  return (
    <Card padding="md" data-facet={dim}>
      <Text fw={600} size="sm" mb="xs">
        {label}
      </Text>
      {loading ? (
        <Text size="sm" c="dimmed">
          …
        </Text>
      ) : (
        <ScrollArea.Autosize mah={all ? 320 : undefined} type="auto">
          <Checkbox.Group value={selected} onChange={onChange} aria-label={label}>
            <Stack gap={6}>
              {shown.slice(0, limit).map((f) => (
                <Checkbox
                  key={f.value}
                  value={f.value}
                  size="sm"
                  label={
                    <Group gap={6} justify="space-between" wrap="nowrap" w="100%">
                      <Text size="sm" truncate="end" maw={160}>
                        {dim === 'kind' ? lookOf(f.value).label || f.value : dim === 'owner' ? shortRef(f.value) : f.value}
                      </Text>
                      <Badge size="xs" variant="light" color="gray" aria-label={`${f.count} entities`}>
                        {f.count}
                      </Badge>
                    </Group>
                  }
                  styles={{ body: { width: '100%' }, labelWrapper: { width: '100%' } }}
                />
              ))}
            </Stack>
          </Checkbox.Group>
        </ScrollArea.Autosize>
      )}
      {shown.length > 8 && (
        <UnstyledButton mt={8} onClick={() => setAll((a) => !a)}>
          <Text size="xs" c="ink.6" fw={500}>
            {all ? 'Show fewer' : `Show all ${shown.length}`}
          </Text>
        </UnstyledButton>
      )}
    </Card>
  );
}

function ResultCard({ entity: e }: { entity: CatalogEntity }) {
  const m = meta(e);
  const spec = (e.spec ?? {}) as { owner?: string; type?: string; lifecycle?: string; columns?: unknown[]; versions?: unknown[] };
  const extra = Array.isArray(spec.columns) ? `${spec.columns.length} columns` : Array.isArray(spec.versions) ? `${spec.versions.length} versions` : null;
  return (
    <Card padding="md" className="gp-card" data-entity={e.ref}>
      <Group gap="md" wrap="nowrap" align="flex-start">
        <KindIcon kind={e.kind} />
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group gap={8} wrap="wrap">
            <Anchor component={Link} href={entityHref(e)} fw={600}>
              {m.title ?? m.name}
            </Anchor>
            <Text size="xs" c="dimmed" ff="monospace">
              {e.ref}
            </Text>
          </Group>
          {m.description && (
            <Text size="sm" c="dimmed" lineClamp={2}>
              {m.description}
            </Text>
          )}
          <Group gap={6} mt={4}>
            {spec.owner && (
              <Text size="xs" c="dimmed">
                owner <b>{shortRef(spec.owner)}</b>
              </Text>
            )}
            {spec.type && (
              <Text size="xs" c="dimmed">
                · {spec.type}
              </Text>
            )}
            {spec.lifecycle && (
              <Text size="xs" c="dimmed">
                · {spec.lifecycle}
              </Text>
            )}
            {extra && (
              <Text size="xs" c="dimmed">
                · {extra}
              </Text>
            )}
            {(m.tags ?? []).slice(0, 5).map((t) => (
              <Badge key={t} size="xs" variant="outline" color="gray" style={{ textTransform: 'none' }}>
                {t}
              </Badge>
            ))}
          </Group>
        </Stack>
        <KindBadge kind={e.kind} />
      </Group>
    </Card>
  );
}


import { useMemo, useState } from 'react';
import { Alert, Anchor, Badge, Box, Button, Card, Chip, Group, SegmentedControl, SimpleGrid, Stack, Text, TextInput, ThemeIcon, Title, Tooltip, Kbd } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { IconSearch, IconRocket, IconCircleCheck, IconUserCheck, IconPuzzle, IconLock, IconRoute, IconFileAlert, IconExternalLink } from '@tabler/icons-react';
import { Link } from 'wouter';
import { api, call, type GoldenPath } from '../api/client.ts';
import { useUser } from '../auth.tsx';
import { useLoad } from '../lib/use-load.ts';
import { ago, titleCase } from '../lib/format.ts';
import { DataClassBadge, StatusBadge } from '../components/badges.tsx';
import { ResourceIcon, resourceInfo } from '../components/resource-icon.tsx';
import { EmptyState, ErrorState, LoadingCards } from '../components/states.tsx';
import { CostPerDayBadge } from '../components/path-cost.tsx';

const audiences: Record<string, { title: string; blurb: string }> = {
  data: { title: 'Data', blurb: 'Locked, governed recipes for data scientists, analysts, ML and GenAI engineers.' },
  software: { title: 'Software', blurb: 'Base recipes for applications that you extend with your own resources.' },
};
const useLabels: Record<string, string> = {
  experimentation: 'Experimentation',
  querying: 'Querying',
  genai: 'GenAI',
  ml: 'Machine learning',
  web: 'Web',
  services: 'Services',
};
const useLabel = (u: string | null) => (u ? (useLabels[u] ?? titleCase(u)) : 'Other');

/** The words people search for a resource by, beside its type: "postgres" finds the warehouse. */
const resourceWords: Record<string, string> = {
  warehouse: 'postgres postgresql sql database warehouse',
  database: 'postgres postgresql sql database',
  notebook: 'jupyter python notebook',
  'git-repo': 'git repository repo',
  bucket: 's3 bucket storage object',
  ide: 'vs code vscode ide editor',
  llm: 'llm gpt genai model',
};

export function matches(p: GoldenPath, q: string): boolean {
  if (!q) return true;
  const hay = [p.title, p.name, p.description, p.audience, p.use ?? '', p.dataClass ?? '', ...p.tags, ...p.resources.map((r) => `${r.id} ${r.type} ${resourceInfo(r.type).purpose} ${resourceWords[r.type] ?? ''}`)]
    .join(' ')
    .toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

function greeting(): string {
  const h = new Date().getHours();
  return h < 12 ? 'Good morning' : h < 18 ? 'Good afternoon' : 'Good evening';
}

export function PathCard({ path }: { path: GoldenPath }) {
  const needsApproval = path.approval !== 'none';
  return (
    <Card className="gp-card" padding="lg" component="article" aria-labelledby={`path-${path.name}`} data-path={path.name}>
      <Stack gap="sm" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={3} fz="lg" id={`path-${path.name}`} lh={1.3}>
            {path.title}
          </Title>
          <Tooltip label={path.extensible ? 'Extensible: add or override resources' : 'Locked: fill in parameters, the rest is decided'} withArrow>
            <ThemeIcon variant="subtle" color="gray" size="sm" role="img" aria-label={path.extensible ? 'Extensible path' : 'Locked path'}>
              {path.extensible ? <IconPuzzle size={16} /> : <IconLock size={16} />}
            </ThemeIcon>
          </Tooltip>
        </Group>
        <Text size="sm" c="dimmed" lineClamp={3}>
          {path.description}
        </Text>
        <Group gap={6}>
          <DataClassBadge dataClass={path.dataClass} />
          {needsApproval ? (
            <Badge size="sm" variant="light" color="orange" leftSection={<IconUserCheck size={12} />}>
              Approval: {path.approval}
            </Badge>
          ) : (
            <Badge size="sm" variant="light" color="gray" leftSection={<IconCircleCheck size={12} />}>
              No approval needed
            </Badge>
          )}
          <CostPerDayBadge cost={path.cost} />
        </Group>
        <Box mt={4}>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={6} style={{ letterSpacing: '0.04em' }}>
            Creates
          </Text>
          <Group gap={6}>
            {path.resources.map((r) => (
              <Group key={r.id} gap={6} wrap="nowrap" px={8} py={3} style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 999 }}>
                <ResourceIcon type={r.type} size={20} />
                <Text size="xs" fw={500}>
                  {resourceInfo(r.type).label}
                </Text>
              </Group>
            ))}
          </Group>
        </Box>
        <Group justify="space-between" mt="auto" pt="sm" wrap="nowrap">
          <Text size="xs" c="dimmed">
            v{path.version} · by {path.owner}
          </Text>
          <Button component={Link} href={`/launch/${path.name}`} leftSection={<IconRocket size={16} />} aria-label={`Launch ${path.title}`}>
            Launch
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function PathsPage() {
  const user = useUser();
  const paths = useLoad(() => call(api.GET('/api/v1/paths')), []);
  const [query, setQuery] = useState('');
  const [q] = useDebouncedValue(query, 80);
  const [audience, setAudience] = useState('all');
  const [uses, setUses] = useState<string[]>([]);
  useHotkeys([['/', () => document.getElementById('path-search')?.focus()]]);

  const all = paths.data?.paths ?? [];
  const useOptions = useMemo(() => [...new Set(all.filter((p) => audience === 'all' || p.audience === audience).map((p) => p.use ?? 'other'))].sort(), [all, audience]);
  const shown = all.filter((p) => (audience === 'all' || p.audience === audience) && (uses.length === 0 || uses.includes(p.use ?? 'other')) && matches(p, q));
  const groups = useMemo(() => {
    const byAudience = new Map<string, Map<string, GoldenPath[]>>();
    for (const p of shown) {
      const a = byAudience.get(p.audience) ?? new Map<string, GoldenPath[]>();
      byAudience.set(p.audience, a);
      const k = p.use ?? 'other';
      a.set(k, [...(a.get(k) ?? []), p]);
    }
    const order = (x: string) => (x === 'data' ? 0 : x === 'software' ? 1 : 2);
    return [...byAudience.entries()].sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b));
  }, [shown]);

  return (
    <Stack gap="lg" maw={1240} mx="auto">
      <Box className="gp-hero" p={{ base: 'lg', sm: 28 }}>
        <Stack gap="sm">
          <div>
            <Title order={1} fz={{ base: 22, sm: 26 }} c="white">
              {greeting()}, {user.name.split(' ')[0]}. What are you working on?
            </Title>
            <Text c="gray.3" mt={4}>
              Pick a golden path: everything it creates is ready in seconds, for team <b>{user.team}</b>.
            </Text>
          </div>
          <TextInput
            id="path-search"
            size="md"
            radius="md"
            placeholder="Search paths: “churn model”, “notebook”, “website”…"
            leftSection={<IconSearch size={18} />}
            rightSection={<Kbd size="xs">/</Kbd>}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            aria-label="Search golden paths"
            maw={640}
          />
        </Stack>
      </Box>

      <RecentEnvironments />

      <Group justify="space-between" gap="md">
        <SegmentedControl
          value={audience}
          onChange={(v) => {
            setAudience(v);
            setUses([]);
          }}
          data={[
            { value: 'all', label: 'All paths' },
            { value: 'data', label: 'Data' },
            { value: 'software', label: 'Software' },
          ]}
          aria-label="Audience"
        />
        {useOptions.length > 1 && (
          <Chip.Group multiple value={uses} onChange={setUses}>
            <Group gap={6} role="group" aria-label="Filter by use">
              {useOptions.map((u) => (
                <Chip key={u} value={u} size="sm" variant="light">
                  {useLabel(u === 'other' ? null : u)}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        )}
      </Group>

      {user.isAdmin && (paths.data?.errors.length ?? 0) > 0 && (
        <Alert color="orange" icon={<IconFileAlert />} title={`${paths.data!.errors.length} golden path file(s) could not be loaded`}>
          <Stack gap={4}>
            {paths.data!.errors.map((e) => (
              <Text key={e.text} size="sm" ff="monospace">
                {e.text}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}

      {paths.loading && !paths.data ? (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          <LoadingCards count={1} height={300} />
          <LoadingCards count={1} height={300} />
          <LoadingCards count={1} height={300} />
        </SimpleGrid>
      ) : paths.error ? (
        <ErrorState error={paths.error} onRetry={paths.reload} title="Golden paths could not be loaded" />
      ) : all.length === 0 ? (
        <EmptyState icon={<IconRoute size={30} />} title="No golden paths yet">
          Your platform team has not published any golden path. Path files go in the platform's paths folder (see docs/golden-paths.md); they appear here on reload.
        </EmptyState>
      ) : shown.length === 0 && !q && uses.length === 0 && audience !== 'all' ? (
        <EmptyState icon={<IconRoute size={30} />} title={`No ${(audiences[audience]?.title ?? audience).toLowerCase()} paths yet`}>
          Your platform team has not published one. {audiences[audience]?.blurb}
        </EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState
          icon={<IconSearch size={30} />}
          title="No path matches"
          action={
            <Button
              variant="light"
              onClick={() => {
                setQuery('');
                setUses([]);
                setAudience('all');
              }}
            >
              Clear search and filters
            </Button>
          }
        >
          Nothing matches “{q}”{uses.length ? ' with these filters' : ''}. Try a tool (“jupyter”, “postgres”) or a task (“churn”, “sql”).
        </EmptyState>
      ) : (
        groups.map(([aud, byUse]) => (
          <Stack key={aud} gap="lg" component="section" aria-label={`${audiences[aud]?.title ?? titleCase(aud)} paths`}>
            <div>
              <Title order={2} fz="xl">
                {audiences[aud]?.title ?? titleCase(aud)} paths
              </Title>
              <Text c="dimmed" size="sm">
                {audiences[aud]?.blurb}
              </Text>
            </div>
            {[...byUse.entries()]
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([u, list]) => (
                <Stack key={u} gap="sm">
                  <Text fw={600} size="sm" c="ink.7" tt="uppercase" style={{ letterSpacing: '0.05em' }}>
                    {useLabel(u === 'other' ? null : u)}
                  </Text>
                  <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
                    {[...list].sort((a, b) => Number(a.approval !== 'none') - Number(b.approval !== 'none') || a.title.localeCompare(b.title)).map((p) => (
                      <PathCard key={p.name} path={p} />
                    ))}
                  </SimpleGrid>
                </Stack>
              ))}
          </Stack>
        ))
      )}
    </Stack>
  );
}

/** A returning user's running environments, one click from their notebook. */
function RecentEnvironments() {
  const envs = useLoad(() => call(api.GET('/api/v1/environments', { params: { query: { mine: 'true' } } })), []);
  const list = (envs.data?.environments ?? []).filter((e) => e.status !== 'deleted').slice(0, 3);
  if (!list.length) return null;
  return (
    <Stack gap="sm" component="section" aria-label="Your environments">
      <Group justify="space-between">
        <Text fw={600} size="sm" c="ink.7" tt="uppercase" style={{ letterSpacing: '0.05em' }}>
          Pick up where you left off
        </Text>
        <Anchor component={Link} href="/environments" size="sm">
          All my environments
        </Anchor>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
        {list.map((e) => {
          const nb = e.resources.find((r) => r.type === 'notebook' || r.type === 'ide');
          const nbUrl = nb?.status === 'ready' && typeof nb.outputs.url === 'string' ? nb.outputs.url : null;
          return (
            <Card key={e.id} padding="md" className="gp-card">
              <Group justify="space-between" wrap="nowrap" gap="sm">
                <Box style={{ minWidth: 0 }}>
                  <Anchor component={Link} href={`/environments/${e.id}`} fw={600} c="ink.8" style={{ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                    {e.name}
                  </Anchor>
                  <Group gap={6} mt={4} wrap="nowrap">
                    <StatusBadge status={e.status} size="xs" />
                    <Text size="xs" c="dimmed" truncate>
                      {ago(e.createdAt)}
                    </Text>
                  </Group>
                </Box>
                {nbUrl ? (
                  <Button size="xs" variant="light" component="a" href={nbUrl} target="_blank" rel="noopener noreferrer" leftSection={<IconExternalLink size={14} />} style={{ flexShrink: 0 }}>
                    {nb!.type === 'notebook' ? 'Notebook' : 'IDE'}
                  </Button>
                ) : (
                  <Button size="xs" variant="default" component={Link} href={`/environments/${e.id}`} style={{ flexShrink: 0 }} aria-label={`Open ${e.name}`}>
                    Open
                  </Button>
                )}
              </Group>
            </Card>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}

// The audit log: who did what, on what, allowed or denied and by which policy, and when. Admins
// see the whole log; everyone else their team's (the policy decides, the page only asks).
import { useMemo, useState } from 'react';
import { Badge, Button, Card, Code, Group, Select, Stack, Table, Text, TextInput, Title, Tooltip as Hint } from '@mantine/core';
import { IconFilterOff, IconShieldCheck } from '@tabler/icons-react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, call } from '../api/client.ts';
import { useUser } from '../auth.tsx';
import { useLoad } from '../lib/use-load.ts';
import { ago, dateTime } from '../lib/format.ts';
import { EmptyState, ErrorState, LoadingCards } from '../components/states.tsx';

type AuditPage = Awaited<ReturnType<typeof loadAudit>>;
type AuditRow = AuditPage['entries'][number];
interface Filters {
  team: string;
  user: string;
  action: string;
  since: string;
}

const ALL_TEAMS = '*';
const periods = [
  { value: '1h', label: 'Last hour', bucketMs: 5 * 60_000 },
  { value: '24h', label: 'Last 24 hours', bucketMs: 60 * 60_000 },
  { value: '7d', label: 'Last 7 days', bucketMs: 24 * 60 * 60_000 },
  { value: '30d', label: 'Last 30 days', bucketMs: 24 * 60 * 60_000 },
];

function loadAudit(f: Filters, cursor?: string) {
  const query = {
    team: f.team === ALL_TEAMS ? undefined : f.team,
    user: f.user.trim() || undefined,
    action: f.action.trim() || undefined,
    since: f.since,
    cursor,
    limit: 200,
  };
  return call(api.GET('/api/v1/audit', { params: { query } }));
}

export default function AuditPage() {
  const user = useUser();
  const [filters, setFilters] = useState<Filters>({ team: user.isAdmin ? ALL_TEAMS : user.team, user: '', action: '', since: '24h' });
  const [older, setOlder] = useState<{ entries: AuditRow[]; next: string | null } | null>(null);
  const teams = useLoad(() => call(api.GET('/api/v1/teams')), []);
  const page = useLoad(() => {
    setOlder(null);
    return loadAudit(filters);
  }, [filters.team, filters.user, filters.action, filters.since]);
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  const entries = [...(page.data?.entries ?? []), ...(older?.entries ?? [])];
  const next = older ? older.next : (page.data?.next ?? null);
  const period = periods.find((p) => p.value === filters.since) ?? periods[1]!;

  async function loadOlder() {
    if (!next) return;
    const more = await loadAudit(filters, next);
    setOlder({ entries: [...(older?.entries ?? []), ...more.entries], next: more.next });
  }

  const teamOptions = [
    ...(user.isAdmin ? [{ value: ALL_TEAMS, label: 'All teams' }] : []),
    ...(teams.data?.teams ?? [{ id: user.team, title: user.team }]).map((t) => ({ value: t.id, label: t.title })),
  ];

  return (
    <Stack gap="lg" maw={1240} mx="auto">
      <div>
        <Title order={1} fz={28}>
          Audit log
        </Title>
        <Text c="dimmed">
          Every decision and every change: who, what, on what, allowed or denied and by which policy, and when. Nothing here can be changed or removed.
        </Text>
      </div>

      <Card withBorder padding="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <Select label="Team" data={teamOptions} value={filters.team} onChange={(v) => v && set({ team: v })} allowDeselect={false} w={200} aria-label="Team" />
          <TextInput label="User" placeholder="e.g. dana" value={filters.user} onChange={(e) => set({ user: e.currentTarget.value })} w={160} />
          <TextInput label="Action" placeholder="e.g. launch" value={filters.action} onChange={(e) => set({ action: e.currentTarget.value })} w={160} />
          <Select label="Period" data={periods.map(({ value, label }) => ({ value, label }))} value={filters.since} onChange={(v) => v && set({ since: v })} allowDeselect={false} w={170} />
          <Button variant="subtle" leftSection={<IconFilterOff size={16} />} onClick={() => set({ user: '', action: '' })} disabled={!filters.user && !filters.action}>
            Clear
          </Button>
        </Group>
      </Card>

      {page.error ? (
        <ErrorState error={page.error} onRetry={page.reload} title="The audit log could not be read" />
      ) : page.loading && !page.data ? (
        <LoadingCards count={2} height={200} />
      ) : entries.length === 0 ? (
        <EmptyState icon={<IconShieldCheck size={30} />} title="Nothing recorded for these filters">
          Widen the period or clear the user and action filters.
        </EmptyState>
      ) : (
        <>
          <DecisionsChart entries={entries} bucketMs={period.bucketMs} />
          <AuditTable entries={entries} />
          {next && (
            <Group justify="center">
              <Button variant="default" onClick={() => void loadOlder()}>
                Older entries
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}

/** Allowed and denied decisions per time bucket, oldest on the left. */
function DecisionsChart({ entries, bucketMs }: { entries: AuditRow[]; bucketMs: number }) {
  const data = useMemo(() => {
    const buckets = new Map<number, { allowed: number; denied: number }>();
    for (const e of entries) {
      const at = Math.floor(Date.parse(e.at) / bucketMs) * bucketMs;
      const b = buckets.get(at) ?? { allowed: 0, denied: 0 };
      if (e.decision === 'deny') b.denied++;
      else b.allowed++;
      buckets.set(at, b);
    }
    const label = (ms: number) => (bucketMs >= 86_400_000 ? new Date(ms).toLocaleDateString() : new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
    return [...buckets.entries()].sort(([a], [b]) => a - b).map(([at, b]) => ({ at: label(at), ...b }));
  }, [entries, bucketMs]);
  return (
    <Card withBorder padding="sm" aria-label="Decisions over time" data-testid="audit-chart">
      <Text size="sm" fw={600} mb={4}>
        Decisions over time
      </Text>
      <div style={{ width: '100%', height: 180 }}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -18 }}>
            <CartesianGrid vertical={false} stroke="var(--mantine-color-gray-2)" />
            <XAxis dataKey="at" tickLine={false} axisLine={false} fontSize={12} />
            <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={11} width={40} />
            <Tooltip cursor={{ fill: 'var(--mantine-color-gray-0)' }} />
            <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="allowed" name="Allowed" stackId="d" maxBarSize={48} fill="var(--mantine-color-green-6)" isAnimationActive={false} />
            <Bar dataKey="denied" name="Denied" stackId="d" maxBarSize={48} fill="var(--mantine-color-red-6)" radius={[4, 4, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </Card>
  );
}

function AuditTable({ entries }: { entries: AuditRow[] }) {
  return (
    <Card withBorder padding={0}>
      <Table.ScrollContainer minWidth={900} scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': 'Audit log table' } }}>
        <Table verticalSpacing="xs" highlightOnHover data-testid="audit-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>On</Table.Th>
              <Table.Th>Team</Table.Th>
              <Table.Th>Decision</Table.Th>
              <Table.Th>Policies</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => {
              const denied = e.decision === 'deny';
              return (
                <Table.Tr key={e.id} data-decision={e.decision} style={denied ? { background: 'var(--mantine-color-red-0)' } : undefined}>
                  <Table.Td>
                    <Hint label={dateTime(e.at)}>
                      <Text size="sm">{ago(e.at)}</Text>
                    </Hint>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {e.actor}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{e.action}</Code>
                    {e.detail && (
                      <Text size="xs" c="dimmed">
                        {e.detail}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {e.resource || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{e.team ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge color={denied ? 'red' : 'green'} variant={denied ? 'filled' : 'light'}>
                      {denied ? 'denied' : 'allowed'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {e.policies.join(', ') || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{e.status ?? '—'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

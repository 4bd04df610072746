// The policies in force, for everyone to read: the rules people are held to, where each comes from
// and why, so a denial can be traced to its text. Read-only: policies change through their files.
import { useMemo, useState } from 'react';
import { Badge, Card, Code, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconFileCode, IconSearch } from '@tabler/icons-react';
import { api, call } from '../api/client.ts';
import type { paths } from '../api/schema.ts';
import { useLoad } from '../lib/use-load.ts';
import { EmptyState, ErrorState, LoadingCards } from '../components/states.tsx';

type Policy = paths['/api/v1/policies']['get']['responses'][200]['content']['application/json']['policies'][number];
type EffectFilter = 'all' | Policy['effect'];

/** Every word of the query appears in the policy's id, reason, file or text. */
function matches(p: Policy, query: string): boolean {
  const hay = `${p.id}\n${p.reason ?? ''}\n${p.file}\n${p.text}`.toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

export default function PoliciesPage() {
  const loaded = useLoad(() => call(api.GET('/api/v1/policies')), []);
  const [query, setQuery] = useState('');
  const [effect, setEffect] = useState<EffectFilter>('all');
  const all = loaded.data?.policies ?? [];
  const shown = useMemo(() => all.filter((p) => (effect === 'all' || p.effect === effect) && matches(p, query)), [all, effect, query]);
  const byFile = useMemo(() => {
    const files = new Map<string, Policy[]>();
    for (const p of shown) files.set(p.file, [...(files.get(p.file) ?? []), p]);
    return [...files].sort(([a], [b]) => a.localeCompare(b)).map(([file, ps]) => [file, ps.sort((x, y) => x.line - y.line)] as const);
  }, [shown]);
  const forbids = all.filter((p) => p.effect === 'forbid').length;

  return (
    <Stack gap="lg" maw={1040} mx="auto">
      <div>
        <Title order={1} fz={28}>
          Policies
        </Title>
        <Text c="dimmed">
          The rules every decision on this platform comes from. What no policy permits is denied, and a forbid always wins. They are files under version control; change them there, and the platform picks them up.
        </Text>
      </div>

      <Group gap="md" align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          aria-label="Search the policies"
          placeholder="e.g. credentials, breakGlass, sensitive"
          leftSection={<IconSearch size={16} />}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 240 }}
        />
        <SegmentedControl
          value={effect}
          onChange={(v) => setEffect(v as EffectFilter)}
          data={[
            { value: 'all', label: `All ${all.length}` },
            { value: 'permit', label: `Permit ${all.length - forbids}` },
            { value: 'forbid', label: `Forbid ${forbids}` },
          ]}
          aria-label="Effect"
        />
      </Group>

      {loaded.loading && !loaded.data ? (
        <LoadingCards count={3} height={200} />
      ) : loaded.error ? (
        <ErrorState error={loaded.error} onRetry={loaded.reload} />
      ) : byFile.length === 0 ? (
        <Card>
          <EmptyState icon={<IconSearch size={30} />} title={all.length ? 'No policy matches' : 'No policies in force'}>
            {all.length ? 'Try another word: the search looks at ids, reasons, files and the policy text.' : 'Without a policy that permits it, every action is denied.'}
          </EmptyState>
        </Card>
      ) : (
        byFile.map(([file, policies]) => (
          <Card key={file} padding="lg" data-policy-file={file}>
            <Group gap={8} mb="md">
              <IconFileCode size={18} />
              <Text fw={600} ff="monospace">
                {file}
              </Text>
              <Text size="sm" c="dimmed">
                {policies.length} {policies.length === 1 ? 'policy' : 'policies'}
              </Text>
            </Group>
            <Stack gap="lg">
              {policies.map((p) => (
                <PolicyItem key={p.id} policy={p} />
              ))}
            </Stack>
          </Card>
        ))
      )}
    </Stack>
  );
}

function PolicyItem({ policy: p }: { policy: Policy }) {
  const forbid = p.effect === 'forbid';
  return (
    <Stack gap={6} data-policy={p.id} data-effect={p.effect} id={`policy-${p.id}`}>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap={8} wrap="nowrap">
          <Badge color={forbid ? 'red.9' : '#2b7a3b' /* white text at 5.3:1 (WCAG AA) */} variant="filled" size="sm" w={64}>
            {p.effect}
          </Badge>
          <Text fw={600} ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
            {p.id}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" ff="monospace" data-where>
          {p.file}:{p.line}
        </Text>
      </Group>
      {p.reason && (
        <Text size="sm" c={forbid ? 'red.8' : undefined} data-reason>
          {p.reason}
        </Text>
      )}
      <Code block style={{ borderLeft: `3px solid var(--mantine-color-${forbid ? 'red' : 'green'}-6)`, whiteSpace: 'pre-wrap' }}>
        {p.text.trim()}
      </Code>
    </Stack>
  );
}

import { useEffect, useState } from 'react';
import { Anchor, Avatar, Button, Card, Group, Select, Stack, Switch, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconStack2, IconRocket, IconUsersGroup } from '@tabler/icons-react';
import { Link } from 'wouter';
import { api, call, type Environment } from '../api/client.ts';
import { useUser } from '../auth.tsx';
import { useLoad } from '../lib/use-load.ts';
import { ago, dateTime } from '../lib/format.ts';
import { DataClassBadge, StatusBadge, isBusy, shownEnvironmentStatus } from '../components/badges.tsx';
import { ResourceIcon } from '../components/resource-icon.tsx';
import { EmptyState, ErrorState, LoadingCards } from '../components/states.tsx';
import { QuotaUsage } from '../components/quota-usage.tsx';

export function EnvironmentsPage({ scope }: { scope: 'mine' | 'team' }) {
  const user = useUser();
  const [team, setTeam] = useState<string>(user.team);
  const [includeDeleted, setIncludeDeleted] = useState(false);
  const teams = useLoad(() => (scope === 'team' ? call(api.GET('/api/v1/teams')) : Promise.resolve({ teams: [] })), [scope]);
  const envs = useLoad(
    () =>
      call(
        api.GET('/api/v1/environments', {
          params: { query: scope === 'mine' ? { mine: 'true', includeDeleted: includeDeleted ? 'true' : 'false' } : { team, includeDeleted: includeDeleted ? 'true' : 'false' } },
        }),
      ),
    [scope, team, includeDeleted],
  );

  // Keep the list live while something is still launching or being deleted.
  const busy = envs.data?.environments.some((e) => isBusy(e.status));
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(envs.reload, 2000);
    return () => clearInterval(t);
  }, [busy, envs.reload]);

  const list = envs.data?.environments ?? [];
  const teamTitle = teams.data?.teams.find((t) => t.id === team)?.title ?? team;

  return (
    <Stack gap="lg" maw={1240} mx="auto">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={28}>
            {scope === 'mine' ? 'My environments' : 'Team environments'}
          </Title>
          <Text c="dimmed">
            {scope === 'mine' ? 'Everything you launched, in every team.' : `What ${teamTitle} has running, whoever launched it.`}
          </Text>
        </div>
        <Group gap="md" align="flex-end">
          {scope === 'team' && (
            <Select
              label="Team"
              data={(teams.data?.teams ?? [{ id: user.team, title: user.team, members: [] }]).map((t) => ({ value: t.id, label: t.title }))}
              value={team}
              onChange={(v) => v && setTeam(v)}
              allowDeselect={false}
              w={220}
            />
          )}
          <Switch label="Show deleted" checked={includeDeleted} onChange={(e) => setIncludeDeleted(e.currentTarget.checked)} mb={8} />
        </Group>
      </Group>

      {scope === 'team' && <QuotaUsage team={team} />}

      {envs.loading && !envs.data ? (
        <LoadingCards count={3} height={64} />
      ) : envs.error ? (
        <ErrorState error={envs.error} onRetry={envs.reload} />
      ) : list.length === 0 ? (
        <Card>
          <EmptyState
            icon={scope === 'mine' ? <IconStack2 size={30} /> : <IconUsersGroup size={30} />}
            title={scope === 'mine' ? 'You have no environments yet' : `${teamTitle} has no environments`}
            action={
              <Button component={Link} href="/" leftSection={<IconRocket size={16} />}>
                Launch a golden path
              </Button>
            }
          >
            Launch a golden path and its repository, notebook, bucket and data access appear here, ready in seconds.
          </EmptyState>
        </Card>
      ) : (
        <Card p={0}>
          <Table.ScrollContainer minWidth={760}>
            <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="lg" aria-label="Environments">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Environment</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Resources</Table.Th>
                  <Table.Th>Data</Table.Th>
                  <Table.Th>{scope === 'mine' ? 'Team' : 'Owner'}</Table.Th>
                  <Table.Th>Created</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((e) => (
                  <Row key={e.id} env={e} scope={scope} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </Stack>
  );
}

function Row({ env, scope }: { env: Environment; scope: 'mine' | 'team' }) {
  return (
    <Table.Tr data-env={env.id}>
      <Table.Td>
        <Anchor component={Link} href={`/environments/${env.id}`} fw={600} c="ink.8">
          {env.name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {env.path}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <StatusBadge status={shownEnvironmentStatus(env)} />
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          {env.resources.map((r) => (
            <Tooltip key={r.id} label={`${r.id} · ${r.status}`} withArrow>
              <span>
                <ResourceIcon type={r.type} size={24} />
              </span>
            </Tooltip>
          ))}
        </Group>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <DataClassBadge dataClass={env.dataClass} size="xs" />
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {scope === 'mine' ? (
          <Text size="sm">{env.team}</Text>
        ) : (
          <Group gap={6} wrap="nowrap">
            <Avatar size={22} radius="xl" color="ink">
              {env.owner.slice(0, 1).toUpperCase()}
            </Avatar>
            <Text size="sm">{env.owner}</Text>
          </Group>
        )}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Tooltip label={dateTime(env.createdAt)} withArrow>
          <Text size="sm" c="dimmed">
            {ago(env.createdAt)}
          </Text>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );
}

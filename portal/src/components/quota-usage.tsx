import { Card, Group, Progress, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { api, call } from '../api/client.ts';
import { useLoad } from '../lib/use-load.ts';

const labels: Record<string, string> = {
  runningEnvironments: 'Running environments',
  notebooks: 'Notebooks',
  warehouseConnections: 'Warehouse connections',
  storageMb: 'Storage',
};

/**
 * A team's usage against its quotas (policies/quotas.yaml), one bar each: a full bar is red, since
 * the next launch that needs it is refused. Shows nothing to someone who may not see the team's.
 */
export function QuotaUsage({ team }: { team: string }) {
  const quotas = useLoad(() => call(api.GET('/api/v1/teams/{id}/quotas', { params: { path: { id: team } } })), [team]);
  if (!quotas.data) return null;
  return (
    <Card aria-label="Quota usage">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="lg">
        {quotas.data.quotas.map((q) => {
          const share = q.limit === 0 ? 100 : Math.min(100, (q.used / q.limit) * 100);
          const full = q.used >= q.limit;
          return (
            <Stack key={q.name} gap={4} data-quota={q.name}>
              <Group justify="space-between" gap="xs">
                <Text size="sm" fw={600}>{labels[q.name] ?? q.name}</Text>
                <Text size="sm" c={full ? 'red' : 'dimmed'}>
                  {q.used} of {q.limit} {q.unit}
                </Text>
              </Group>
              <Tooltip label={full ? 'At its quota: a launch that needs more is refused' : `${q.limit - q.used} ${q.unit} left`}>
                <Progress value={share} color={full ? 'red' : share >= 80 ? 'orange' : 'teal'} size="lg" radius="sm" aria-label={`${labels[q.name] ?? q.name}: ${q.used} of ${q.limit} ${q.unit}`} />
              </Tooltip>
            </Stack>
          );
        })}
      </SimpleGrid>
    </Card>
  );
}

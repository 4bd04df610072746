import { Group, Paper, Progress, Stack, Text } from '@mantine/core';
import type { Environment } from '../api/client.ts';
import { StatusBadge } from './badges.tsx';
import { ResourceIcon, resourceInfo } from './resource-icon.tsx';

/** One line per resource, live from the environment's stream. */
export function ResourceProgress({ env }: { env: Environment }) {
  const total = env.resources.length || 1;
  const done = env.resources.filter((r) => r.status === 'ready').length;
  const failed = env.status === 'failed';
  return (
    <Stack gap="sm" aria-live="polite">
      <Progress value={(done / total) * 100} color={failed ? 'red' : done === total ? 'green' : 'ink'} animated={!failed && done < total} size="md" radius="xl" aria-label={`${done} of ${total} resources ready`} />
      {env.resources.map((r) => (
        <Paper key={r.id} withBorder p="sm" radius="md" data-resource={r.id} data-status={r.status}>
          <Group justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <ResourceIcon type={r.type} size={32} />
              <div>
                <Text fw={600} size="sm">
                  {r.id}
                </Text>
                <Text size="xs" c="dimmed">
                  {resourceInfo(r.type).label}
                </Text>
              </div>
            </Group>
            <StatusBadge status={r.status} />
          </Group>
          {r.error && (
            <Text size="xs" c="red" mt={6}>
              {r.error}
            </Text>
          )}
        </Paper>
      ))}
    </Stack>
  );
}

import { Button, Card, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconTerminal2 } from '@tabler/icons-react';
import { Link } from 'wouter';
import type { Environment } from '../api/client.ts';

/** On an environment with a ready warehouse grant, the way into its SQL console (the SQL path's main tool). */
export function SqlConsoleLink({ env }: { env: Environment }) {
  const grant = env.resources.find((r) => r.type === 'warehouse');
  if (!grant || grant.status !== 'ready' || env.credentialsHidden || !['ready', 'stopped'].includes(env.status)) return null;
  return (
    <Card padding="lg" data-testid="sql-console-link" style={{ borderColor: 'var(--mantine-color-ink-3)' }}>
      <Group justify="space-between" wrap="wrap" gap="md">
        <Group gap="md" wrap="nowrap">
          <ThemeIcon size={40} radius="md" variant="light" color="ink" aria-hidden>
            <IconTerminal2 size={22} />
          </ThemeIcon>
          <Stack gap={2}>
            <Text fw={600}>SQL console</Text>
            <Text size="sm" c="dimmed">
              Query the warehouse in your browser as this environment&rsquo;s grant ({env.dataClass} data): results, CSV export, queries saved to the repository.
            </Text>
          </Stack>
        </Group>
        <Button component={Link} href={`/environments/${env.id}/sql`} leftSection={<IconTerminal2 size={16} />}>
          Open SQL console
        </Button>
      </Group>
    </Card>
  );
}

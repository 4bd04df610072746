// A golden path's estimated cost per day (from its resources and the rate card), before launch:
// a badge on the path card and a breakdown beside the launch form.
import { Badge, Card, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconCoin } from '@tabler/icons-react';
import type { PathCost } from '../pages/spend-types.ts';
import { formatMoney } from './money-format.ts';
import { Money } from './money.tsx';
import { ResourceIcon, resourceInfo } from './resource-icon.tsx';

export function CostPerDayBadge({ cost }: { cost: PathCost | null | undefined }) {
  if (!cost) return null;
  const items = (
    <Stack gap={2}>
      {cost.items.map((i) => (
        <Text key={i.resource} size="xs">
          {resourceInfo(i.type).label}: {formatMoney(i.perDay, cost.currency)} ({i.basis})
        </Text>
      ))}
    </Stack>
  );
  return (
    <Tooltip label={items} withArrow multiline maw={360} disabled={cost.items.length === 0}>
      <Badge size="sm" variant="light" color="ink" leftSection={<IconCoin size={12} />} data-testid="path-cost" data-per-day={cost.perDay} style={{ textTransform: 'none' }}>
        ≈ {formatMoney(cost.perDay, cost.currency)} a day
      </Badge>
    </Tooltip>
  );
}

export function CostBreakdown({ cost }: { cost: PathCost | null | undefined }) {
  if (!cost) return null;
  return (
    <Card padding="lg" aria-label="Estimated cost" data-testid="launch-cost">
      <Group justify="space-between" align="baseline" mb="sm">
        <Text fw={600}>Estimated cost</Text>
        <Text fw={700} fz="lg">
          <Money amount={cost.perDay} currency={cost.currency} /> <Text span size="sm" c="dimmed" fw={400}>a day</Text>
        </Text>
      </Group>
      <Stack gap="sm">
        {cost.items.map((i) => (
          <Group key={i.resource} gap="sm" wrap="nowrap" justify="space-between" align="flex-start">
            <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
              <ResourceIcon type={i.type} size={26} />
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={500}>
                  {resourceInfo(i.type).label}
                </Text>
                <Text size="xs" c="dimmed">
                  {i.basis}
                </Text>
              </div>
            </Group>
            <Text size="sm">
              <Money amount={i.perDay} currency={cost.currency} />
            </Text>
          </Group>
        ))}
      </Stack>
      <Text size="xs" c="dimmed" mt="sm">
        From the platform's rate card, for a day of running; charged to the team you launch for.
      </Text>
    </Card>
  );
}

/** Beside the launch button: what a day of it costs, and which team pays. */
export function CostPerDayLine({ cost, team }: { cost: PathCost | null | undefined; team: string | undefined }) {
  if (!cost) return null;
  return (
    <Text size="sm" c="dimmed" mr="auto" data-testid="launch-cost-line">
      About <Money amount={cost.perDay} currency={cost.currency} c="dark" fw={600} /> a day{team ? <>, charged to {team}</> : null}
    </Text>
  );
}

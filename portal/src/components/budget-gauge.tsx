// A team's spend this month against its monthly budget: the bar fills towards 100 %, a tick marks
// the threshold at which the team gets a notice, and at 100 % new launches are refused.
import { Badge, Box, Card, Group, Progress, Stack, Text } from '@mantine/core';
import type { SpendBudget } from '../pages/spend-types.ts';
import { Money } from './money.tsx';

const states = {
  ok: { color: 'teal', badge: 'Within budget', say: (t: number) => `The team gets a notice at ${t} %; new launches are refused at 100 %.` },
  warning: { color: 'orange', badge: 'Past the threshold', say: (t: number) => `Past ${t} %: the team has been told. New launches are refused at 100 %.` },
  exceeded: { color: 'red', badge: 'Budget used up', say: () => 'New launches are refused until next month or a larger budget; running environments keep running.' },
} as const;

export function BudgetGauge({ budget, currency }: { budget: SpendBudget | null; currency: string }) {
  if (!budget) {
    return (
      <Card withBorder padding="md" aria-label="Monthly budget" data-testid="budget-gauge" data-state="none">
        <Text size="sm" fw={600}>
          Monthly budget
        </Text>
        <Text size="sm" c="dimmed" mt={6}>
          No monthly budget is set for this team, so launches are never refused for cost. A platform admin can set one.
        </Text>
      </Card>
    );
  }
  const s = states[budget.state] ?? states.ok;
  const fill = Math.max(0, Math.min(100, budget.percent));
  return (
    <Card withBorder padding="md" aria-label="Monthly budget" data-testid="budget-gauge" data-state={budget.state}>
      <Stack gap={8}>
        <Group justify="space-between" gap="xs">
          <Text size="sm" fw={600}>
            Monthly budget
          </Text>
          <Badge size="sm" variant="light" color={s.color}>
            {s.badge}
          </Badge>
        </Group>
        <Text size="sm">
          <Text span fw={700} fz="lg">
            <Money amount={budget.spentThisMonth} currency={currency} />
          </Text>{' '}
          of <Money amount={budget.monthly} currency={currency} /> this month · {budget.percent} %
        </Text>
        <Box pos="relative" pt={4}>
          <Progress value={fill} color={s.color} size="lg" radius="sm" aria-label={`Spent ${budget.percent} % of this month's budget; notice at ${budget.threshold} %`} />
          <Box
            aria-hidden
            pos="absolute"
            top={0}
            bottom={-4}
            left={`${Math.max(0, Math.min(100, budget.threshold))}%`}
            w={2}
            bg="var(--mantine-color-dark-4)"
            style={{ borderRadius: 1, transform: 'translateX(-1px)' }}
            title={`Notice at ${budget.threshold} %`}
          />
        </Box>
        <Text size="xs" c="dimmed">
          {s.say(budget.threshold)} The mark on the bar is the notice threshold.
        </Text>
      </Stack>
    </Card>
  );
}

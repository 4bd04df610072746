// Before launch: whether the team the launch is charged to is near or past its monthly budget.
// At 100 % the policy engine refuses the launch; saying so here spares a refused click.
import { Alert } from '@mantine/core';
import { IconAlertTriangle, IconCoin } from '@tabler/icons-react';
import type { components } from '../api/schema.ts';
import { Money } from './money.tsx';

type Budget = components['schemas']['Budget'];

export function BudgetNotice({ budget, teamTitle, currency }: { budget: Budget | undefined; teamTitle: string; currency: string }) {
  const s = budget?.status;
  if (!s || s.state === 'ok') return null;
  if (s.state === 'exceeded')
    return (
      <Alert color="red" icon={<IconAlertTriangle />} title={`${teamTitle} has spent its monthly budget`} data-testid="budget-notice" data-state="exceeded">
        <Money amount={s.spentThisMonth} currency={currency} /> of <Money amount={s.monthly} currency={currency} /> this month. New launches for this team are refused until next month or until a platform admin raises the budget; running environments keep running.
      </Alert>
    );
  return (
    <Alert color="orange" variant="light" icon={<IconCoin />} title={`${teamTitle} has used ${s.percent} % of its monthly budget`} data-testid="budget-notice" data-state="warning">
      <Money amount={s.spentThisMonth} currency={currency} /> of <Money amount={s.monthly} currency={currency} /> this month; at 100 % new launches are refused.
    </Alert>
  );
}

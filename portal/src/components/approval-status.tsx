import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconHourglass, IconBan } from '@tabler/icons-react';
import type { Approval } from '../api/client.ts';
import { ago, dateTime } from '../lib/format.ts';

const info: Record<Approval['status'], { color: string; label: string; icon: typeof IconHourglass }> = {
  pending: { color: 'orange', label: 'Pending', icon: IconHourglass },
  approved: { color: 'green', label: 'Approved', icon: IconCircleCheck },
  rejected: { color: 'red', label: 'Rejected', icon: IconCircleX },
  cancelled: { color: 'gray', label: 'Cancelled', icon: IconBan },
};

export function ApprovalStatusBadge({ approval, size = 'sm' }: { approval: Approval; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const revoked = approval.status === 'approved' && approval.revokedAt;
  const expired = approval.status === 'approved' && !revoked && approval.expiresAt && new Date(approval.expiresAt).getTime() < Date.now();
  const i = info[approval.status];
  const Icon = i.icon;
  const label = revoked ? 'Approved · revoked' : expired ? 'Approved · expired' : i.label;
  return (
    <Badge size={size} variant="light" color={revoked || expired ? 'gray' : i.color} leftSection={<Icon size={12} />} data-approval-status={approval.status}>
      {label}
    </Badge>
  );
}

/** "Approved by ravi 3 minutes ago · expires 12 Nov" and friends, for history rows. */
export function DecisionLine({ approval }: { approval: Approval }) {
  if (approval.status === 'pending') return <Text size="sm" c="dimmed">Waiting for a member of {approval.approverTeam}</Text>;
  if (approval.status === 'cancelled') return <Text size="sm" c="dimmed">Cancelled{approval.decidedAt ? ` ${ago(approval.decidedAt)}` : ''}: another owner rejected it, or the environment was deleted first</Text>;
  return (
    <Group gap={6} wrap="wrap">
      <Text size="sm">
        {approval.status === 'approved' ? 'Approved' : 'Rejected'} by <b>{approval.decidedBy ?? 'someone'}</b>{' '}
        <Tooltip label={dateTime(approval.decidedAt)} withArrow>
          <span>{ago(approval.decidedAt)}</span>
        </Tooltip>
      </Text>
    </Group>
  );
}

import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconAlertOctagon, IconCircleCheck, IconCircleX, IconHourglass, IconBan } from '@tabler/icons-react';
import type { Approval } from '../api/client.ts';
import { ago, dateTime } from '../lib/format.ts';

const info: Record<Approval['status'], { color: string; label: string; icon: typeof IconHourglass }> = {
  pending: { color: 'orange', label: 'Pending', icon: IconHourglass },
  approved: { color: 'green', label: 'Approved', icon: IconCircleCheck },
  rejected: { color: 'red', label: 'Rejected', icon: IconCircleX },
  cancelled: { color: 'gray', label: 'Cancelled', icon: IconBan },
};

/** Decided by a platform admin for a team they are not in: always shown in red, whatever the outcome. */
export const isBreakGlass = (a: Approval) => a.breakGlass && (a.status === 'approved' || a.status === 'rejected');

export function ApprovalStatusBadge({ approval, size = 'sm' }: { approval: Approval; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const revoked = approval.status === 'approved' && approval.revokedAt;
  const expired = approval.status === 'approved' && !revoked && approval.expiresAt && new Date(approval.expiresAt).getTime() < Date.now();
  const glass = isBreakGlass(approval);
  const i = info[approval.status];
  const Icon = glass ? IconAlertOctagon : i.icon;
  const label = (revoked ? 'Approved · revoked' : expired ? 'Approved · expired' : i.label) + (glass ? ' · break-glass' : '');
  return (
    <Badge
      size={size}
      variant={glass ? 'filled' : 'light'}
      color={glass ? 'red' : revoked || expired ? 'gray' : i.color}
      leftSection={<Icon size={12} />}
      data-approval-status={approval.status}
      data-break-glass={glass || undefined}
    >
      {label}
    </Badge>
  );
}

/** "Approved by ravi 3 minutes ago", "BREAK-GLASS by priya …" and friends, for history rows. */
export function DecisionLine({ approval }: { approval: Approval }) {
  if (approval.status === 'pending') return <Text size="sm" c="dimmed">Waiting for a member of {approval.approverTeam}</Text>;
  if (approval.status === 'cancelled') return <Text size="sm" c="dimmed">Cancelled{approval.decidedAt ? ` ${ago(approval.decidedAt)}` : ''}: another owner rejected it, or the environment was deleted first</Text>;
  const when = (
    <Tooltip label={dateTime(approval.decidedAt)} withArrow>
      <span>{ago(approval.decidedAt)}</span>
    </Tooltip>
  );
  if (isBreakGlass(approval))
    return (
      <Group gap={6} wrap="nowrap" align="flex-start" data-decision="break-glass">
        <IconAlertOctagon size={16} color="var(--mantine-color-red-7)" style={{ flexShrink: 0, marginTop: 2 }} />
        <Text size="sm" c="red.8" fw={500}>
          <b>BREAK-GLASS</b> by <b>{approval.decidedBy ?? 'a platform admin'}</b>: {approval.status} for {approval.approverTeam}, a team they are not in · {when}
        </Text>
      </Group>
    );
  return (
    <Group gap={6} wrap="wrap">
      <Text size="sm">
        {approval.status === 'approved' ? 'Approved' : 'Rejected'} by <b>{approval.decidedBy ?? 'someone'}</b> {when}
      </Text>
    </Group>
  );
}

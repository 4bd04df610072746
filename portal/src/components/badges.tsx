import { Badge, Loader, Tooltip } from '@mantine/core';
import { IconLock, IconShieldCheck, IconShieldHalf, IconFlask, IconPlayerPause } from '@tabler/icons-react';
import type { EnvironmentStatus, Resource } from '../api/client.ts';

const dataClassInfo: Record<string, { color: string; label: string; help: string; icon: typeof IconFlask }> = {
  synthetic: { color: 'teal', label: 'Synthetic data', help: 'Generated rows: no real person is in this data. No approval needed.', icon: IconFlask },
  masked: { color: 'yellow', label: 'Masked data', help: 'Real rows with sensitive columns masked by the warehouse.', icon: IconShieldHalf },
  sensitive: { color: 'red', label: 'Sensitive data', help: 'Raw customer data: access is approved and audited.', icon: IconLock },
};

export function DataClassBadge({ dataClass, size = 'sm' }: { dataClass: string | null | undefined; size?: 'xs' | 'sm' | 'md' }) {
  if (!dataClass) {
    return (
      <Tooltip label="This path gives no access to organisation data" withArrow>
        <Badge size={size} variant="light" color="gray" leftSection={<IconShieldCheck size={12} />} styles={{ label: { overflow: 'visible' } }}>
          No data access
        </Badge>
      </Tooltip>
    );
  }
  const info = dataClassInfo[dataClass] ?? { color: 'gray', label: dataClass, help: '', icon: IconShieldCheck };
  const Icon = info.icon;
  return (
    <Tooltip label={info.help} withArrow multiline w={240} disabled={!info.help}>
      <Badge size={size} variant="light" color={info.color} leftSection={<Icon size={12} />} styles={{ label: { overflow: 'visible' } }}>
        {info.label}
      </Badge>
    </Tooltip>
  );
}

const envColors: Record<string, string> = {
  requested: 'gray',
  'awaiting-approval': 'orange',
  provisioning: 'blue',
  ready: 'green',
  stopping: 'violet',
  stopped: 'violet',
  deleting: 'gray',
  deleted: 'dark',
  failed: 'red',
  rejected: 'orange',
  'not-made': 'gray',
};
const busy = new Set(['requested', 'provisioning', 'deleting', 'stopping', 'deprovisioning', 'pending']);
const labels: Record<string, string> = { 'awaiting-approval': 'Awaiting approval', deprovisioning: 'Removing', 'not-made': 'Not made' };

/**
 * What a page shows, where the stored status alone would mislead: an environment whose access was
 * rejected did not fail (nothing went wrong, someone said no), and its resources were never made.
 */
export const shownEnvironmentStatus = (env: { status: string; reason?: string | null }) =>
  env.status === 'failed' && /^access rejected\b/.test(env.reason ?? '') ? 'rejected' : env.status;

/** A resource as its environment's state shows it: a notebook being stopped is no longer "ready". */
export function shownResourceStatus(env: { status: string }, resource: { status: string }, runs: boolean): string {
  if (env.status === 'stopping' && runs && resource.status === 'ready') return 'stopping';
  if (env.status === 'failed' && resource.status === 'pending') return 'not-made';
  return resource.status;
}

export function StatusBadge({ status, size = 'sm' }: { status: EnvironmentStatus | Resource['status'] | string; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  // A filled Ready in Mantine's green is 2.4:1 with white text; this green is 5.3:1.
  const color = status === 'ready' ? '#2b7a3b' : (envColors[status] ?? (status === 'pending' ? 'gray' : 'blue'));
  const label = labels[status] ?? status.charAt(0).toUpperCase() + status.slice(1);
  return (
    <Badge
      size={size}
      color={color}
      variant={status === 'ready' ? 'filled' : status === 'stopped' ? 'outline' : 'light'}
      leftSection={busy.has(status) && status !== 'pending' ? <Loader size={10} color={color} type="oval" /> : status === 'stopped' ? <IconPlayerPause size={12} /> : undefined}
      data-status={status}
      styles={{ label: { overflow: 'visible' } }}
    >
      {label}
    </Badge>
  );
}

export const isBusy = (status: string) => busy.has(status);

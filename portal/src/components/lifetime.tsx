// An environment's lifetime on its page: when it expires ("in 3 days") and the Extend button,
// which asks for one more of its path's ttl (or a day), within the path's limit; a refusal says the limit.
import { useState } from 'react';
import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconClockPlus, IconChevronDown } from '@tabler/icons-react';
import { api, ApiError, call, type Environment } from '../api/client.ts';
import { dateTime } from '../lib/format.ts';

/** "in 3 days", "in 5 hours", "in 12 minutes" (or "now"): rounded, for people. */
export function expiresIn(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso) - now;
  if (ms <= 0) return 'now';
  const [n, unit] = ms >= 86_400_000 ? [Math.round(ms / 86_400_000), 'day'] : ms >= 3_600_000 ? [Math.round(ms / 3_600_000), 'hour'] : [Math.max(1, Math.round(ms / 60_000)), 'minute'];
  return `in ${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** The "Expires" detail: the environment's own expiry, and the data approval's when that ends first. */
export function expiryText(env: Environment, approvalEnds: string | null): string {
  const own = env.expiresAt ? `${dateTime(env.expiresAt)} (${expiresIn(env.expiresAt)})` : 'When its golden path\'s lifetime is reached';
  if (approvalEnds && (!env.expiresAt || approvalEnds < env.expiresAt)) return `${own}; data access approved until ${dateTime(approvalEnds)}`;
  return own;
}

export function ExtendButton({ env, onChange }: { env: Environment; onChange: (e: Environment) => void }) {
  const [busy, setBusy] = useState(false);
  const extend = async (by?: string) => {
    setBusy(true);
    try {
      const e = await call(api.POST('/api/v1/environments/{id}/extend', { params: { path: { id: env.id } }, body: by ? { by } : {} }));
      onChange(e);
      notifications.show({ color: 'teal', title: 'Extended', message: `${env.name} now expires ${e.expiresAt ? `${dateTime(e.expiresAt)} (${expiresIn(e.expiresAt)})` : 'later'}.` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not extended', message: err instanceof ApiError ? err.message : String(err), autoClose: 12_000 });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Menu position="bottom-end" withArrow>
      <Menu.Target>
        <Button variant="default" leftSection={<IconClockPlus size={16} />} rightSection={<IconChevronDown size={14} />} loading={busy} data-testid="extend">
          Extend{env.expiresAt ? ` (expires ${expiresIn(env.expiresAt)})` : ''}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => void extend('1d')}>By a day</Menu.Item>
        <Menu.Item onClick={() => void extend('7d')}>By a week</Menu.Item>
        <Menu.Item onClick={() => void extend()}>By its path's lifetime, as far as allowed</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

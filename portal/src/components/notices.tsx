// The notices bell in the header: what the platform told the signed-in user and their team (an
// environment about to expire, stopped for idleness, deleted; a break-glass approval, in red).
// Polled every 30 s; opening one marks it read for this user alone.
import { useCallback, useEffect, useState } from 'react';
import { ActionIcon, Box, Indicator, Menu, Stack, Text, UnstyledButton, type MantineSpacing } from '@mantine/core';
import { IconBell, IconAlertTriangle } from '@tabler/icons-react';
import { useLocation } from 'wouter';
import { api, call } from '../api/client.ts';
import type { paths } from '../api/schema.ts';

export type Notice = paths['/api/v1/notices']['get']['responses'][200]['content']['application/json']['notices'][number];

const kindLabel: Record<string, string> = {
  'break-glass': 'Break-glass approval',
  'expiry-warning': 'Expires soon',
  expired: 'Expired',
  'idle-stopped': 'Stopped while idle',
};

function useNotices(userId: string) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const refresh = useCallback(async () => {
    try {
      setNotices((await call(api.GET('/api/v1/notices', { params: { query: { unread: 'true' } } }))).notices);
    } catch {
      // The bell is a hint; a failed poll keeps what it showed.
    }
  }, []);
  useEffect(() => {
    if (!userId) return;
    void refresh();
    const t = setInterval(() => void refresh(), 30_000);
    return () => clearInterval(t);
  }, [userId, refresh]);
  return { notices, refresh };
}

/** `ml="auto"` in a space-between header puts it just before the account menu. */
export function NoticesMenu({ userId, ml, mr }: { userId: string; ml?: MantineSpacing | 'auto'; mr?: MantineSpacing }) {
  const { notices, refresh } = useNotices(userId);
  const [, navigate] = useLocation();
  const urgent = notices.some((n) => n.kind === 'break-glass');
  const open = async (n: Notice) => {
    await call(api.POST('/api/v1/notices/{id}/read', { params: { path: { id: n.id } } })).catch(() => {});
    await refresh();
    if (n.environment) navigate(`/environments/${n.environment}`);
  };
  return (
    <Box ml={ml} mr={mr}>
      <Menu position="bottom-end" width={360} withArrow>
        {/* The menu's target is the button itself: a popup role on the indicator's div is not allowed. */}
        <Indicator disabled={notices.length === 0} label={notices.length} size={16} color={urgent ? 'red' : 'gold'} offset={4}>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray.0" size="lg" aria-label={`Notices: ${notices.length} unread`} data-testid="notices-bell">
              <IconBell size={20} />
            </ActionIcon>
          </Menu.Target>
        </Indicator>
        <Menu.Dropdown data-testid="notices-menu">
          <Menu.Label>Notices</Menu.Label>
          {notices.length === 0 && (
            <Text size="sm" c="dimmed" px="sm" py="xs">
              Nothing new.
            </Text>
          )}
          {notices.slice(0, 12).map((n) => {
            const red = n.kind === 'break-glass';
            return (
              <Menu.Item key={n.id} onClick={() => void open(n)} color={red ? 'red' : undefined} data-kind={n.kind}
                leftSection={red ? <IconAlertTriangle size={16} /> : undefined}>
                <UnstyledButton component="div">
                  <Stack gap={2}>
                    <Text size="xs" fw={700} c={red ? 'red' : undefined}>
                      {kindLabel[n.kind] ?? n.kind}
                      {n.environmentName ? ` · ${n.environmentName}` : ''}
                    </Text>
                    <Text size="sm" c={red ? 'red' : undefined} lineClamp={3}>
                      {n.message}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {new Date(n.at).toLocaleString()}
                    </Text>
                  </Stack>
                </UnstyledButton>
              </Menu.Item>
            );
          })}
        </Menu.Dropdown>
      </Menu>
    </Box>
  );
}

// The notification centre: a bell in the header with the unread count, and a panel of what the
// platform told the signed-in user and their team — an environment ready or failed, an approval
// asked of the team or decided on a request, an environment about to expire, a budget warning, a
// break-glass decision (in red). Live over GET /api/v1/notices/stream; read with fetch rather than
// EventSource, so the token travels in a header and never in a URL.
import { useCallback, useEffect, useState } from 'react';
import { ActionIcon, Box, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconBell, IconChecks } from '@tabler/icons-react';
import { useLocation } from 'wouter';
import { api, call, session } from '../api/client.ts';
import type { paths } from '../api/schema.ts';
import { ago } from '../lib/format.ts';
import { useNoticePreferences } from '../lib/notice-preferences.ts';
import { refreshPending } from '../lib/pending.ts';

export type Notice = paths['/api/v1/notices']['get']['responses'][200]['content']['application/json']['notices'][number];

export const noticeKindLabel: Record<string, string> = {
  'environment-ready': 'Ready',
  'environment-failed': 'Failed',
  'approval-requested': 'Approval requested',
  'approval-decided': 'Approval decided',
  'break-glass': 'Break-glass approval',
  'expiry-warning': 'Expires soon',
  expired: 'Expired',
  'idle-stopped': 'Stopped while idle',
  'budget-warning': 'Budget warning',
  'budget-exceeded': 'Budget spent',
};

/** Reads one connection of the SSE stream with fetch until it ends or is aborted. */
async function readStream(signal: AbortSignal, onNotices: (n: Notice[]) => void): Promise<'signed-out' | 'ended'> {
  const res = await fetch('/api/v1/notices/stream', { headers: { Authorization: `Bearer ${session.token() ?? ''}`, Accept: 'text/event-stream' }, signal });
  if (res.status === 401 || !res.body) return 'signed-out'; // the app returns to sign-in
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return 'ended';
    buffer += value;
    for (let end; (end = buffer.indexOf('\n\n')) >= 0; buffer = buffer.slice(end + 2)) {
      const data = buffer.slice(0, end).split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data) onNotices((JSON.parse(data) as { notices: Notice[] }).notices);
    }
  }
}

/**
 * The live unread list, reconnecting with backoff. Only while the tab is visible: a browser opens
 * six connections at most to one host over HTTP/1.1, and a stream held by every background tab
 * would soon leave none for the page in front. Back in front, it reconnects and is current at once.
 */
function streamNotices(onNotices: (n: Notice[]) => void): () => void {
  let closed = false;
  let current: AbortController | null = null;
  let failures = 0;
  const run = async () => {
    while (!closed && document.visibilityState === 'visible') {
      const abort = (current = new AbortController());
      try {
        const how = await readStream(abort.signal, (n) => {
          failures = 0;
          onNotices(n);
        });
        if (how === 'signed-out') return;
      } catch {
        // a dropped connection, or aborted (closed or hidden): the loop's condition decides
      }
      if (closed || document.visibilityState !== 'visible') return;
      await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** Math.min(failures++, 6))));
    }
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible' && !current) {
      failures = 0;
      void run().finally(() => (current = null));
    } else if (document.visibilityState !== 'visible') current?.abort();
  };
  document.addEventListener('visibilitychange', onVisibility);
  onVisibility();
  return () => {
    closed = true;
    document.removeEventListener('visibilitychange', onVisibility);
    current?.abort();
  };
}

function useLiveNotices(userId: string) {
  const [notices, setNotices] = useState<Notice[]>([]);
  useEffect(() => {
    if (!userId) return;
    return streamNotices((list) => {
      setNotices(list);
      // A request for the team, or a decision, changes the approvals badge too.
      if (list.some((n) => n.kind.startsWith('approval'))) void refreshPending();
    });
  }, [userId]);
  const markRead = useCallback(async (ids: number[]) => {
    setNotices((all) => all.filter((n) => !ids.includes(n.id)));
    await Promise.all(ids.map((id) => call(api.POST('/api/v1/notices/{id}/read', { params: { path: { id } } })).catch(() => {})));
  }, []);
  return { notices, markRead };
}

/** `ml="auto"` in a space-between header puts it just before the account menu. */
export function NotificationCentre({ userId }: { userId: string }) {
  const { notices: all, markRead } = useLiveNotices(userId);
  const { hidden } = useNoticePreferences();
  const notices = all.filter((n) => n.kind === 'break-glass' || !hidden.includes(n.kind));
  const [opened, setOpened] = useState(false);
  const [, navigate] = useLocation();
  const urgent = notices.some((n) => n.kind === 'break-glass' || n.kind === 'environment-failed');
  const open = (n: Notice) => {
    setOpened(false);
    void markRead([n.id]);
    if (n.kind === 'approval-requested') navigate('/approvals');
    else if (n.environment) navigate(`/environments/${n.environment}`);
    else if (n.kind.startsWith('budget')) navigate('/spend');
  };
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={380} withArrow shadow="md" trapFocus returnFocus>
      {/* The popover's target is the button itself: a popup role on the indicator's div is not allowed. */}
      <Indicator disabled={notices.length === 0} label={notices.length} size={16} color={urgent ? 'red' : 'gold'} offset={4}>
        <Popover.Target>
          <ActionIcon variant="subtle" color="gray.0" size="lg" onClick={() => setOpened((o) => !o)}
            aria-label={`Notices: ${notices.length} unread`} data-testid="notices-bell" data-count={notices.length}>
            <IconBell size={20} />
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown p={0} data-testid="notices-menu" role="dialog" aria-label="Notifications">
        <Group justify="space-between" px="md" py="xs">
          <Text fw={700} size="sm">
            Notifications
          </Text>
          <Button size="compact-xs" variant="subtle" leftSection={<IconChecks size={14} />} disabled={notices.length === 0} onClick={() => void markRead(notices.map((n) => n.id))}>
            Mark all read
          </Button>
        </Group>
        {notices.length === 0 ? (
          <Text size="sm" c="dimmed" px="md" pb="md">
            Nothing new. Launches that become ready, approvals and budget warnings show up here as they happen.
          </Text>
        ) : (
          <ScrollArea.Autosize mah={420} type="auto">
            <Stack gap={0} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {notices.slice(0, 30).map((n) => {
                const red = n.kind === 'break-glass' || n.kind === 'environment-failed';
                return (
                  <Box component="li" key={n.id} data-kind={n.kind} style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
                    <UnstyledButton onClick={() => open(n)} w="100%" px="md" py="xs" className="gp-notice">
                      <Group gap={6} wrap="nowrap" align="flex-start">
                        {red && <IconAlertTriangle size={16} color="var(--mantine-color-red-text)" aria-hidden />}
                        <Stack gap={2} style={{ minWidth: 0 }}>
                          <Text size="xs" fw={700} c={red ? 'red.8' : undefined}>
                            {noticeKindLabel[n.kind] ?? n.kind}
                            {n.environmentName ? ` · ${n.environmentName}` : ''}
                          </Text>
                          <Text size="sm" lineClamp={3}>
                            {n.message}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {ago(n.at)}
                          </Text>
                        </Stack>
                      </Group>
                    </UnstyledButton>
                  </Box>
                );
              })}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

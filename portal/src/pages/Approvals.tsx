import { useEffect, useState } from 'react';
import { Alert, Anchor, Avatar, Badge, Blockquote, Button, Card, Group, Modal, SimpleGrid, Stack, Tabs, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconDatabase, IconHistory, IconInbox, IconSend, IconX } from '@tabler/icons-react';
import { Link, useSearch, useLocation } from 'wouter';
import { api, ApiError, call, type Approval } from '../api/client.ts';
import { useUser } from '../auth.tsx';
import { useLoad } from '../lib/use-load.ts';
import { refreshPending } from '../lib/pending.ts';
import { ago, dateTime } from '../lib/format.ts';
import { DataClassBadge } from '../components/badges.tsx';
import { ApprovalStatusBadge, DecisionLine } from '../components/approval-status.tsx';
import { EmptyState, ErrorState, LoadingCards } from '../components/states.tsx';

type Tab = 'inbox' | 'decided' | 'mine';

export default function ApprovalsPage() {
  const user = useUser();
  const search = useSearch();
  const [, navigate] = useLocation();
  const tab = (new URLSearchParams(search).get('tab') as Tab | null) ?? 'inbox';
  const setTab = (t: string | null) => navigate(t && t !== 'inbox' ? `/approvals?tab=${t}` : '/approvals', { replace: true });

  const team = useLoad(() => call(api.GET('/api/v1/approvals', { params: { query: {} } })), []);
  const mine = useLoad(() => call(api.GET('/api/v1/approvals', { params: { query: { mine: 'true' } } })), []);
  const [deciding, setDeciding] = useState<{ approval: Approval; decision: 'approve' | 'reject' } | null>(null);

  const all = team.data?.approvals ?? [];
  const pending = all.filter((a) => a.status === 'pending');
  const waitingForMe = pending.filter((a) => a.requestedBy !== user.id);
  const decided = all.filter((a) => a.status !== 'pending');
  const myRequests = mine.data?.approvals ?? [];

  function onDecided(a: Approval) {
    team.set({ approvals: all.map((x) => (x.id === a.id ? a : x)) });
    team.reload();
    mine.reload();
    void refreshPending();
  }

  return (
    <Stack gap="lg" maw={1040} mx="auto">
      <div>
        <Title order={1} fz={28}>
          Approvals
        </Title>
        <Text c="dimmed">
          Access to governed data waits here for the team that owns the data. You decide for <b>{user.team}</b>; nobody approves their own request.
        </Text>
      </div>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="lg">
          <Tabs.Tab value="inbox" leftSection={<IconInbox size={16} />} rightSection={waitingForMe.length ? <Badge size="sm" circle color="orange">{waitingForMe.length}</Badge> : undefined}>
            Waiting for {user.team}
          </Tabs.Tab>
          <Tabs.Tab value="decided" leftSection={<IconHistory size={16} />}>
            Decided by {user.team}
          </Tabs.Tab>
          <Tabs.Tab value="mine" leftSection={<IconSend size={16} />}>
            My requests
          </Tabs.Tab>
        </Tabs.List>

        <Tabs.Panel value="inbox">
          <ApprovalList
            loaded={team}
            items={pending}
            empty={
              <EmptyState icon={<IconInbox size={30} />} title="Nothing waits for your team">
                When someone launches a path that reads data {user.team} owns, their request appears here for you to approve or reject.
              </EmptyState>
            }
            render={(a) => <ApprovalCard key={a.id} approval={a} own={a.requestedBy === user.id} onDecide={(decision) => setDeciding({ approval: a, decision })} />}
          />
        </Tabs.Panel>
        <Tabs.Panel value="decided">
          <ApprovalList
            loaded={team}
            items={decided}
            empty={
              <EmptyState icon={<IconHistory size={30} />} title="No decisions yet">
                Requests your team approved or rejected are kept here, with who decided and why.
              </EmptyState>
            }
            render={(a) => <ApprovalCard key={a.id} approval={a} own={a.requestedBy === user.id} />}
          />
        </Tabs.Panel>
        <Tabs.Panel value="mine">
          <ApprovalList
            loaded={mine}
            items={myRequests}
            empty={
              <EmptyState
                icon={<IconSend size={30} />}
                title="You have not asked for governed data"
                action={
                  <Button component={Link} href="/launch/data-science-customer-data" variant="light">
                    Launch a path with customer data
                  </Button>
                }
              >
                Paths with sensitive data ask the data owners first; your requests and their answers are listed here.
              </EmptyState>
            }
            render={(a) => <ApprovalCard key={a.id} approval={a} own showRequester={false} />}
          />
        </Tabs.Panel>
      </Tabs>
      <DecisionModal deciding={deciding} onClose={() => setDeciding(null)} onDecided={onDecided} />
    </Stack>
  );
}

function ApprovalList({
  loaded,
  items,
  empty,
  render,
}: {
  loaded: { data: unknown; error: Error | undefined; loading: boolean; reload: () => void };
  items: Approval[];
  empty: React.ReactNode;
  render: (a: Approval) => React.ReactNode;
}) {
  if (loaded.loading && !loaded.data) return <LoadingCards count={2} height={150} />;
  if (loaded.error) return <ErrorState error={loaded.error} onRetry={loaded.reload} />;
  if (!items.length) return <Card>{empty}</Card>;
  return <Stack gap="md">{items.map(render)}</Stack>;
}

const initials = (name: string) => {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return (words.length > 1 ? words[0][0] + words.at(-1)![0] : name.slice(0, 2)).toUpperCase();
};
/** "Dana Whitfield", or the id when the platform has no display name. */
const requester = (a: Approval) => a.requestedByName || a.requestedBy;

function ApprovalCard({ approval: a, own, onDecide, showRequester = true }: { approval: Approval; own: boolean; onDecide?: (d: 'approve' | 'reject') => void; showRequester?: boolean }) {
  return (
    <Card padding="lg" data-approval={a.id} data-environment={a.environment}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" align="flex-start">
            {showRequester && (
              <Avatar color="ink" radius="xl" size={40}>
                {initials(requester(a))}
              </Avatar>
            )}
            <div>
              <Text fw={600}>
                {showRequester ? (
                  <>
                    <Tooltip label={a.requestedBy} withArrow>
                      <span data-requester={a.requestedBy}>{requester(a)}</span>
                    </Tooltip>
                    {own ? ' (you)' : ''} asks {a.approverTeam} for access
                  </>
                ) : (
                  <>You asked {a.approverTeam} for access</>
                )}
              </Text>
              <Text size="sm" c="dimmed">
                to launch{' '}
                <Anchor component={Link} href={`/launch/${a.path}`} size="sm">
                  {a.path}
                </Anchor>{' '}
                as environment{' '}
                <Anchor component={Link} href={`/environments/${a.environment}`} size="sm" ff="monospace">
                  {a.environment}
                </Anchor>{' '}
                ·{' '}
                <Tooltip label={dateTime(a.requestedAt)} withArrow>
                  <span>{ago(a.requestedAt)}</span>
                </Tooltip>
              </Text>
            </div>
          </Group>
          <Group gap={6} wrap="nowrap">
            <DataClassBadge dataClass={a.dataClass} />
            <ApprovalStatusBadge approval={a} />
          </Group>
        </Group>

        <Blockquote color="gray" p="sm" radius="md" iconSize={0} styles={{ root: { fontSize: 'var(--mantine-font-size-sm)' } }}>
          “{a.reason}”
        </Blockquote>

        <Group gap={6}>
          <Text size="sm" c="dimmed">
            Datasets
          </Text>
          {a.datasets.map((d) => (
            <Badge key={d} component={Link} href={`/catalog/dataset/default/${encodeURIComponent(d)}`} variant="outline" color="ink" leftSection={<IconDatabase size={12} />} style={{ cursor: 'pointer', textTransform: 'none' }}>
              {d}
            </Badge>
          ))}
        </Group>

        {a.status !== 'pending' && <History approval={a} />}

        {a.status === 'pending' && onDecide && (
          <Group justify="flex-end" gap="sm">
            {own && (
              <Text size="sm" c="dimmed" mr="auto">
                This is your own request: another member of {a.approverTeam} decides it.
              </Text>
            )}
            <Button variant="default" color="red" leftSection={<IconX size={16} />} onClick={() => onDecide('reject')} disabled={own}>
              Reject
            </Button>
            <Button color="green" leftSection={<IconCheck size={16} />} onClick={() => onDecide('approve')} disabled={own}>
              Approve
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function History({ approval: a }: { approval: Approval }) {
  return (
    <Card withBorder={false} shadow="none" bg="var(--mantine-color-gray-0)" padding="sm" radius="md">
      <Stack gap={6}>
        <DecisionLine approval={a} />
        {a.decisionReason && (
          <Text size="sm" c="dimmed">
            “{a.decisionReason}”
          </Text>
        )}
        {a.status === 'approved' && (
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs">
            <Fact label="Granted" value={a.granted ?? (a.revokedAt ? '—' : 'being granted…')} mono={Boolean(a.granted)} />
            <Fact label="Expires" value={a.expiresAt ? `${dateTime(a.expiresAt)}` : '—'} />
            <Fact label="Revoked" value={a.revokedAt ? dateTime(a.revokedAt) : 'no'} />
          </SimpleGrid>
        )}
      </Stack>
    </Card>
  );
}

function Fact({ label, value, mono }: { label: string; value: string; mono?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" ff={mono ? 'monospace' : undefined} style={{ wordBreak: 'break-word' }}>
        {value}
      </Text>
    </div>
  );
}

function DecisionModal({ deciding, onClose, onDecided }: { deciding: { approval: Approval; decision: 'approve' | 'reject' } | null; onClose: () => void; onDecided: (a: Approval) => void }) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (deciding) {
      setReason('');
      setTouched(false);
      setError(null);
    }
  }, [deciding]);
  if (!deciding) return <Modal opened={false} onClose={onClose} />;
  const { approval: a, decision } = deciding;
  const approve = decision === 'approve';
  const missing = !reason.trim();

  async function submit() {
    setTouched(true);
    if (missing) return;
    setBusy(true);
    setError(null);
    try {
      const opts = { params: { path: { id: a.id } }, body: { reason: reason.trim() } };
      const r = await call(approve ? api.POST('/api/v1/approvals/{id}/approve', opts) : api.POST('/api/v1/approvals/{id}/reject', opts));
      onDecided(r);
      onClose();
      notifications.show({
        color: approve ? 'green' : 'gray',
        title: approve ? 'Approved' : 'Rejected',
        message: approve ? `${requester(a)}'s environment ${a.environment} provisions once every owner has approved.` : `${requester(a)} is told why; nothing was provisioned.`,
      });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, undefined, String(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={onClose} centered radius="lg" size="lg" title={<Text fw={600}>{approve ? 'Approve' : 'Reject'} {requester(a)}'s access to {a.datasets.join(', ')}?</Text>}>
      <Stack gap="md">
        <Text size="sm">
          {approve
            ? `${requester(a)} gets ${a.dataClass} access to ${a.datasets.join(', ')} through ${a.environment}; it is revoked when the approval expires or the environment is deleted.`
            : `The launch of ${a.environment} ends and nothing is provisioned. ${requester(a)} sees your reason.`}
        </Text>
        <Blockquote color="gray" p="sm" radius="md" iconSize={0}>
          <Text size="xs" c="dimmed" mb={4}>
            {requester(a)} wrote
          </Text>
          <Text size="sm">“{a.reason}”</Text>
        </Blockquote>
        <Textarea
          label={approve ? 'Why do you approve it?' : 'Why do you reject it?'}
          description="Kept with the decision, for the requester and for audits."
          placeholder={approve ? 'e.g. Churn model for the Q3 retention campaign: agreed with the data owner.' : 'e.g. Use the masked class: the model does not need e-mail addresses.'}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          onBlur={() => setTouched(true)}
          error={touched && missing ? 'Say why: a reason is required' : undefined}
          autosize
          minRows={3}
          required
          data-autofocus
        />
        {error && (
          <Alert color={error.status === 403 ? 'orange' : 'red'} icon={<IconAlertTriangle />} title={error.status === 403 ? 'Not allowed' : error.status === 409 ? 'Already decided' : 'The decision was not saved'} role="alert">
            {error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={approve ? 'green' : 'red'} leftSection={approve ? <IconCheck size={16} /> : <IconX size={16} />} loading={busy} onClick={() => void submit()}>
            {approve ? 'Approve access' : 'Reject request'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

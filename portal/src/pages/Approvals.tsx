import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Anchor, Avatar, Badge, Blockquote, Button, Card, Group, Modal, SegmentedControl, SimpleGrid, Stack, Tabs, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertOctagon, IconAlertTriangle, IconCheck, IconDatabase, IconHistory, IconInbox, IconSend, IconX } from '@tabler/icons-react';
import { Link, useSearch, useLocation } from 'wouter';
import { api, ApiError, call, type Approval } from '../api/client.ts';
import { useUser } from '../auth.tsx';
import { useLoad } from '../lib/use-load.ts';
import { refreshPending } from '../lib/pending.ts';
import { ago, dateTime } from '../lib/format.ts';
import { DataClassBadge } from '../components/badges.tsx';
import { ApprovalStatusBadge, DecisionLine, isBreakGlass } from '../components/approval-status.tsx';
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
  const [breaking, setBreaking] = useState<Approval | null>(null);

  const all = team.data?.approvals ?? [];
  const pending = all.filter((a) => a.status === 'pending');
  const waitingForMe = pending.filter((a) => a.youMay?.decide ?? a.requestedBy !== user.id);
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
            render={(a) => (
              <ApprovalCard key={a.id} approval={a} own={a.requestedBy === user.id} myTeam={user.team} onDecide={(decision) => setDeciding({ approval: a, decision })} onBreakGlass={() => setBreaking(a)} />
            )}
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
      <BreakGlassModal approval={breaking} onClose={() => setBreaking(null)} onDecided={onDecided} />
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

/** Why the reader may not decide a request, in the words of the rule that stops them. */
function whyNot(a: Approval, own: boolean, myTeam?: string): string {
  if (own) return `This is your own request: another member of ${a.approverTeam} decides it.`;
  if (myTeam !== a.approverTeam) return `Only members of ${a.approverTeam}, which owns this data, decide it; you are in ${myTeam ?? 'another team'}.`;
  return 'The policies in force do not let you decide this request.';
}

function ApprovalCard({
  approval: a,
  own,
  myTeam,
  onDecide,
  onBreakGlass,
  showRequester = true,
}: {
  approval: Approval;
  own: boolean;
  myTeam?: string;
  onDecide?: (d: 'approve' | 'reject') => void;
  onBreakGlass?: () => void;
  showRequester?: boolean;
}) {
  // The API says what the policies in force let the reader do; without it (an older platform), the old rule.
  const mayDecide = a.youMay?.decide ?? !own;
  const mayBreakGlass = a.youMay?.breakGlass ?? false;
  const why = mayDecide ? null : whyNot(a, own, myTeam);
  const glass = isBreakGlass(a);
  return (
    <Card padding="lg" data-approval={a.id} data-environment={a.environment} data-break-glass={glass || undefined} style={glass ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined}>
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
                <Tooltip label={a.environment} withArrow>
                  <Anchor component={Link} href={`/environments/${a.environment}`} size="sm" fw={600} data-environment-name={a.environmentName}>
                    {a.environmentName || a.environment}
                  </Anchor>
                </Tooltip>{' '}
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
            {why && (
              <Text size="sm" c="dimmed" mr="auto" style={{ flex: '1 1 260px' }} data-why-not>
                {why}
              </Text>
            )}
            {mayBreakGlass && onBreakGlass && (
              <Tooltip label={`Decide for ${a.approverTeam} as a platform admin: ${a.approverTeam} is told and it is recorded as break-glass`} withArrow multiline w={280}>
                <Button color="red" variant="filled" leftSection={<IconAlertOctagon size={16} />} onClick={onBreakGlass}>
                  Break glass
                </Button>
              </Tooltip>
            )}
            {/* A disabled button gets no pointer events: the tooltip sits on a wrapper. */}
            <Tooltip label={why} disabled={!why} withArrow multiline w={280}>
              <span>
                <Button variant="default" color="red" leftSection={<IconX size={16} />} onClick={() => onDecide('reject')} disabled={!mayDecide}>
                  Reject
                </Button>
              </span>
            </Tooltip>
            <Tooltip label={why} disabled={!why} withArrow multiline w={280}>
              <span>
                <Button color="green" leftSection={<IconCheck size={16} />} onClick={() => onDecide('approve')} disabled={!mayDecide}>
                  Approve
                </Button>
              </span>
            </Tooltip>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function History({ approval: a }: { approval: Approval }) {
  return (
    <Card withBorder={false} shadow="none" bg={isBreakGlass(a) ? 'var(--mantine-color-red-0)' : 'var(--mantine-color-gray-0)'} padding="sm" radius="md">
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
        message: approve ? `${requester(a)}'s environment ${a.environmentName || a.environment} provisions once every owner has approved.` : `${requester(a)} is told why; nothing was provisioned.`,
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
            ? `${requester(a)} gets ${a.dataClass} access to ${a.datasets.join(', ')} through ${a.environmentName || a.environment}; it is revoked when the approval expires or the environment is deleted.`
            : `The launch of ${a.environmentName || a.environment} ends and nothing is provisioned. ${requester(a)} sees your reason.`}
        </Text>
        <RequesterReason approval={a} />
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
        <DecisionActions error={error} busy={busy} onCancel={onClose} onSubmit={() => void submit()} color={approve ? 'green' : 'red'} icon={approve ? <IconCheck size={16} /> : <IconX size={16} />}>
          {approve ? 'Approve access' : 'Reject request'}
        </DecisionActions>
      </Stack>
    </Modal>
  );
}

/** The API's own minimum, said before sending: the owning team reads this reason. */
const BREAK_GLASS_MIN_REASON = 20;

/**
 * A platform admin deciding for an owning team they are not in. Deliberately loud: it is the
 * exception the policies allow, not the way approvals work.
 */
function BreakGlassModal({ approval: a, onClose, onDecided }: { approval: Approval | null; onClose: () => void; onDecided: (a: Approval) => void }) {
  const [decision, setDecision] = useState<'approve' | 'reject'>('approve');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (a) {
      setDecision('approve');
      setReason('');
      setTouched(false);
      setError(null);
    }
  }, [a]);
  if (!a) return <Modal opened={false} onClose={onClose} />;
  const length = reason.trim().length;
  const short = length < BREAK_GLASS_MIN_REASON;

  async function submit() {
    if (!a) return;
    setTouched(true);
    if (short) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call(api.POST('/api/v1/approvals/{id}/break-glass', { params: { path: { id: a.id } }, body: { decision, reason: reason.trim() } }));
      onDecided(r);
      onClose();
      notifications.show({
        color: 'red',
        title: `Break-glass: ${decision === 'approve' ? 'approved' : 'rejected'} for ${a.approverTeam}`,
        message: `${a.approverTeam} is told, and the audit log records it as break-glass.`,
      });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, undefined, String(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened
      onClose={onClose}
      centered
      radius="lg"
      size="lg"
      styles={{ content: { borderTop: '6px solid var(--mantine-color-red-7)' } }}
      title={
        <Group gap={8} wrap="nowrap">
          <IconAlertOctagon size={20} color="var(--mantine-color-red-7)" />
          <Text fw={700} c="red.8">
            Break glass for {a.approverTeam}?
          </Text>
        </Group>
      }
    >
      <Stack gap="md" data-testid="break-glass-modal">
        <Alert color="red" variant="filled" icon={<IconAlertOctagon />} title="You are overriding the team that owns this data">
          You decide for <b>{a.approverTeam}</b>, a team you are not in, on {requester(a)}'s access to {a.datasets.join(', ')} ({a.dataClass}) through environment <b>{a.environmentName || a.environment}</b>.{' '}
          {a.approverTeam} is told at once, with your name and your reason, and the decision is recorded in the audit log as break-glass. Use it only when the owning team cannot decide in time.
        </Alert>
        <RequesterReason approval={a} />
        <div>
          <Text size="sm" fw={500} mb={6}>
            Your decision
          </Text>
          <SegmentedControl
            value={decision}
            onChange={(v) => setDecision(v as 'approve' | 'reject')}
            color={decision === 'approve' ? 'red' : 'gray'}
            data={[
              { value: 'approve', label: 'Approve access' },
              { value: 'reject', label: 'Reject request' },
            ]}
            aria-label="Break-glass decision"
          />
        </div>
        <Textarea
          label="Why must you decide instead of the owning team?"
          description={`At least ${BREAK_GLASS_MIN_REASON} characters. ${a.approverTeam} reads it, and it stays in the audit log.`}
          placeholder="e.g. Incident 42: fraud ring active now; churn-analytics on-call unreachable for 2 hours."
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          onBlur={() => setTouched(true)}
          error={touched && short ? `A real reason is required: ${length} of ${BREAK_GLASS_MIN_REASON} characters` : undefined}
          autosize
          minRows={3}
          required
          data-autofocus
        />
        <DecisionActions error={error} busy={busy} onCancel={onClose} onSubmit={() => void submit()} color="red" icon={<IconAlertOctagon size={16} />}>
          {decision === 'approve' ? 'Break glass and approve' : 'Break glass and reject'}
        </DecisionActions>
      </Stack>
    </Modal>
  );
}

/** Why a decision was not saved: not allowed, already decided, or something else. */
/** The requester's own words, quoted above a decision. */
function RequesterReason({ approval: a }: { approval: Approval }) {
  return (
    <Blockquote color="gray" p="sm" radius="md" iconSize={0}>
      <Text size="xs" c="dimmed" mb={4}>
        {requester(a)} wrote
      </Text>
      <Text size="sm">“{a.reason}”</Text>
    </Blockquote>
  );
}

/** Under a decision's reason: why the last try was not saved, then Cancel and the decision's own button. */
function DecisionActions({ error, busy, onCancel, onSubmit, color, icon, children }: { error: ApiError | null; busy: boolean; onCancel: () => void; onSubmit: () => void; color: string; icon: ReactNode; children: ReactNode }) {
  return (
    <>
      <DecisionError error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button color={color} leftSection={icon} loading={busy} onClick={onSubmit}>
          {children}
        </Button>
      </Group>
    </>
  );
}

function DecisionError({ error }: { error: { status: number; message: string } | null | undefined }) {
  if (!error) return null;
  return (
    <Alert color={error.status === 403 ? 'orange' : 'red'} icon={<IconAlertTriangle />} title={error.status === 403 ? 'Not allowed' : error.status === 409 ? 'Already decided' : 'The decision was not saved'} role="alert">
      {error.message}
    </Alert>
  );
}

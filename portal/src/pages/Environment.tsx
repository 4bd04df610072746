import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, Anchor, Box, Breadcrumbs, Button, Card, Grid, Group, List, Loader, Modal, Progress, Stack, Switch, Tabs, Text, TextInput, Timeline, Title, Tooltip, Badge, Divider } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconExternalLink, IconTrash, IconAlertTriangle, IconCircleCheck, IconCircleX, IconPlayerPlay, IconFlag, IconTrashX, IconCode, IconHourglass, IconShieldCheck, IconPlayerStop, IconPlayerPause, IconLock, IconAlertOctagon } from '@tabler/icons-react';
import { Link } from 'wouter';
import { api, ApiError, call, streamEnvironment, type Approval, type EnvEvent, type Environment, type Resource } from '../api/client.ts';
import { ApprovalStatusBadge, DecisionLine } from '../components/approval-status.tsx';
import { useUser } from '../auth.tsx';
import { useLoad } from '../lib/use-load.ts';
import { ago, dateTime, duration, time } from '../lib/format.ts';
import { snippetsFor, isSecretOutput } from '../lib/snippets.ts';
import { DataClassBadge, shownEnvironmentStatus, shownResourceStatus, StatusBadge } from '../components/badges.tsx';
import { ResourceIcon, resourceInfo } from '../components/resource-icon.tsx';
import { CopyIcon, OutputRow } from '../components/copy.tsx';
import { outputLabel } from '../lib/output-labels.ts';
import { ErrorState, LoadingCards } from '../components/states.tsx';
import { ExtendButton, expiryText } from '../components/lifetime.tsx';
import { BuildStatus } from '../components/build-status.tsx';
import { SqlConsoleLink } from '../components/sql-console-link.tsx';

// Resource types a browser can open; for the others the URL is for a tool (git, psql, an S3 client).
const browsable = new Set(['notebook', 'ide', 'service', 'site-preview']);
const primaryAction: Record<string, string> = { 'git-repo': 'Copy clone URL', warehouse: 'Copy connection URL', database: 'Copy connection URL', bucket: 'Copy endpoint' };

export default function EnvironmentPage({ id }: { id: string }) {
  const loaded = useLoad(async () => {
    const [env, events] = await Promise.all([
      call(api.GET('/api/v1/environments/{id}', { params: { path: { id } } })),
      call(api.GET('/api/v1/environments/{id}/events', { params: { path: { id }, query: {} } })),
    ]);
    return { env, events: events.events };
  }, [id]);
  const [env, setEnv] = useState<Environment | null>(null);
  const [events, setEvents] = useState<EnvEvent[]>([]);

  useEffect(() => {
    if (!loaded.data) return;
    setEnv(loaded.data.env);
    setEvents(loaded.data.events);
  }, [loaded.data]);

  // Live: new events and the environment after each batch, until it is gone.
  const gone = env?.status === 'deleted';
  useEffect(() => {
    if (!loaded.data || gone) return;
    const last = loaded.data.events.at(-1)?.id ?? 0;
    return streamEnvironment(id, {
      onEnvironment: setEnv,
      onEvent: (e) => e.id > last && setEvents((prev) => (prev.some((p) => p.id === e.id) ? prev : [...prev, e])),
    });
  }, [id, loaded.data, gone]);

  if (loaded.loading && !loaded.data) return <LoadingCards count={3} height={160} />;
  if (loaded.error)
    return (
      <ErrorState
        error={loaded.error}
        onRetry={loaded.reload}
        title={loaded.error instanceof ApiError && loaded.error.status === 404 ? 'This environment does not exist' : loaded.error instanceof ApiError && loaded.error.status === 403 ? 'This environment belongs to another team' : undefined}
      />
    );
  if (!env) return null;
  return <EnvironmentView env={env} events={events} onChange={setEnv} />;
}

function EnvironmentView({ env, events, onChange }: { env: Environment; events: EnvEvent[]; onChange: (e: Environment) => void }) {
  const user = useUser();
  const [confirming, setConfirming] = useState(false);
  const [powering, setPowering] = useState<'stop' | 'start' | null>(null);
  const took = duration(env.createdAt, env.readyAt);
  const snippets = useMemo(() => snippetsFor(env.resources), [env.resources]);
  const deleted = env.status === 'deleted' || env.status === 'deleting';
  const approvals = useEnvironmentApprovals(env, events);
  const waitingFor = approvals.filter((a) => a.status === 'pending').map((a) => a.approverTeam);
  const pendingTeams = waitingFor.length ? waitingFor : [...new Set(approvals.map((a) => a.approverTeam))];
  const starting = env.desired === 'ready' && (env.status === 'requested' || env.status === 'provisioning') && lastPowerEvent(events) === 'environment.start-requested';
  const approved = approvals.filter((a) => a.status === 'approved' && !a.revokedAt && a.expiresAt);
  const expiresAt = approved.length ? approved.map((a) => a.expiresAt!).sort()[0] : null;

  return (
    <Stack gap="lg" maw={1240} mx="auto">
      <Breadcrumbs separatorMargin={6}>
        <Anchor component={Link} href={env.owner === user.id ? '/environments' : '/team'} size="sm">
          {env.owner === user.id ? 'My environments' : 'Team environments'}
        </Anchor>
        <Text size="sm" c="dimmed">
          {env.name}
        </Text>
      </Breadcrumbs>

      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={6}>
          <Group gap="sm" data-env-status={env.status}>
            <Title order={1} fz={{ base: 22, sm: 28 }} style={{ wordBreak: 'break-word' }}>
              {env.name}
            </Title>
            <StatusBadge status={shownEnvironmentStatus(env)} size="lg" />
          </Group>
          <Text c="dimmed" size="sm">
            <Anchor component={Link} href={`/launch/${env.path}`} size="sm" underline="always">
              {env.path}
            </Anchor>{' '}
            · launched by <b>{env.owner}</b> for team <b>{env.team}</b> {ago(env.createdAt)}
            {took && env.status === 'ready' ? ` · ready in ${took}` : ''}
          </Text>
        </Stack>
        {!deleted && (
          <Group gap="sm">
            {env.status === 'ready' && (
              <Button variant="default" leftSection={<IconPlayerStop size={16} />} onClick={() => setPowering('stop')}>
                Stop environment
              </Button>
            )}
            {env.status === 'stopped' && (
              <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => setPowering('start')}>
                Start environment
              </Button>
            )}
            <ExtendButton env={env} onChange={onChange} />
            <Button color="red" variant="light" leftSection={<IconTrash size={16} />} onClick={() => setConfirming(true)}>
              Delete environment
            </Button>
          </Group>
        )}
      </Group>

      {(env.status === 'stopping' || starting) && <PowerProgress env={env} action={starting ? 'start' : 'stop'} />}
      {env.status === 'stopped' && (
        <Alert color="violet" icon={<IconPlayerPause />} title="Stopped" data-testid="stopped">
          {runningTypes(env).length ? `The ${runningLabels(env)} is not running; its files` : 'Its work'}
          {keptLabels(env) ? `, the ${keptLabels(env)} are kept.` : ' is kept.'} Start the environment to pick up where you left off.
        </Alert>
      )}

      {env.status === 'failed' && (
        <Alert color="red" icon={<IconAlertTriangle />} title="This environment failed">
          {env.reason ?? 'A resource could not be provisioned.'} Delete it and launch again; the events below show where it stopped.
        </Alert>
      )}
      {env.status === 'awaiting-approval' && (
        <Alert color="orange" icon={<IconHourglass />} title={pendingTeams.length ? `Awaiting approval from ${listOf(pendingTeams)}` : 'Awaiting approval'} data-testid="awaiting-approval">
          This path reads {env.dataClass ?? 'governed'} data, so the teams that own it decide first: they see your reason in their approvals inbox. Provisioning starts by itself, in about a second, once
          every one of them has approved; this page updates live.{' '}
          {env.owner === user.id && (
            <Anchor component={Link} href="/approvals?tab=mine" size="sm">
              See your requests
            </Anchor>
          )}
        </Alert>
      )}
      {env.status === 'deleted' && (
        <Alert color="gray" icon={<IconTrashX />} title="Deleted">
          Every resource was removed {ago(env.deletedAt)}. <Anchor component={Link} href={`/launch/${env.path}`} underline="always">Launch {env.path} again</Anchor> if you need it back.
        </Alert>
      )}

      {env.credentialsHidden && !deleted && (
        <Alert color="gray" variant="light" icon={<IconLock />} title="Credentials hidden" data-testid="credentials-hidden">
          Only the owner (and, for non-sensitive data, their team) can use them. You see what this environment holds and where; {env.owner} has its credentials.
        </Alert>
      )}

      {!deleted && <SqlConsoleLink env={env} />}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="lg">
            {[...env.resources].sort(byTypeOrder).map((r) => (
              <ResourceCard key={r.id} resource={r} env={env} />
            ))}
            {snippets.length > 0 && !deleted && !env.credentialsHidden && <Snippets snippets={snippets} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="lg">
            <Card padding="lg">
              <Text fw={600} mb="sm">
                Details
              </Text>
              <Stack gap={10}>
                <Detail label="Owner" value={env.owner} />
                <Detail label="Team" value={env.team} />
                <Detail label="Data class" value={<DataClassBadge dataClass={env.dataClass} size="xs" />} />
                <Detail label="Golden path" value={env.path} />
                <Detail label="Created" value={dateTime(env.createdAt)} />
                <Detail label="Ready" value={env.readyAt ? `${dateTime(env.readyAt)}${took ? ` (${took})` : ''}` : '—'} />
                <Detail label="Expires" value={expiryText(env, expiresAt)} />
                <Detail label="Last activity" value={env.lastActivityAt ? ago(env.lastActivityAt) : '—'} />
                <Detail label="Id" value={<Text size="sm" ff="monospace">{env.id}</Text>} />
              </Stack>
              {Object.keys(env.params).length > 0 && (
                <>
                  <Divider my="md" />
                  <Text fw={600} size="sm" mb={6}>
                    Parameters
                  </Text>
                  <Stack gap={6}>
                    {Object.entries(env.params).map(([k, v]) => (
                      <Detail key={k} label={k} value={typeof v === 'string' ? v : JSON.stringify(v)} />
                    ))}
                  </Stack>
                </>
              )}
            </Card>
            {approvals.length > 0 && <ApprovalsCard approvals={approvals} />}
            <Card padding="lg">
              <Text fw={600} mb="md">
                Events
              </Text>
              <EventTimeline events={events} />
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>

      <DeleteModal env={env} opened={confirming} onClose={() => setConfirming(false)} onDeleted={onChange} />
      <PowerModal env={env} action={powering} onClose={() => setPowering(null)} onDone={onChange} />
    </Stack>
  );
}

function Detail({ label, value }: { label: string; value: ReactNode }) {
  return (
    <Group justify="space-between" gap="md" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Box ta="right" style={{ minWidth: 0, wordBreak: 'break-word' }}>
        {typeof value === 'string' ? <Text size="sm">{value}</Text> : value}
      </Box>
    </Group>
  );
}

// What a person needs first for each type; the rest sits behind "more details".
const primaryOutputs: Record<string, string[]> = {
  notebook: ['url', 'token'],
  ide: ['url', 'token', 'password'],
  'git-repo': ['url', 'username', 'password'],
  warehouse: ['url', 'username', 'password'],
  database: ['url', 'username', 'password'],
  bucket: ['url', 'bucket', 'accessKeyId', 'secretAccessKey'],
};
const hiddenOutputs = new Set(['port', 'baseUrl', 'dataClass']);
const typeOrder = ['notebook', 'ide', 'git-repo', 'warehouse', 'database', 'bucket', 'llm', 'service', 'schedule'];
export const byTypeOrder = (a: Resource, b: Resource) => {
  const ia = typeOrder.indexOf(a.type);
  const ib = typeOrder.indexOf(b.type);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.id.localeCompare(b.id);
};

function ResourceCard({ resource: r, env }: { resource: Resource; env: Environment }) {
  const [more, setMore] = useState(false);
  const info = resourceInfo(r.type);
  const url = typeof r.outputs.url === 'string' ? r.outputs.url : '';
  const canOpen = r.status === 'ready' && browsable.has(r.type) && /^https?:\/\//.test(url);
  const stopped = r.status === 'stopped';
  const all = Object.entries(r.outputs).filter(([k, v]) => !hiddenOutputs.has(k) && !(k === 'endpoint' && v === url));
  const primary = primaryOutputs[r.type];
  const first = primary ? all.filter(([k]) => primary.includes(k)).sort(([a], [b]) => primary.indexOf(a) - primary.indexOf(b)) : all;
  const rest = primary ? all.filter(([k]) => !primary.includes(k)) : [];
  const row = ([k, v]: [string, unknown]) => {
    const text = Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : JSON.stringify(v);
    if (isHiddenValue(text)) return <HiddenOutputRow key={k} label={k} why={text} />;
    return <OutputRow key={k} label={k} value={text} secret={isSecretOutput(k, text)} />;
  };
  return (
    <Card padding="lg" className="gp-card" data-resource={r.id} data-type={r.type}>
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="sm" wrap="nowrap">
            <ResourceIcon type={r.type} size={40} />
            <div>
              <Group gap={8}>
                <Text fw={600}>{info.label}</Text>
                <StatusBadge status={shownResourceStatus(env, r, browsable.has(r.type))} size="xs" />
              </Group>
              <Text size="xs" c="dimmed">
                {r.id}
              </Text>
            </div>
          </Group>
          {stopped && browsable.has(r.type) && (
            <Button disabled leftSection={<IconExternalLink size={16} />} aria-label={`Open ${r.id}`} data-open={r.id}>
              Open {r.type === 'notebook' ? 'notebook' : info.label}
            </Button>
          )}
          {r.status === 'ready' && url && (
            canOpen ? (
              <Button component="a" href={url} target="_blank" rel="noopener noreferrer" leftSection={<IconExternalLink size={16} />} aria-label={`Open ${r.id}`} data-open={r.id}>
                Open {r.type === 'notebook' ? 'notebook' : info.label}
              </Button>
            ) : (
              <CopyUrlButton url={url} label={primaryAction[r.type] ?? 'Copy URL'} />
            )
          )}
        </Group>
        {stopped && (
          <div data-stopped={r.id}>
            <Text size="sm" fw={500} c="violet.8">
              Stopped — start the environment to open it
            </Text>
            <Text size="xs" c="dimmed">
              Its files are kept, and its URL stays the same when it starts again.
            </Text>
          </div>
        )}
        {r.error && (
          <Text size="sm" c="red">
            {r.error}
          </Text>
        )}
        {typeof r.outputs.buildStatus === 'string' && r.status === 'ready' && <BuildStatus env={env} resource={r} />}
        {r.status === 'ready' && first.length > 0 && (
          <Stack gap={4}>
            {first.map(row)}
            {more && rest.map(row)}
            {rest.length > 0 && (
              <Anchor component="button" type="button" size="xs" onClick={() => setMore((m) => !m)} ta="left" mt={2} aria-expanded={more}>
                {more ? 'Fewer details' : `${rest.length} more detail${rest.length > 1 ? 's' : ''}: ${rest.map(([k]) => k).join(', ')}`}
              </Anchor>
            )}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

// The API's marker for a credential the reader may not use (src/domain/environment/credentials.ts HIDDEN).
const isHiddenValue = (value: string) => value.startsWith('(hidden: ');

/** A credential the reader may not use: said so, with nothing to show or copy. */
function HiddenOutputRow({ label, why }: { label: string; why: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="center" data-output={label} data-hidden>
      <Text size="xs" c="dimmed" w={112} style={{ flexShrink: 0 }}>
        {outputLabel(label)}
      </Text>
      <Tooltip label={why.replace(/^\(hidden: |\)$/g, '')} withArrow>
        <Group gap={4} wrap="nowrap" c="dimmed">
          <IconLock size={14} />
          <Text size="sm" c="dimmed" fs="italic">
            hidden
          </Text>
        </Group>
      </Tooltip>
    </Group>
  );
}

function CopyUrlButton({ url, label }: { url: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="light"
      color={copied ? 'teal' : 'ink'}
      onClick={() => {
        void navigator.clipboard?.writeText(url).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1600);
        });
      }}
    >
      {copied ? 'Copied' : label}
    </Button>
  );
}

function Snippets({ snippets }: { snippets: ReturnType<typeof snippetsFor> }) {
  const [reveal, setReveal] = useState(false);
  return (
    <Card padding="lg">
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <IconCode size={18} />
          <Text fw={600}>Start working</Text>
        </Group>
        <Switch size="sm" label="Show credentials" checked={reveal} onChange={(e) => setReveal(e.currentTarget.checked)} />
      </Group>
      <Tabs defaultValue={snippets[0].id} variant="pills" radius="md">
        <Tabs.List mb="sm">
          {snippets.map((s) => (
            <Tabs.Tab key={s.id} value={s.id}>
              {s.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {snippets.map((s) => (
          <Tabs.Panel key={s.id} value={s.id}>
            <Box pos="relative">
              {/* Focusable, so that a keyboard can scroll a long line too. */}
              <pre className="gp-snippet" data-snippet={s.id} aria-label={`${s.label} snippet`} tabIndex={0}>
                {reveal ? s.code : s.masked}
              </pre>
              <Box pos="absolute" top={8} right={8}>
                <Tooltip label="Copies with credentials" withArrow>
                  <span>
                    <CopyIcon value={s.code} label={`${s.label} snippet`} light />
                  </span>
                </Tooltip>
              </Box>
            </Box>
          </Tabs.Panel>
        ))}
      </Tabs>
    </Card>
  );
}

const listOf = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}` : (xs[0] ?? ''));

/**
 * The approval requests of this environment (`?environment=`: anyone who may see the environment
 * may read them). Reloaded whenever an approval event arrives.
 */
function useEnvironmentApprovals(env: Environment, events: EnvEvent[]): Approval[] {
  const [list, setList] = useState<Approval[]>([]);
  const approvalEvents = events.filter((e) => e.type.startsWith('approval.') || e.type === 'environment.requested').length;
  const governed = env.dataClass === 'sensitive' || events.some((e) => e.type.startsWith('approval.'));
  useEffect(() => {
    if (!governed) return;
    let stale = false;
    void call(api.GET('/api/v1/approvals', { params: { query: { environment: env.id } } }))
      .then((r) => r.approvals)
      .catch(() => [] as Approval[])
      .then((all) => {
        if (!stale) setList(all.filter((a) => a.environment === env.id).sort((a, b) => a.approverTeam.localeCompare(b.approverTeam)));
      });
    return () => {
      stale = true;
    };
  }, [env.id, env.status, governed, approvalEvents]);
  return list;
}

function ApprovalsCard({ approvals }: { approvals: Approval[] }) {
  return (
    <Card padding="lg" data-testid="environment-approvals">
      <Group gap={8} mb="sm">
        <IconShieldCheck size={18} />
        <Text fw={600}>Data access approval</Text>
      </Group>
      <Stack gap="md">
        {approvals.map((a) => (
          <Stack key={a.id} gap={4} data-approval-team={a.approverTeam}>
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm" fw={500}>
                {a.approverTeam}
              </Text>
              <ApprovalStatusBadge approval={a} size="xs" />
            </Group>
            <Text size="xs" c="dimmed">
              {a.datasets.join(', ')}
            </Text>
            <DecisionLine approval={a} />
            {a.decisionReason && (
              <Text size="sm" c="dimmed" fs="italic">
                “{a.decisionReason}”
              </Text>
            )}
            {a.status === 'approved' && a.expiresAt && (
              <Text size="xs" c="dimmed">
                {a.revokedAt ? `Revoked ${dateTime(a.revokedAt)}` : `Expires ${dateTime(a.expiresAt)}`}
                {a.granted ? ` · grant ${a.granted}` : ''}
              </Text>
            )}
          </Stack>
        ))}
        <Text size="xs" c="dimmed">
          Asked by {approvals[0].requestedByName || approvals[0].requestedBy} {ago(approvals[0].requestedAt)}: “{approvals[0].reason}”
        </Text>
      </Stack>
    </Card>
  );
}

function eventLook(e: EnvEvent) {
  if (e.type === 'environment.stop-requested') return { color: 'violet', icon: <IconPlayerStop size={12} /> };
  if (e.type === 'environment.start-requested') return { color: 'ink', icon: <IconPlayerPlay size={12} /> };
  if (e.type.endsWith('.stopping')) return { color: 'violet', icon: <IconPlayerStop size={12} /> };
  if (e.type.endsWith('.stopped')) return { color: 'violet', icon: <IconPlayerPause size={12} /> };
  if (e.type === 'approval.requested') return { color: 'orange', icon: <IconHourglass size={12} /> };
  if (e.type.startsWith('approval.break-glass.')) return { color: 'red', icon: <IconAlertOctagon size={14} /> };
  if (e.type === 'approval.approved') return { color: 'green', icon: <IconShieldCheck size={12} /> };
  if (e.type === 'approval.rejected' || e.type === 'approval.expired') return { color: 'red', icon: <IconCircleX size={14} /> };
  if (e.type.endsWith('.ready')) return { color: 'green', icon: <IconCircleCheck size={14} /> };
  if (e.type.endsWith('.failed')) return { color: 'red', icon: <IconCircleX size={14} /> };
  if (e.type.includes('delet')) return { color: 'gray', icon: <IconTrashX size={14} /> };
  if (e.type.endsWith('.requested')) return { color: 'ink', icon: <IconFlag size={14} /> };
  return { color: 'blue', icon: <IconPlayerPlay size={12} /> };
}

function EventTimeline({ events }: { events: EnvEvent[] }) {
  if (!events.length)
    return (
      <Text size="sm" c="dimmed">
        No events yet.
      </Text>
    );
  return (
    <Timeline active={events.length} bulletSize={22} lineWidth={2} aria-label="Events" color="ink">
      {events.map((e) => {
        const look = eventLook(e);
        return (
          <Timeline.Item key={e.id} bullet={look.icon} color={look.color} title={<Text size="sm" c={e.type.startsWith('approval.break-glass.') ? 'red.8' : undefined} fw={e.type.startsWith('approval.break-glass.') ? 600 : undefined}>{e.message}</Text>} data-event={e.type}>
            <Group gap={6}>
              <Text size="xs" c="dimmed">
                {time(e.at)}
              </Text>
              {e.resource && (
                <Badge size="xs" variant="outline" color="gray">
                  {e.resource}
                </Badge>
              )}
            </Group>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

const deletingNotice = (id: string) => `deleting-${id}`;

/**
 * Shows "Deleting" until the deletion ends, wherever the person goes meanwhile: the notice follows
 * the environment's own stream, not the page's, which ends when they leave it.
 */
function showDeletion(env: Environment) {
  notifications.show({ id: deletingNotice(env.id), loading: true, autoClose: false, color: 'gray', title: 'Deleting', message: `${env.name}: its resources are being removed.` });
  const stop = streamEnvironment(env.id, {
    onEnvironment: (now) => {
      if (now.status === 'deleted') {
        notifications.update({ id: deletingNotice(env.id), loading: false, color: 'gray', title: 'Deleted', message: `${env.name}: every resource was removed.`, autoClose: 4000 });
        stop();
      } else if (now.status === 'failed') {
        notifications.update({ id: deletingNotice(env.id), loading: false, color: 'red', title: 'Not deleted', message: `${env.name}: ${now.reason ?? 'its deletion failed'}; the platform tries again.`, autoClose: 12_000 });
        stop();
      }
    },
  });
}

function DeleteModal({ env, opened, onClose, onDeleted }: { env: Environment; opened: boolean; onClose: () => void; onDeleted: (e: Environment) => void }) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (opened) {
      setTyped('');
      setError(null);
    }
  }, [opened]);
  const matches = typed.trim() === env.name;
  async function confirm() {
    if (!matches || busy) return;
    setBusy(true);
    setError(null);
    try {
      const e = await call(api.DELETE('/api/v1/environments/{id}', { params: { path: { id: env.id } } }));
      onDeleted(e);
      onClose();
      showDeletion(env);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Delete {env.name}?</Text>} centered radius="lg">
      {/* A form, so that Enter in the field deletes once the name matches. */}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        <Stack gap="md">
          <Text size="sm">
            This removes its {env.resources.map((r) => r.id).join(', ')}: the repository, the bucket's objects and the notebook's files are gone for good. Push what you want to keep first.
          </Text>
          <TextInput label={`Type ${env.name} to confirm`} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} data-autofocus autoComplete="off" />
          {error && (
            <Text c="red" size="sm" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Keep it
            </Button>
            <Button type="submit" color="red" leftSection={<IconTrash size={16} />} disabled={!matches} loading={busy}>
              Delete environment
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}


const powerEvents = new Set(['environment.stop-requested', 'environment.start-requested']);
const lastPowerEvent = (events: EnvEvent[]) => events.findLast((e) => powerEvents.has(e.type))?.type;

/** What a stop ends (processes: notebook, IDE, service) and what it keeps (everything else). */
const runningTypes = (env: Environment) => [...env.resources].sort(byTypeOrder).filter((r) => browsable.has(r.type));
const keptTypes = (env: Environment) => [...env.resources].sort(byTypeOrder).filter((r) => !browsable.has(r.type));
const labelOf = (r: Resource) => resourceInfo(r.type).purpose;
const runningLabels = (env: Environment) => listOf([...new Set(runningTypes(env).map(labelOf))]);
const keptLabels = (env: Environment) => listOf([...new Set(keptTypes(env).map(labelOf))]);

/** Live progress of a stop or a start, from the environment's stream. */
function PowerProgress({ env, action }: { env: Environment; action: 'stop' | 'start' }) {
  const moving = runningTypes(env);
  const total = moving.length || 1;
  const done = moving.filter((r) => r.status === (action === 'stop' ? 'stopped' : 'ready')).length;
  return (
    <Card padding="md" data-testid="power-progress" aria-live="polite" style={{ borderColor: `var(--mantine-color-${action === 'stop' ? 'violet' : 'ink'}-3)` }}>
      <Group gap="sm" mb={8} wrap="nowrap">
        <Loader size={16} color={action === 'stop' ? 'violet' : 'ink'} />
        <Text fw={600} size="sm">
          {action === 'stop' ? `Stopping the ${runningLabels(env) || 'environment'}` : `Starting the ${runningLabels(env) || 'environment'} again`}
        </Text>
        <Text size="sm" c="dimmed">
          {done} of {moving.length} {action === 'stop' ? 'stopped' : 'ready'}
        </Text>
      </Group>
      <Progress value={Math.max(5, (done / total) * 100)} color={action === 'stop' ? 'violet' : 'ink'} animated size="md" radius="xl" aria-label={`${done} of ${moving.length} ${action === 'stop' ? 'stopped' : 'ready'}`} />
    </Card>
  );
}

function PowerModal({ env, action, onClose, onDone }: { env: Environment; action: 'stop' | 'start' | null; onClose: () => void; onDone: (e: Environment) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (action) setError(null);
  }, [action]);
  const stop = action === 'stop';
  const running = runningLabels(env) || 'running processes';
  const kept = keptLabels(env);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const path = { params: { path: { id: env.id } } };
      const e = await call(stop ? api.POST('/api/v1/environments/{id}/stop', path) : api.POST('/api/v1/environments/{id}/start', path));
      onDone(e);
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal opened={action !== null} onClose={onClose} title={<Text fw={600}>{stop ? `Stop ${env.name}?` : `Start ${env.name} again?`}</Text>} centered radius="lg">
      <Stack gap="md">
        {stop ? (
          <List size="sm" spacing={6}>
            <List.Item>
              <b>Ends:</b> the {running}. Save open notebooks first: what is not saved is lost.
            </List.Item>
            <List.Item>
              <b>Kept:</b> the notebook's files{kept ? `, the ${kept}` : ''}.
            </List.Item>
            <List.Item>Start it again from this page whenever you need it.</List.Item>
          </List>
        ) : (
          <Text size="sm">
            The {running} starts again with its files, in a few seconds, at the same URL.
          </Text>
        )}
        {error && (
          <Text c="red" size="sm" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={stop ? 'violet' : 'ink'} leftSection={stop ? <IconPlayerStop size={16} /> : <IconPlayerPlay size={16} />} loading={busy} onClick={() => void confirm()} data-autofocus>
            {stop ? 'Stop environment' : 'Start environment'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

// Settings: how the portal looks (light, dark, as the system), which notifications the bell shows,
// and the person's API tokens (list, create with the secret shown once, revoke).
import { useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Code, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconKey, IconTrash } from '@tabler/icons-react';
import { api, ApiError, call } from '../api/client.ts';
import type { paths } from '../api/schema.ts';
import { useAuth, useUser } from '../auth.tsx';
import { defaultLaunchTeam, setDefaultLaunchTeam } from '../lib/launch-preferences.ts';
import { ColorSchemeChoice } from '../components/color-scheme.tsx';
import { CopyIcon } from '../components/copy.tsx';
import { noticeKindLabel } from '../components/notifications.tsx';
import { ErrorState, LoadingCards } from '../components/states.tsx';
import { ago, dateTime } from '../lib/format.ts';
import { setHiddenNoticeKinds, useNoticePreferences } from '../lib/notice-preferences.ts';
import { useLoad } from '../lib/use-load.ts';

type Token = paths['/api/v1/tokens']['get']['responses'][200]['content']['application/json']['tokens'][number];

function NewTokenForm({ onCreated }: { onCreated: (secret: string) => void }) {
  const [label, setLabel] = useState('');
  const [days, setDays] = useState<number | string>(90);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const made = await call(api.POST('/api/v1/tokens', { body: { label, days: Number(days) } }));
      setLabel('');
      onCreated(made.token);
    } catch (err) {
      setError(err instanceof ApiError ? (err.details[0]?.message ?? err.message) : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Group align="flex-end" gap="sm">
        <TextInput label="Label" description="Where you will use it" placeholder="laptop, ci" value={label} onChange={(e) => setLabel(e.currentTarget.value)} required error={error} w={240} />
        <NumberInput label="Works for (days)" description="1 to 365" min={1} max={365} value={days} onChange={setDays} w={150} />
        <Button type="submit" loading={busy} leftSection={<IconKey size={16} />}>
          Create token
        </Button>
      </Group>
    </form>
  );
}

function TokensCard() {
  const { signOut } = useAuth();
  const tokens = useLoad(() => call(api.GET('/api/v1/tokens')), []);
  const [secret, setSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const revoke = async (t: Token) => {
    await call(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: t.id } } }));
    setRevoking(null);
    if (t.current) await signOut();
    else tokens.reload();
  };
  return (
    <Card>
      <Title order={2} fz="lg" mb={4}>
        API tokens
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        For the CLI (<Code>GOLDPATH_TOKEN</Code>) and automation. A token acts as you; revoke one you no longer use.
      </Text>
      <NewTokenForm onCreated={(s) => { setSecret(s); tokens.reload(); }} />
      {secret && (
        <Alert color="teal" mt="md" title="Copy your new token now: it is not shown again" withCloseButton closeButtonLabel="Dismiss new token" onClose={() => setSecret(null)} data-testid="new-token">
          <Group gap="xs" wrap="nowrap">
            <Code className="gp-secret" style={{ flex: 1 }}>{secret}</Code>
            <CopyIcon value={secret} label="token" />
          </Group>
        </Alert>
      )}
      {tokens.loading && !tokens.data && <LoadingCards count={1} height={80} />}
      {tokens.error && <ErrorState error={tokens.error} onRetry={tokens.reload} />}
      {tokens.data && (
        <Table.ScrollContainer minWidth={560} mt="md">
          <Table verticalSpacing="xs" aria-label="Your API tokens">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Label</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th><span className="gp-sr-only">Actions</span></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.tokens.map((t) => (
                <Table.Tr key={t.id} data-token={t.label}>
                  <Table.Td>
                    <Text size="sm" fw={600} span>{t.label}</Text>{' '}
                    {t.current && <Badge size="xs" variant="light">this session</Badge>}
                  </Table.Td>
                  <Table.Td>{t.kind === 'cli' ? 'API' : 'Sign-in'}</Table.Td>
                  <Table.Td title={dateTime(t.createdAt)}>{ago(t.createdAt)}</Table.Td>
                  <Table.Td title={dateTime(t.expiresAt)}>{ago(t.expiresAt)}</Table.Td>
                  <Table.Td>{t.lastUsedAt ? ago(t.lastUsedAt) : 'never'}</Table.Td>
                  <Table.Td ta="right">
                    <Button size="compact-sm" variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={() => setRevoking(t)} aria-label={`Revoke ${t.label}`}>
                      Revoke
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title={`Revoke “${revoking?.label ?? ''}”?`}>
        <Text size="sm" mb="md">
          {revoking?.current ? 'This is the token of this session: revoking it signs you out here.' : 'Anything using this token stops working at once.'}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setRevoking(null)}>Keep it</Button>
          <Button color="red" onClick={() => revoking && void revoke(revoking)} data-autofocus>
            Revoke
          </Button>
        </Group>
      </Modal>
    </Card>
  );
}

function NotificationsCard() {
  const { hidden } = useNoticePreferences();
  const kinds = Object.keys(noticeKindLabel);
  return (
    <Card>
      <Title order={2} fz="lg" mb={4}>
        Notifications
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        What the bell shows in this browser. Break-glass decisions about your team’s data always show.
      </Text>
      <Checkbox.Group value={kinds.filter((k) => !hidden.includes(k))} onChange={(shown) => setHiddenNoticeKinds(kinds.filter((k) => !shown.includes(k)))} aria-label="Notification kinds to show">
        <Group gap="md">
          {kinds.map((k) => (
            <Checkbox key={k} value={k} label={noticeKindLabel[k]} disabled={k === 'break-glass'} />
          ))}
        </Group>
      </Checkbox.Group>
    </Card>
  );
}

/** Only for people in more than one team (or admins, who launch for any): which one the launch form starts with. */
function LaunchTeamCard() {
  const user = useUser();
  const teams = useLoad(() => call(api.GET('/api/v1/teams')), []);
  const [team, setTeam] = useState<string | null>(() => defaultLaunchTeam(user.id));
  const mine = (teams.data?.teams ?? []).filter((t) => user.isAdmin || t.members.includes(user.id) || t.id === user.team);
  if (mine.length < 2) return null;
  return (
    <Card>
      <Title order={2} fz="lg" mb={4}>
        Launches
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        The team a launch is for unless you pick another; cost and access are attributed to it.
      </Text>
      <Select
        label="Default team"
        w={320}
        data={mine.map((t) => ({ value: t.id, label: t.title }))}
        value={team ?? user.team}
        onChange={(v) => {
          setTeam(v);
          setDefaultLaunchTeam(user.id, v === user.team ? null : v);
        }}
        allowDeselect={false}
      />
    </Card>
  );
}

export default function SettingsPage() {
  return (
    <Stack gap="lg" maw={960} mx="auto">
      <div>
        <Title order={1} fz={28}>
          Settings
        </Title>
        <Text c="dimmed">How the portal looks for you, what it tells you, and the tokens that act as you.</Text>
      </div>
      <Card>
        <Title order={2} fz="lg" mb={4}>
          Appearance
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Kept in this browser.
        </Text>
        <ColorSchemeChoice />
      </Card>
      <NotificationsCard />
      <LaunchTeamCard />
      <TokensCard />
    </Stack>
  );
}

import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Code, Divider, Group, Paper, PasswordInput, SimpleGrid, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconBolt, IconKey, IconShieldLock, IconRoute } from '@tabler/icons-react';
import { api, ApiError, call, type AuthInfo } from '../api/client.ts';
import { useAuth } from '../auth.tsx';
import { useLoad } from '../lib/use-load.ts';
import { Logo } from '../components/logo.tsx';

const points = [
  { icon: IconRoute, title: 'Pick a golden path', text: 'Data science, SQL, GenAI, ML, websites and services, ready-made by your platform team.' },
  { icon: IconBolt, title: 'Working URLs in seconds', text: 'Repository, notebook, bucket and warehouse access appear as soon as you launch.' },
  { icon: IconShieldLock, title: 'Governed by default', text: 'Each path sees only the data class it allows: synthetic, masked or sensitive.' },
];

export function SignInPage() {
  const { signIn } = useAuth();
  const auth = useLoad(() => call(api.GET('/api/v1/auth')), []);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ field?: 'user' | 'password'; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const info: AuthInfo | undefined = auth.data;
  const local = !info || info.methods.includes('local');
  // Single sign-on comes back to the page the person was on, the token in the URL fragment (see auth.tsx).
  const oidc = info?.oidc;
  const oidcHref = oidc ? `${oidc.start}?redirect=${encodeURIComponent(window.location.pathname + window.location.search)}` : undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!user.trim()) return setError({ field: 'user', message: 'Give your user name or e-mail' });
    if (!password) return setError({ field: 'password', message: 'Give your password' });
    setBusy(true);
    setError(null);
    try {
      await signIn(user.trim(), password);
    } catch (err) {
      const msg = err instanceof ApiError ? err.message : String(err);
      setError({ field: err instanceof ApiError && err.status === 401 ? 'password' : undefined, message: msg });
    } finally {
      setBusy(false);
    }
  }

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing={0} mih="100vh">
      <Box className="gp-hero" visibleFrom="md" p={56} style={{ borderRadius: 0, display: 'flex', flexDirection: 'column', justifyContent: 'space-between' }}>
        <Logo />
        <Stack gap={36} maw={480}>
          <Title order={1} fz={40} lh={1.15} c="white">
            From “I need a place to work” to working URLs, <Text span inherit c="gold.4">in about a second.</Text>
          </Title>
          <Stack gap="lg">
            {points.map((p) => (
              <Group key={p.title} wrap="nowrap" align="flex-start" gap="md">
                <ThemeIcon size={40} radius="md" color="gold" variant="light">
                  <p.icon size={22} />
                </ThemeIcon>
                <div>
                  <Text fw={600}>{p.title}</Text>
                  <Text size="sm" c="gray.4">
                    {p.text}
                  </Text>
                </div>
              </Group>
            ))}
          </Stack>
        </Stack>
        <Text size="xs" c="gray.5">
          Goldpath — an internal developer platform for data and application developers
        </Text>
      </Box>
      <Stack justify="center" align="center" p="lg" bg="var(--gp-bg)">
        <Box hiddenFrom="md" mb="md">
          <Logo dark />
        </Box>
        <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 36 }} w="100%" maw={420}>
          <form onSubmit={submit} noValidate aria-label="Sign in">
            <Stack gap="md">
              <div>
                <Title order={2} fz={24}>
                  Sign in
                </Title>
                <Text c="dimmed" size="sm">
                  Use your organisation account to see your golden paths and environments.
                </Text>
              </div>
              {auth.error && (
                <Alert color="red" icon={<IconAlertTriangle />} title="Cannot reach the platform">
                  {auth.error.message} Check that <Code>goldpath up</Code> is running, then reload.
                </Alert>
              )}
              {oidc && (
                <Button component="a" href={oidcHref} size="md" variant="default" leftSection={<IconKey size={16} />}>
                  Sign in with {oidc.name}
                </Button>
              )}
              {oidc && local && <Divider label="or with a local account" labelPosition="center" />}
              {local && (
                <>
                  <TextInput
                    label="User name or e-mail"
                    value={user}
                    onChange={(e) => setUser(e.currentTarget.value)}
                    autoComplete="username"
                    error={error?.field === 'user' ? error.message : undefined}
                    data-autofocus
                    name="user"
                  />
                  <PasswordInput
                    label="Password"
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                    autoComplete="current-password"
                    error={error?.field === 'password' ? error.message : undefined}
                    name="password"
                  />
                  {error && !error.field && (
                    <Text c="red" size="sm" role="alert">
                      {error.message}
                    </Text>
                  )}
                  <Button type="submit" loading={busy} size="md" fullWidth>
                    Sign in
                  </Button>
                  <Text size="xs" c="dimmed">
                    On a platform started with <Code>goldpath up</Code>, each local account has its own password: the operator finds them in the file that <Code>goldpath up</Code> names.
                  </Text>
                </>
              )}
            </Stack>
          </form>
        </Paper>
      </Stack>
    </SimpleGrid>
  );
}

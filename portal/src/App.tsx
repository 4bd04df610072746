import { lazy, Suspense, useEffect } from 'react';
import { AppShell, Avatar, Burger, Center, Group, Loader, Menu, NavLink, ScrollArea, Text, UnstyledButton, Badge, Stack, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconRoute, IconStack2, IconUsersGroup, IconBooks, IconChecklist, IconLogout, IconChevronDown, IconApi, IconShieldCheck, IconGavel, IconReportMoney, IconSettings } from '@tabler/icons-react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { useAuth } from './auth.tsx';
import { Logo } from './components/logo.tsx';
import { SignInPage } from './pages/SignIn.tsx';
import { PathsPage } from './pages/Paths.tsx';
import { EnvironmentsPage } from './pages/Environments.tsx';
import { NotFoundPage } from './pages/NotFound.tsx';
import { usePendingCount } from './lib/pending.ts';
import { NotificationCentre } from './components/notifications.tsx';
import { GlobalSearch } from './components/search.tsx';
import { ColorSchemeToggle } from './components/color-scheme.tsx';
import { AssistantBox } from './components/assistant.tsx';

// Heavy pages load on demand, so the first page stays small.
const LaunchPage = lazy(() => import('./pages/Launch.tsx'));
const EnvironmentPage = lazy(() => import('./pages/Environment.tsx'));
const CatalogPage = lazy(() => import('./pages/Catalog.tsx'));
const CatalogEntityPage = lazy(() => import('./pages/CatalogEntity.tsx'));
const ApprovalsPage = lazy(() => import('./pages/Approvals.tsx'));
const AuditPage = lazy(() => import('./pages/Audit.tsx'));
const PoliciesPage = lazy(() => import('./pages/Policies.tsx'));
const SpendPage = lazy(() => import('./pages/Spend.tsx'));
const SettingsPage = lazy(() => import('./pages/Settings.tsx'));
const SqlConsolePage = lazy(() => import('./pages/SqlConsole.tsx'));
const DatasetPage = lazy(() => import('./pages/Dataset.tsx'));

const nav = [
  { href: '/', label: 'Golden paths', icon: IconRoute, match: (p: string) => p === '/' || p.startsWith('/launch') },
  { href: '/environments', label: 'My environments', icon: IconStack2, match: (p: string) => p === '/environments' || (p.startsWith('/environments/') && true) },
  { href: '/team', label: 'Team environments', icon: IconUsersGroup, match: (p: string) => p.startsWith('/team') },
  { href: '/spend', label: 'Team spend', icon: IconReportMoney, match: (p: string) => p.startsWith('/spend') },
  { href: '/catalog', label: 'Catalog', icon: IconBooks, match: (p: string) => p.startsWith('/catalog') || p.startsWith('/datasets') },
  { href: '/approvals', label: 'Approvals', icon: IconChecklist, match: (p: string) => p.startsWith('/approvals') },
  { href: '/audit', label: 'Audit log', icon: IconShieldCheck, match: (p: string) => p.startsWith('/audit') },
  { href: '/policies', label: 'Policies', icon: IconGavel, match: (p: string) => p.startsWith('/policies') },
  { href: '/settings', label: 'Settings', icon: IconSettings, match: (p: string) => p.startsWith('/settings') },
];

function PageFallback() {
  return (
    <Center py={80} aria-busy="true">
      <Loader color="ink" type="dots" />
    </Center>
  );
}

export function App() {
  const { user, checking, signOut } = useAuth();
  const [opened, { toggle, close }] = useDisclosure();
  const [location] = useLocation();
  useEffect(close, [location, close]);
  const pending = usePendingCount(user?.id ?? '');

  if (checking) return <PageFallback />;
  if (!user) return <SignInPage />;

  const initials = user.name
    .split(/\s+/)
    .map((w) => w[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding={{ base: 'md', sm: 'xl' }}>
      <a href="#main" className="gp-skip">
        Skip to content
      </a>
      <AppShell.Header className="gp-header">
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" color="white" aria-label="Toggle navigation" />
            <Link href="/" aria-label="Goldpath home" style={{ textDecoration: 'none' }}>
              <Logo />
            </Link>
          </Group>
          <Group gap={6} wrap="nowrap" ml="auto" mr="xs">
            <AssistantBox />
            <GlobalSearch />
            <ColorSchemeToggle />
            <NotificationCentre userId={user.id} />
          </Group>
          <Menu position="bottom-end" width={240} withArrow>
            <Menu.Target>
              {/* Named by what it shows, so speech and sight agree; on a phone, where the name is hidden, by a hidden copy. */}
              <UnstyledButton data-testid="user-menu" style={{ color: 'white' }}>
                <VisuallyHidden hiddenFrom="xs">{user.name}, account menu</VisuallyHidden>
                <Group gap={10} wrap="nowrap">
                  <Avatar color="gold" variant="filled" radius="xl" size={34} aria-hidden>
                    {initials}
                  </Avatar>
                  <Stack gap={0} visibleFrom="xs">
                    <Text size="sm" fw={600} lh={1.2}>
                      {user.name}
                    </Text>
                    <Text size="xs" c="gray.4" lh={1.2}>
                      {user.team}
                    </Text>
                  </Stack>
                  <IconChevronDown size={14} />
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>
                {user.email}
                {user.isAdmin && (
                  <Badge ml={6} size="xs" variant="light">
                    admin
                  </Badge>
                )}
              </Menu.Label>
              <Menu.Item component={Link} href="/settings" leftSection={<IconSettings size={16} />}>
                Settings and API tokens
              </Menu.Item>
              <Menu.Item component="a" href="/api/v1/openapi.json" target="_blank" leftSection={<IconApi size={16} />}>
                API reference (OpenAPI)
              </Menu.Item>
              <Menu.Divider />
              <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={() => void signOut()}>
                Sign out
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" className="gp-nav" aria-label="Main">
        <AppShell.Section grow component={ScrollArea}>
          {nav.map((n) => {
            const active = n.match(location);
            return (
              <NavLink
                key={n.href}
                component={Link}
                href={n.href}
                label={n.label}
                rightSection={
                  n.href === '/approvals' && pending > 0 ? (
                    <Badge size="sm" circle color="orange" variant="filled" aria-label={`${pending} waiting`} data-testid="approvals-badge">
                      {pending}
                    </Badge>
                  ) : undefined
                }
                leftSection={<n.icon size={19} stroke={1.7} />}
                active={active}
                data-active={active || undefined}
                aria-current={active ? 'page' : undefined}
                variant="light"
                style={{ borderRadius: 8 }}
                mb={2}
              />
            );
          })}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" pb="xs">
            Goldpath · golden paths to working URLs in seconds
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" bg="var(--gp-bg)">
        <Suspense fallback={<PageFallback />}>
          <Switch>
            <Route path="/" component={PathsPage} />
            <Route path="/launch/:name">{(p) => <LaunchPage name={p.name} />}</Route>
            <Route path="/environments">{() => <EnvironmentsPage scope="mine" />}</Route>
            <Route path="/environments/:id/sql">{(p) => <SqlConsolePage id={p.id} />}</Route>
            <Route path="/environments/:id">{(p) => <EnvironmentPage id={p.id} />}</Route>
            <Route path="/team">{() => <EnvironmentsPage scope="team" />}</Route>
            <Route path="/catalog" component={CatalogPage} />
            <Route path="/datasets/:schema/:name">{(p) => <DatasetPage schema={p.schema} name={p.name} />}</Route>
            <Route path="/catalog/:kind/:namespace/:name">{(p) => <CatalogEntityPage kind={p.kind} namespace={p.namespace} name={p.name} />}</Route>
            <Route path="/approvals" component={ApprovalsPage} />
            <Route path="/audit" component={AuditPage} />
            <Route path="/policies" component={PoliciesPage} />
            <Route path="/spend" component={SpendPage} />
            <Route path="/settings" component={SettingsPage} />
            <Route component={NotFoundPage} />
          </Switch>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

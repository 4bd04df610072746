import { Alert, Button, Center, Group, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconPlugConnectedX, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

export function LoadingCards({ count = 3, height = 180 }: { count?: number; height?: number }) {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Loading">
      {Array.from({ length: count }, (_, i) => (
        <Skeleton key={i} height={height} radius="lg" />
      ))}
    </Stack>
  );
}

/** An error that says what went wrong and what to do next. */
export function ErrorState({ error, onRetry, title }: { error: Error; onRetry?: () => void; title?: string }) {
  const offline = error instanceof ApiError && error.status === 0;
  const forbidden = error instanceof ApiError && error.status === 403;
  const missing = error instanceof ApiError && error.status === 404;
  // Trying again changes nothing when the thing is not there or not yours.
  const retry = forbidden || missing ? undefined : onRetry;
  const hint = offline
    ? 'Check that the platform is running, then try again.'
    : forbidden
      ? 'Ask a member of that team, or a platform admin, if you need access.'
      : missing
        ? 'It may have been deleted, or the link is not quite right.'
        : 'Try again; if it keeps failing, the platform log says more.';
  return (
    <Alert
      variant="light"
      color={forbidden ? 'orange' : 'red'}
      radius="lg"
      icon={offline ? <IconPlugConnectedX /> : <IconAlertTriangle />}
      title={title ?? (offline ? 'Cannot reach the platform' : forbidden ? 'Not allowed' : missing ? 'Not found' : 'Something went wrong')}
      role="alert"
    >
      <Stack gap="xs">
        {/* The API's own words for a 404 are for the CLI ("`goldpath envs` lists yours"). */}
        {!missing && <Text size="sm">{error.message}</Text>}
        <Text size="sm" c="dimmed">
          {hint}
        </Text>
        {retry && (
          <Group>
            <Button size="xs" variant="white" color="red" leftSection={<IconRefresh size={14} />} onClick={retry}>
              Try again
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

export function EmptyState({ icon, title, children, action }: { icon: ReactNode; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Center py={56} px="md">
      <Stack align="center" gap="sm" maw={460} ta="center">
        <ThemeIcon size={64} radius={64} variant="light" color="ink">
          {icon}
        </ThemeIcon>
        <Title order={3} fw={600}>
          {title}
        </Title>
        {children && (
          <Text c="dimmed" size="sm">
            {children}
          </Text>
        )}
        {action}
      </Stack>
    </Center>
  );
}

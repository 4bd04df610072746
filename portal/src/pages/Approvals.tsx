import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconChecklist, IconInbox } from '@tabler/icons-react';
import { ApiError, getUntyped } from '../api/client.ts';
import { useLoad } from '../lib/use-load.ts';
import { EmptyState, ErrorState, LoadingCards } from '../components/states.tsx';
import { NotAvailableYet } from '../components/not-yet.tsx';
import { ago } from '../lib/format.ts';

// Shape kept loose until the approvals API is in the OpenAPI document.
interface Approval {
  id: string;
  environment?: string;
  path?: string;
  requester?: string;
  team?: string;
  dataClass?: string;
  status?: string;
  reason?: string;
  createdAt?: string;
}

export default function ApprovalsPage() {
  const list = useLoad(() => getUntyped<{ approvals?: Approval[]; items?: Approval[] }>('/api/v1/approvals'), []);
  if (list.error instanceof ApiError && list.error.status === 404)
    return (
      <NotAvailableYet icon={<IconChecklist size={30} />} what="Approvals" endpoint="/api/v1/approvals">
        Launches of paths with sensitive data wait here for a data owner to approve them.
      </NotAvailableYet>
    );
  const items = list.data?.approvals ?? list.data?.items ?? [];
  return (
    <Stack gap="lg" maw={1040} mx="auto">
      <div>
        <Title order={1} fz={28}>
          Approvals
        </Title>
        <Text c="dimmed">Requests for governed data that wait for you.</Text>
      </div>
      {list.loading && !list.data ? (
        <LoadingCards count={3} height={80} />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : items.length === 0 ? (
        <Card>
          <EmptyState icon={<IconInbox size={30} />} title="Nothing waits for you">
            When someone launches a path that needs your approval, it appears here.
          </EmptyState>
        </Card>
      ) : (
        items.map((a) => (
          <Card key={a.id} padding="md">
            <Group justify="space-between">
              <div>
                <Text fw={600}>
                  {a.requester ?? 'someone'} → {a.path ?? a.environment}
                </Text>
                <Text size="sm" c="dimmed">
                  {a.team} · {a.reason ?? ''} {a.createdAt ? `· ${ago(a.createdAt)}` : ''}
                </Text>
              </div>
              <Badge variant="light">{a.status ?? 'pending'}</Badge>
            </Group>
          </Card>
        ))
      )}
    </Stack>
  );
}

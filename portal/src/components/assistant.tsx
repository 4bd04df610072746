// The assistant (Ctrl-J / Cmd-J, or the header's "Ask" button), on every page: a sentence in; what it
// understood, then an answer, a question with choices, or a proposal to confirm. It only talks to
// POST /api/v1/assistant, which acts through the API's own routes with the reader's token, so it
// can do nothing the reader could not do on the other pages.
import { useCallback, useState } from 'react';
import { ActionIcon, Affix, Alert, Anchor, Badge, Box, Button, Code, Group, Loader, Modal, ScrollArea, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconArrowRight, IconMessageChatbot } from '@tabler/icons-react';
import { Link, useLocation } from 'wouter';
import { api, call } from '../api/client.ts';
import type { paths } from '../api/schema.ts';
import { ShortcutButton } from './shortcut-button.tsx';
import { StatusBadge } from './badges.tsx';
import { Markdown } from './markdown.tsx';
import { refHref } from '../pages/catalog-types.ts';
import { Money } from './money.tsx';

interface Answer {
  understood: { intent: string; slots: Record<string, unknown> };
  says: string;
  question?: string;
  choices?: { label: string; text: string }[];
  pending?: Pending;
  proposal?: { action: string; request: Record<string, unknown>; confirmToken: string };
  result?: {
    environment?: { id: string; name: string; status: string };
    link?: string;
    environments?: { id: string; name: string; path: string; status: string }[];
    spend?: { currency: string; by: string; total: string; rows: { key: string; label: string; amount: string }[] };
    catalog?: { items: { ref: string; kind: string; metadata: { name: string; title?: string } }[] };
    path?: { name: string; title: string; docs: string | null };
    paths?: { name: string; title: string; description: string }[];
  };
}

type AskBody = NonNullable<paths['/api/v1/assistant']['post']['requestBody']>['content']['application/json'];
type Pending = NonNullable<NonNullable<AskBody['context']>['pending']>;

/** The typed client for the request; the result's shape (one per intent) is described here. */
async function ask(body: AskBody): Promise<Answer> {
  return (await call(api.POST('/api/v1/assistant', { body }))) as Answer;
}

const slotLabel = (k: string, v: unknown) => `${k}: ${k === 'period' ? (v as { label: string }).label : typeof v === 'object' ? Object.entries(v as object).map(([a, b]) => `${a}=${String(b)}`).join(', ') : String(v)}`;
const examples = ['launch a data science experiment', 'show me how to create a website', 'my team\'s spend last month by user', 'find datasets about transactions', 'why was my launch refused?'];

export function AssistantBox() {
  const [opened, setOpened] = useState(false);
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, navigate] = useLocation();
  const openBox = useCallback(() => setOpened(true), []);

  const send = async (body: AskBody) => {
    setBusy(true);
    setError(null);
    try {
      setAnswer(await ask(body));
    } catch (e) {
      setError((e as Error).message);
      setAnswer(null);
    } finally {
      setBusy(false);
    }
  };
  const submit = (sentence: string) => {
    if (!sentence.trim()) return;
    const pending = answer?.question && !answer.choices?.length ? answer.pending : undefined;
    void send({ text: sentence, ...(pending ? { context: { pending } } : {}) });
    setText('');
  };
  const close = () => {
    setOpened(false);
    setAnswer(null);
    setError(null);
  };
  const open = (href: string) => {
    close();
    navigate(href);
  };
  const r = answer?.result;

  return (
    <>
      {/* In the header from tablet width up; on a phone the header is full, so a button floats at the bottom instead. */}
      <ShortcutButton icon={<IconMessageChatbot size={16} aria-hidden />} label="Ask" hiddenLabel="Ask the assistant" shortcut="J" onOpen={openBox} testId="assistant-button" visibleFrom="xs" />
      <Affix position={{ bottom: 16, right: 16 }} hiddenFrom="xs">
        <ActionIcon size={52} radius="xl" color="ink" variant="filled" aria-label="Ask the assistant" onClick={() => setOpened(true)} data-testid="assistant-fab" style={{ boxShadow: 'var(--mantine-shadow-md)' }}>
          <IconMessageChatbot size={26} aria-hidden />
        </ActionIcon>
      </Affix>
      <Modal opened={opened} onClose={close} size="lg" yOffset="8vh" title="Ask the platform" data-testid="assistant">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit(text);
          }}
        >
          <TextInput
            data-autofocus
            data-testid="assistant-input"
            aria-label="What would you like to do?"
            placeholder={answer?.question && !answer.choices?.length ? 'Your answer' : 'e.g. launch a data science experiment'}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            rightSection={busy ? <Loader size={16} /> : <IconArrowRight size={18} aria-hidden />}
            maxLength={1000}
          />
        </form>
        <ScrollArea.Autosize mah="60vh" mt="md">
          <Stack gap="sm" aria-live="polite">
            {!answer && !error && (
              <Stack gap={4}>
                <Text size="sm" c="dimmed">
                  Say what you want in a sentence. I show what I understood, and ask before I create or delete anything. For example:
                </Text>
                {examples.map((x) => (
                  <Anchor key={x} component="button" type="button" size="sm" ta="left" onClick={() => void send({ text: x })}>
                    “{x}”
                  </Anchor>
                ))}
              </Stack>
            )}
            {error && (
              <Alert color="red" title="Not done" data-testid="assistant-error">
                {error}
              </Alert>
            )}
            {answer && (
              <>
                <Group gap={6} data-testid="assistant-understood" data-intent={answer.understood.intent}>
                  <Text size="xs" c="dimmed">
                    Understood:
                  </Text>
                  <Badge variant="light" color="ink" size="sm">
                    {answer.understood.intent}
                  </Badge>
                  {Object.entries(answer.understood.slots).map(([k, v]) => (
                    <Badge key={k} variant="outline" color="gray" size="sm" tt="none">
                      {slotLabel(k, v)}
                    </Badge>
                  ))}
                </Group>
                <Text size="sm" data-testid="assistant-says">
                  {answer.says}
                </Text>
                {answer.choices && answer.choices.length > 0 && (
                  <Group gap="xs" data-testid="assistant-choices">
                    {answer.choices.map((c) => (
                      <Button key={c.text} size="xs" variant="default" onClick={() => void send({ text: c.text })}>
                        {c.label}
                      </Button>
                    ))}
                  </Group>
                )}
                {answer.proposal && (
                  <Box data-testid="assistant-proposal" p="sm" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 8 }}>
                    <Text size="sm" fw={600} mb={4}>
                      About to: <Code>{answer.proposal.action}</Code>
                    </Text>
                    <Code block mb="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {JSON.stringify(answer.proposal.request, null, 2)}
                    </Code>
                    <Group gap="xs">
                      <Button size="sm" loading={busy} data-testid="assistant-confirm" onClick={() => void send({ confirm: answer.proposal!.confirmToken })}>
                        Confirm
                      </Button>
                      <Button size="sm" variant="default" onClick={() => setAnswer(null)}>
                        Cancel
                      </Button>
                    </Group>
                  </Box>
                )}
                {r?.environment && r.link && (
                  <Group gap="xs" data-testid="assistant-result">
                    <StatusBadge status={r.environment.status} size="sm" />
                    <Anchor component={Link} href={r.link} onClick={() => close()} data-testid="assistant-link">
                      Open {r.environment.name}
                    </Anchor>
                  </Group>
                )}
                {r?.environments && (
                  <Stack gap={4} data-testid="assistant-result">
                    {r.environments.map((e) => (
                      <Group key={e.id} gap="xs">
                        <StatusBadge status={e.status} size="xs" />
                        <Anchor size="sm" onClick={() => open(`/environments/${e.id}`)} component="button" type="button">
                          {e.name}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {e.path}
                        </Text>
                      </Group>
                    ))}
                  </Stack>
                )}
                {r?.spend && (
                  <Table data-testid="assistant-result" striped withTableBorder fz="sm">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{r.spend.by}</Table.Th>
                        <Table.Th ta="right">amount</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {r.spend.rows.slice(0, 12).map((row) => (
                        <Table.Tr key={row.key}>
                          <Table.Td>{row.label || row.key}</Table.Td>
                          <Table.Td ta="right">
                            <Money amount={row.amount} currency={r.spend!.currency} size="sm" />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                      <Table.Tr>
                        <Table.Td fw={700}>Total</Table.Td>
                        <Table.Td ta="right">
                          <Money amount={r.spend.total} currency={r.spend.currency} size="sm" fw={700} />
                        </Table.Td>
                      </Table.Tr>
                    </Table.Tbody>
                  </Table>
                )}
                {r?.catalog && (
                  <Stack gap={2} data-testid="assistant-result">
                    {r.catalog.items.map((i) => (
                      <Group key={i.ref} gap="xs">
                        <Badge size="xs" variant="light" color="gray">
                          {i.kind}
                        </Badge>
                        <Anchor size="sm" component="button" type="button" onClick={() => open(refHref(i.ref))}>
                          {i.metadata.title ?? i.metadata.name}
                        </Anchor>
                      </Group>
                    ))}
                  </Stack>
                )}
                {r?.path?.docs && (
                  <Box data-testid="assistant-result">
                    <Markdown source={r.path.docs} />
                  </Box>
                )}
              </>
            )}
          </Stack>
        </ScrollArea.Autosize>
      </Modal>
    </>
  );
}

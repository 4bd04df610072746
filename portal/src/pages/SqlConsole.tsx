// The SQL console: one read-only statement at a time, run by the API as the environment's own
// warehouse role, so what it shows is exactly what that grant may see (masked values for a masked
// path). The schema on the side is what PostgreSQL reports to that role; saved queries are files
// in the environment's repository.
import { useState } from 'react';
import { Alert, Anchor, Box, Breadcrumbs, Button, Card, Grid, Group, Kbd, Modal, NavLink, ScrollArea, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDatabase, IconDeviceFloppy, IconDownload, IconPlayerPlay, IconTable, IconAlertTriangle, IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { Link } from 'wouter';
import { api, call } from '../api/client.ts';
import { useLoad } from '../lib/use-load.ts';
import { DataClassBadge } from '../components/badges.tsx';
import { ErrorState, LoadingCards } from '../components/states.tsx';
import { ResultTable } from '../components/result-table.tsx';
import { downloadCsv, loadSavedQueries, loadSchema, PAGE_ROWS, runSql, saveQuery, type SqlResult } from './sql-api.ts';

const firstQuery = 'SELECT segment, count(*) AS customers, round(avg(churned::int) * 100, 1) AS churn_pct\nFROM customers\nGROUP BY segment\nORDER BY churn_pct DESC';

export default function SqlConsolePage({ id }: { id: string }) {
  const env = useLoad(() => call(api.GET('/api/v1/environments/{id}', { params: { path: { id } } })), [id]);
  const schema = useLoad(() => loadSchema(id), [id]);
  const saved = useLoad(() => loadSavedQueries(id), [id]);
  const [sql, setSql] = useState(firstQuery);
  const [ran, setRan] = useState<{ sql: string; result: SqlResult } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [saving, setSaving] = useState(false);

  const run = async (text = sql, offset = 0) => {
    if (!text.trim()) return;
    setRunning(true);
    setError(null);
    try {
      setRan({ sql: text, result: await runSql(id, text, offset) });
    } catch (e) {
      setError((e as Error).message);
      setRan(null);
    } finally {
      setRunning(false);
    }
  };
  const exportCsv = async () => {
    setExporting(true);
    try {
      const name = await downloadCsv(id, sql);
      notifications.show({ color: 'teal', message: `Downloading ${name}` });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setExporting(false);
    }
  };

  if (env.error) return <ErrorState error={env.error} onRetry={env.reload} />;
  if (!env.data) return <LoadingCards count={2} />;
  const e = env.data;
  const r = ran?.result;

  return (
    <Stack gap="lg" maw={1400} mx="auto">
      <Breadcrumbs separatorMargin={6}>
        <Anchor component={Link} href="/environments" size="sm">
          My environments
        </Anchor>
        <Anchor component={Link} href={`/environments/${e.id}`} size="sm">
          {e.name}
        </Anchor>
        <Text size="sm" c="dimmed">
          SQL console
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} fz={{ base: 22, sm: 28 }}>
              SQL console
            </Title>
            <DataClassBadge dataClass={e.dataClass} />
          </Group>
          <Text size="sm" c="dimmed" maw={760}>
            Queries run as {e.name}&rsquo;s own warehouse grant, so you see exactly what it may see{e.dataClass === 'masked' ? ': personal data masked, minors left out' : ''}. Read-only, one statement at a
            time, 30 seconds at most; write to your scratch schema from psql or a notebook.
          </Text>
        </Stack>
      </Group>

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Card padding="sm" data-testid="sql-schema">
            <Text fw={600} size="sm" px="xs" pb={4}>
              What this grant reads
            </Text>
            {schema.error && <ErrorState error={schema.error} onRetry={schema.reload} title="Could not list the tables" />}
            {schema.loading && !schema.data && <LoadingCards count={3} height={28} />}
            <ScrollArea.Autosize mah={520} type="auto">
              {schema.data?.relations.map((rel) => (
                <NavLink
                  key={`${rel.schema}.${rel.name}`}
                  component="button"
                  label={rel.name}
                  description={`${rel.schema} · ${rel.kind} · ${rel.columns.length} columns`}
                  leftSection={<IconTable size={16} />}
                  childrenOffset={28}
                  data-relation={`${rel.schema}.${rel.name}`}
                >
                  <Button size="compact-xs" variant="light" mb={4} onClick={() => { const q = `SELECT * FROM ${rel.schema}.${rel.name} LIMIT 100`; setSql(q); void run(q); }}>
                    Preview rows
                  </Button>
                  {rel.columns.map((col) => (
                    <Text key={col.name} size="xs" py={1}>
                      {col.name}{' '}
                      <Text span size="xs" c="dimmed">
                        {col.type}
                      </Text>
                    </Text>
                  ))}
                </NavLink>
              ))}
            </ScrollArea.Autosize>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <Stack gap="md">
            <Card padding="md">
              <Stack gap="sm">
                <Group justify="space-between" align="flex-end" wrap="wrap">
                  <Select
                    label="Saved queries"
                    placeholder={saved.data?.length ? 'Open a saved query' : 'None saved yet'}
                    data={(saved.data ?? []).map((q) => ({ value: q.name, label: q.name }))}
                    onChange={(name) => { const q = saved.data?.find((x) => x.name === name); if (q) setSql(q.sql.trimEnd()); }}
                    disabled={!saved.data?.length}
                    w={280}
                    data-testid="saved-queries"
                  />
                  <Text size="xs" c="dimmed">
                    <Kbd size="xs">Ctrl</Kbd> + <Kbd size="xs">Enter</Kbd> runs
                  </Text>
                </Group>
                <Textarea
                  label="SQL"
                  value={sql}
                  onChange={(ev) => setSql(ev.currentTarget.value)}
                  onKeyDown={(ev) => {
                    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
                      ev.preventDefault();
                      void run();
                    }
                  }}
                  autosize
                  minRows={6}
                  maxRows={20}
                  spellCheck={false}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 14 } }}
                  data-testid="sql-editor"
                />
                <Group gap="sm">
                  <Button leftSection={<IconPlayerPlay size={16} />} loading={running} onClick={() => void run()} data-testid="run-sql">
                    Run
                  </Button>
                  <Button variant="default" leftSection={<IconDownload size={16} />} loading={exporting} onClick={() => void exportCsv()} disabled={!sql.trim()}>
                    Export CSV
                  </Button>
                  <Button variant="default" leftSection={<IconDeviceFloppy size={16} />} onClick={() => setSaving(true)} disabled={!sql.trim()}>
                    Save query
                  </Button>
                </Group>
              </Stack>
            </Card>

            {error && (
              <Alert color="red" icon={<IconAlertTriangle />} title="The query did not run" role="alert" data-testid="sql-error">
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {error}
                </Text>
              </Alert>
            )}
            {r && ran && (
              <Card padding="md" data-testid="sql-result">
                <Group justify="space-between" mb="sm" wrap="wrap">
                  <Text size="sm" aria-live="polite" data-testid="sql-summary">
                    {r.columns.length === 0
                      ? `${r.command || 'Done'}: no rows returned`
                      : r.rowCount === 0
                        ? 'No rows'
                        : `Rows ${r.offset + 1}–${r.offset + r.rowCount}${r.truncated ? ', more follow' : ''}`}{' '}
                    <Text span c="dimmed" size="sm">
                      · {r.ms} ms
                    </Text>
                  </Text>
                  {(r.offset > 0 || r.truncated) && (
                    <Group gap="xs">
                      <Button size="xs" variant="default" leftSection={<IconChevronLeft size={14} />} disabled={r.offset === 0 || running} onClick={() => void run(ran.sql, Math.max(0, r.offset - PAGE_ROWS))}>
                        Previous
                      </Button>
                      <Button size="xs" variant="default" rightSection={<IconChevronRight size={14} />} disabled={!r.truncated || running} onClick={() => void run(ran.sql, r.offset + r.rowCount)}>
                        Next
                      </Button>
                    </Group>
                  )}
                </Group>
                {r.columns.length > 0 && <ResultTable columns={r.columns.map((c) => c.name)} rows={r.rows} label="Query result" testId="sql-rows" />}
              </Card>
            )}
            {!r && !error && (
              <Box c="dimmed" ta="center" py="xl">
                <IconDatabase size={28} />
                <Text size="sm">Run a query to see its rows here.</Text>
              </Box>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
      <SaveQueryModal
        opened={saving}
        onClose={() => setSaving(false)}
        onSave={async (name) => {
          const done = await saveQuery(id, name, sql);
          notifications.show({ color: 'teal', title: 'Query saved', message: `Committed ${done.path} to the environment's repository` });
          setSaving(false);
          saved.reload();
        }}
      />
    </Stack>
  );
}

function SaveQueryModal({ opened, onClose, onSave }: { opened: boolean; onClose: () => void; onSave: (name: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await onSave(name.trim());
      setName('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Save query" closeButtonProps={{ 'aria-label': 'Close' }}>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <TextInput
            label="Name"
            description="Saved as queries/<name>.sql on main in the environment's repository, authored by you"
            placeholder="churn-by-segment"
            value={name}
            onChange={(ev) => setName(ev.currentTarget.value)}
            error={error}
            data-autofocus
            required
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} leftSection={<IconDeviceFloppy size={16} />}>
              Save and commit
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

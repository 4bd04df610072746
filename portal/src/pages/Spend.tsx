// A team's usage and spend: a chart over time, the itemised table (the idle share of shared
// services on its own row), the total, the month's budget, and the same report as CSV. The API
// does all the arithmetic, in decimals; this page only formats its amounts.
import '@mantine/dates/styles.css';
import { useMemo, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { Button, Card, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconCoin, IconDownload } from '@tabler/icons-react';
import { api, call } from '../api/client.ts';
import { useUser } from '../auth.tsx';
import { useLoad } from '../lib/use-load.ts';
import { EmptyState, ErrorState, LoadingCards } from '../components/states.tsx';
import { Money } from '../components/money.tsx';
import { SpendChart } from '../components/spend-chart.tsx';
import { SpendTable } from '../components/spend-table.tsx';
import { BudgetGauge } from '../components/budget-gauge.tsx';
import { downloadSpendCsv, loadSpend, type SpendQuery } from './spend-api.ts';
import { spendWindow, windowLabel, type WindowChoice } from './spend-window.ts';
import { ALL_TEAMS, type SpendGrouping } from './spend-types.ts';

const windows: { value: WindowChoice; label: string }[] = [
  { value: 'this-month', label: 'This month' },
  { value: 'last-month', label: 'Last month' },
  { value: 'last-7-days', label: 'Last 7 days' },
  { value: 'custom', label: 'Custom' },
];

const groupings: { value: SpendGrouping; label: string }[] = [
  { value: 'resource', label: 'Resource' },
  { value: 'resourceType', label: 'Resource type' },
  { value: 'user', label: 'User' },
  { value: 'path', label: 'Path' },
  { value: 'environment', label: 'Environment' },
  { value: 'team', label: 'Team' },
  { value: 'day', label: 'Day' },
];

type Days = [string | null, string | null];
interface View {
  team: string;
  choice: WindowChoice;
  days: Days;
  by: SpendGrouping;
}

const isDay = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);

/** The view lives in the URL (`?team=&window=&first=&last=&by=`), so a link or "back" returns to it. */
function readUrl(search: string, ownTeam: string): View {
  const p = new URLSearchParams(search);
  const choice = windows.find((w) => w.value === p.get('window'))?.value ?? 'this-month';
  const by = groupings.find((g) => g.value === p.get('by'))?.value ?? 'resource';
  const first = p.get('first');
  const last = p.get('last');
  return { team: p.get('team') || ownTeam, choice, by, days: isDay(first) && isDay(last) ? [first, last] : [null, null] };
}

export default function SpendPage() {
  const user = useUser();
  const search = useSearch();
  const [, navigate] = useLocation();
  const view = useMemo(() => readUrl(search, user.team), [search, user.team]);
  const { team, choice, by } = view;
  // Days being picked on the calendar: the URL gets them once both are there.
  const [days, setDays] = useState<Days>(view.days);
  const [downloading, setDownloading] = useState(false);

  function go(patch: Partial<View>) {
    const next = { ...view, ...patch };
    const p = new URLSearchParams();
    if (next.team !== user.team) p.set('team', next.team);
    if (next.choice !== 'this-month') p.set('window', next.choice);
    if (next.choice === 'custom' && isDay(next.days[0]) && isDay(next.days[1])) {
      p.set('first', next.days[0]);
      p.set('last', next.days[1]);
    }
    if (next.by !== 'resource') p.set('by', next.by);
    const s = p.toString();
    navigate(s ? `/spend?${s}` : '/spend', { replace: true });
  }

  const teams = useLoad(() => call(api.GET('/api/v1/teams')), []);
  // The teams whose spend you may read: your own ones; an admin, every team.
  const teamOptions = useMemo(() => {
    const visible = (teams.data?.teams ?? []).filter((t) => user.isAdmin || t.id === user.team || t.members.includes(user.id));
    const list = visible.length ? visible : [{ id: user.team, title: user.team }];
    return [...(user.isAdmin ? [{ value: ALL_TEAMS, label: 'All teams' }] : []), ...list.map((t) => ({ value: t.id, label: t.title }))];
  }, [teams.data, user]);
  const allTeams = team === ALL_TEAMS;
  // Grouping by team only says something across teams.
  const shownGroupings = allTeams ? groupings : groupings.filter((g) => g.value !== 'team');
  const chooseTeam = (t: string) => go({ team: t, by: t !== ALL_TEAMS && by === 'team' ? 'resource' : by });

  // A custom window waits for both days; until then the last full window stays on screen.
  const picked = spendWindow(choice, new Date(), view.days);
  const [lastSpan, setLastSpan] = useState(picked ?? spendWindow('this-month', new Date())!);
  const span = picked ?? lastSpan;
  if (picked && (picked.from !== lastSpan.from || picked.to !== lastSpan.to)) setLastSpan(picked);

  const query: SpendQuery = { team, by, ...span };
  const report = useLoad(() => loadSpend(query), [team, by, span.from, span.to]);
  const r = report.data;

  async function download() {
    setDownloading(true);
    try {
      const name = await downloadSpendCsv(query);
      notifications.show({ color: 'teal', title: 'CSV downloaded', message: name });
    } catch (e) {
      notifications.show({ color: 'red', title: 'The CSV could not be downloaded', message: (e as Error).message });
    } finally {
      setDownloading(false);
    }
  }

  return (
    <Stack gap="lg" maw={1240} mx="auto">
      <Group justify="space-between" align="flex-end" gap="md">
        <div>
          <Title order={1} fz={28}>
            Team spend
          </Title>
          <Text c="dimmed" maw={720}>
            What the team's environments cost, item by item, priced from the platform's rate card. A shared service's cost is split among the environments that used it, in proportion to their use; what nobody used is an idle row of its own, in the report of all teams.
          </Text>
        </div>
        <Button leftSection={<IconDownload size={16} />} onClick={() => void download()} loading={downloading} disabled={!r}>
          Download CSV
        </Button>
      </Group>

      <Card withBorder padding="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <Select label="Team" data={teamOptions} value={team} onChange={(v) => v && chooseTeam(v)} allowDeselect={false} w={220} searchable={teamOptions.length > 8} />
          <Stack gap={4}>
            <Text size="sm" fw={500} component="span" id="spend-window-label">
              Window
            </Text>
            <SegmentedControl value={choice} onChange={(v) => go({ choice: v as WindowChoice, days })} data={windows} aria-labelledby="spend-window-label" />
          </Stack>
          {choice === 'custom' && (
            <DatePickerInput
              type="range"
              label="Days"
              placeholder="First and last day"
              value={days}
              onChange={(v) => {
                const picked: Days = [v[0] ? String(v[0]) : null, v[1] ? String(v[1]) : null];
                setDays(picked);
                if (isDay(picked[0]) && isDay(picked[1])) go({ days: picked });
              }}
              maxDate={new Date()}
              allowSingleDateInRange
              valueFormat="D MMM YYYY"
              w={250}
              clearable
            />
          )}
        </Group>
      </Card>

      {report.error ? (
        <ErrorState error={report.error} onRetry={report.reload} title="The spend report could not be read" />
      ) : !r ? (
        <LoadingCards count={2} height={200} />
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <Card withBorder padding="md" aria-label="Total spend" data-testid="spend-total">
              <Text size="sm" fw={600}>
                Total, {windowLabel(r.from, r.to)}
              </Text>
              <Text fz={32} fw={700} mt={4} lh={1.2}>
                <Money amount={r.total} currency={r.currency} />
              </Text>
              <Text size="xs" c="dimmed" mt={6}>
                {r.rows.length} {r.rows.length === 1 ? 'item' : 'items'} · amounts in {r.currency}; the CSV has them to the last decimal
              </Text>
            </Card>
            {allTeams ? (
              <Card withBorder padding="md" aria-label="Monthly budgets">
                <Text size="sm" fw={600}>
                  Monthly budgets
                </Text>
                <Text size="sm" c="dimmed" mt={6}>
                  Budgets are per team: pick a team to see where it stands this month. Across every team, the shared services' idle capacity shows as its own rows.
                </Text>
              </Card>
            ) : (
              <BudgetGauge budget={r.budget} currency={r.currency} />
            )}
          </SimpleGrid>

          <SpendChart daily={r.daily} currency={r.currency} />

          <Group justify="space-between" align="center" gap="sm">
            <Title order={2} fz="lg">
              Itemised
            </Title>
            <SegmentedControl value={by} onChange={(v) => go({ by: v as SpendGrouping })} data={shownGroupings} size="xs" aria-label="Group by" />
          </Group>
          {r.rows.length === 0 ? (
            <EmptyState icon={<IconCoin size={30} />} title="Nothing spent in this window">
              The team ran nothing that the rate card prices between these days. Pick a longer window or another team.
            </EmptyState>
          ) : (
            <div aria-busy={report.loading || undefined} style={{ opacity: report.loading ? 0.6 : 1, transition: 'opacity 120ms' }}>
              <SpendTable rows={r.rows} by={r.by} total={r.total} currency={r.currency} allTeams={allTeams} />
            </div>
          )}
        </>
      )}
    </Stack>
  );
}

import { useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Box, Breadcrumbs, Button, Card, Grid, Group, Stack, Text, Title, Badge } from '@mantine/core';
import { IconRocket, IconAlertTriangle, IconCircleCheck, IconHourglass, IconArrowRight } from '@tabler/icons-react';
import Form from '@rjsf/mantine';
import validator from '@rjsf/validator-ajv8';
import type { ErrorSchema, RJSFSchema, RJSFValidationError, UiSchema } from '@rjsf/utils';
import { Link, useLocation } from 'wouter';
import { api, ApiError, call, streamEnvironment, type Environment, type GoldenPath, type Team } from '../api/client.ts';
import { useUser } from '../auth.tsx';
import { useLoad } from '../lib/use-load.ts';
import { duration } from '../lib/format.ts';
import { DataClassBadge } from '../components/badges.tsx';
import { ResourceIcon, resourceInfo } from '../components/resource-icon.tsx';
import { ErrorState, LoadingCards } from '../components/states.tsx';
import { Markdown } from '../components/markdown.tsx';
import { ResourceProgress } from '../components/progress.tsx';
import { CostBreakdown, CostPerDayLine } from '../components/path-cost.tsx';
import { BudgetNotice } from '../components/budget-notice.tsx';
import { defaultLaunchTeam } from '../lib/launch-preferences.ts';

interface LaunchForm {
  team?: string;
  name?: string;
  reason?: string;
  params?: Record<string, unknown>;
}

/** JSON Schema patterns read badly to people: say the common ones in words. */
function describePattern(pattern: string): string {
  const parts: string[] = [];
  if (pattern.includes('a-z')) parts.push('lower-case letters');
  if (pattern.includes('A-Z')) parts.push('capital letters');
  if (pattern.includes('0-9') || pattern.includes('\\d')) parts.push('digits');
  if (/-\]/.test(pattern) || pattern.includes('\\-')) parts.push('dashes');
  if (pattern.includes('_')) parts.push('underscores');
  if (!parts.length) return `must match ${pattern}`;
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
  const first = /^\^\[a-z\]/.test(pattern) ? ', starting with a letter' : '';
  const len = pattern.match(/\{(\d+),(\d+)\}\$$/);
  const fixedPrefix = /^\^\[[^\]]+\]\[/.test(pattern) ? 1 : 0;
  const size = len ? ` (${Number(len[1]) + fixedPrefix}–${Number(len[2]) + fixedPrefix} characters)` : '';
  return `use ${list} only${first}${size}`;
}

function transformErrors(errors: RJSFValidationError[]): RJSFValidationError[] {
  return errors.map((e) => {
    if (e.name === 'pattern') return { ...e, message: describePattern(String(e.params?.pattern ?? '')) };
    if (e.name === 'required') return { ...e, message: 'is required' };
    return e;
  });
}

function buildSchema(path: GoldenPath, teams: Team[]): { schema: RJSFSchema; ui: UiSchema } {
  const params = path.parameters as RJSFSchema;
  const hasParams = Object.keys((params.properties as object | undefined) ?? {}).length > 0;
  const needsApproval = path.approval !== 'none';
  const schema: RJSFSchema = {
    type: 'object',
    required: needsApproval ? ['team', 'reason'] : ['team'],
    properties: {
      team: { type: 'string', title: 'Team', oneOf: teams.map((t) => ({ const: t.id, title: t.title })) },
      name: {
        type: 'string',
        title: 'Environment name',
        description: 'Optional: a short name you will recognise. Leave empty for one made from the path.',
        pattern: '^[a-z0-9][a-z0-9-]{0,40}$',
      },
      ...(needsApproval
        ? {
            reason: {
              type: 'string',
              title: 'Why do you need this data?',
              description: 'The data owners read this before they approve. Say what you will do and for how long.',
              minLength: 10,
              maxLength: 1000,
            },
          }
        : {}),
      ...(hasParams ? { params: { ...params, title: 'Parameters' } } : {}),
    },
  };
  const ui: UiSchema = {
    'ui:submitButtonOptions': { norender: true },
    team: { 'ui:help': 'Cost and access are attributed to this team.' },
    name: { 'ui:placeholder': `${path.name}-…` },
    reason: { 'ui:widget': 'textarea', 'ui:options': { rows: 3 }, 'ui:placeholder': 'e.g. Churn model for the Q3 retention campaign; I need real e-mail domains and tenure for two weeks.' },
    'ui:order': ['team', 'name', 'reason', '*'],
    params: { 'ui:description': 'What this path asks for; the defaults work.' },
  };
  return { schema, ui };
}

/** The API's field names (`name`, `project`) → the form's error tree (`name`, `params.project`). */
function toErrorSchema(err: ApiError): ErrorSchema {
  const tree: Record<string, unknown> = {};
  for (const d of err.details) {
    const top = d.field === 'team' || d.field === 'name' || d.field === 'reason';
    const path = top ? [d.field] : ['params', ...d.field.replace(/^params\./, '').split('.')];
    let node = tree;
    for (const k of path) node = (node[k] ??= {}) as Record<string, unknown>;
    ((node.__errors ??= []) as string[]).push(d.message);
  }
  if (err.code === 'not_team_member') tree.team = { __errors: [err.message] };
  if (err.code === 'reason_required' && !tree.reason) tree.reason = { __errors: [err.message] };
  return tree as ErrorSchema;
}

export default function LaunchPage({ name }: { name: string }) {
  const user = useUser();
  const [, navigate] = useLocation();
  const data = useLoad(async () => {
    const [path, teams] = await Promise.all([call(api.GET('/api/v1/paths/{name}', { params: { path: { name } } })), call(api.GET('/api/v1/teams'))]);
    return { path, teams: teams.teams };
  }, [name]);
  const [formData, setFormData] = useState<LaunchForm>({ team: user.team });
  const [extraErrors, setExtraErrors] = useState<ErrorSchema>();
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [env, setEnv] = useState<Environment | null>(null);
  // Where each team stands against its budget; without it the form simply says nothing about it.
  const budgets = useLoad(() => call(api.GET('/api/v1/budgets')), []);
  

  // You launch for a team you belong to (admins for any); yours is preselected.
  const teams = useMemo(() => (data.data?.teams ?? []).filter((t) => user.isAdmin || t.members.includes(user.id) || t.id === user.team), [data.data, user]);
  const built = useMemo(() => (data.data ? buildSchema(data.data.path, teams) : null), [data.data, teams]);
  // The default team chosen in settings, when it is still one of the person's.
  useEffect(() => {
    const preferred = defaultLaunchTeam(user.id);
    if (preferred && teams.some((t) => t.id === preferred)) setFormData((f) => (f.team === user.team ? { ...f, team: preferred } : f));
  }, [teams, user]);

  useEffect(() => {
    if (!env) return;
    return streamEnvironment(env.id, { onEnvironment: setEnv });
  }, [env?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  // Ready: linger a moment on the all-green list, then open the environment page.
  useEffect(() => {
    if (env?.status !== 'ready') return;
    const t = setTimeout(() => navigate(`/environments/${env.id}`), 900);
    return () => clearTimeout(t);
  }, [env?.status, env?.id, navigate]);

  async function launch(form: LaunchForm) {
    setSubmitting(true);
    setExtraErrors(undefined);
    setSubmitError(null);
    try {
      const created = await call(
        api.POST('/api/v1/environments', {
          body: { path: name, team: form.team, name: form.name || undefined, params: form.params ?? {}, reason: form.reason?.trim() || undefined },
        }),
      );
      // A path that needs approval has nothing to watch yet: the environment page shows who decides.
      if (created.status === 'awaiting-approval') navigate(`/environments/${created.id}`);
      else setEnv(created);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, undefined, String(e));
      if (err.details.length || err.code === 'not_team_member' || err.code === 'reason_required') setExtraErrors(toErrorSchema(err));
      else setSubmitError(err);
    } finally {
      setSubmitting(false);
    }
  }

  if (data.loading && !data.data) return <LoadingCards count={2} height={220} />;
  if (data.error) return <ErrorState error={data.error} onRetry={data.reload} title={data.error instanceof ApiError && data.error.status === 404 ? `There is no golden path called “${name}”` : undefined} />;
  const path = data.data!.path;

  return (
    <Stack gap="lg" maw={1140} mx="auto">
      <Breadcrumbs separatorMargin={6}>
        <Anchor component={Link} href="/" size="sm">
          Golden paths
        </Anchor>
        <Text size="sm" c="dimmed">
          {path.title}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1} fz={28}>
            {env ? `Launching ${path.title}` : `Launch ${path.title}`}
          </Title>
          <Text c="dimmed" maw={680}>
            {path.description}
          </Text>
        </div>
        <Group gap={6}>
          <DataClassBadge dataClass={path.dataClass} size="md" />
          <Badge size="md" variant="light" color={path.approval === 'none' ? 'gray' : 'orange'}>
            {path.approval === 'none' ? 'No approval needed' : path.approval === 'data-owner' ? 'Data owners approve' : `Approval: ${path.approval}`}
          </Badge>
        </Group>
      </Group>

      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card padding="xl">
            {env ? (
              <LaunchProgress env={env} />
            ) : (
              <Stack gap="md">
                {submitError && (
                  <Alert color="red" icon={<IconAlertTriangle />} title="The launch did not start" role="alert">
                    {submitError.message}
                  </Alert>
                )}
                <BudgetNotice
                  budget={budgets.data?.budgets.find((b) => b.team === formData.team)}
                  teamTitle={teams.find((t) => t.id === formData.team)?.title ?? formData.team ?? ''}
                  currency={budgets.data?.currency ?? path.cost?.currency ?? ''}
                />
                {path.approval !== 'none' && (
                  <Alert color="orange" variant="light" icon={<IconHourglass />} title="The data owners approve this first">
                    This path reads {path.dataClass ?? 'governed'} data. Each team that owns it gets your reason in its approvals inbox; provisioning starts, in about a second, once every one of them says yes.
                  </Alert>
                )}
                <Form
                  schema={built!.schema}
                  uiSchema={built!.ui}
                  formData={formData}
                  onChange={(e) => setFormData(e.formData ?? {})}
                  onSubmit={(e) => void launch(e.formData ?? {})}
                  validator={validator}
                  transformErrors={transformErrors}
                  extraErrors={extraErrors}
                  showErrorList={false}
                  // An invalid submit takes the person to the first field to fix; the errors show beside
                  // the fields, so rjsf's default console.error is not needed.
                  focusOnFirstError
                  onError={() => undefined}
                  noHtml5Validate
                  liveValidate="onBlur"
                  idPrefix="launch"
                >
                  <Group justify="flex-end" mt="lg">
                    <CostPerDayLine cost={path.cost} team={teams.find((t) => t.id === formData.team)?.title ?? formData.team} />
                    <Group gap="sm" ml="auto">
                      <Button component={Link} href="/" variant="default">
                        Cancel
                      </Button>
                      <Button type="submit" loading={submitting} leftSection={<IconRocket size={16} />} size="md">
                        {path.approval !== 'none' ? 'Request access and launch' : `Launch ${path.title}`}
                      </Button>
                    </Group>
                  </Group>
                </Form>
              </Stack>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <Card padding="lg">
              <Text fw={600} mb="sm">
                It creates
              </Text>
              <Stack gap="sm">
                {path.resources.map((r) => (
                  <Group key={r.id} gap="sm" wrap="nowrap">
                    <ResourceIcon type={r.type} size={30} />
                    <div>
                      <Text size="sm" fw={500}>
                        {resourceInfo(r.type).label}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {r.id}
                      </Text>
                    </div>
                  </Group>
                ))}
              </Stack>
            </Card>
            <CostBreakdown cost={path.cost} />
            {path.docs && (
              <Card padding="lg">
                <Markdown source={path.docs} />
              </Card>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function LaunchProgress({ env }: { env: Environment }) {
  const took = duration(env.createdAt, env.readyAt);
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text fw={600} size="lg">
          {env.name}
        </Text>
        {env.status === 'ready' ? (
          <Badge color="green" size="lg" leftSection={<IconCircleCheck size={14} />}>
            Ready{took ? ` in ${took}` : ''}
          </Badge>
        ) : env.status === 'awaiting-approval' ? (
          <Badge color="orange" size="lg" leftSection={<IconHourglass size={14} />}>
            Waiting for approval
          </Badge>
        ) : env.status === 'failed' ? (
          <Badge color="red" size="lg">
            Failed
          </Badge>
        ) : (
          <Badge color="blue" size="lg" variant="light">
            Provisioning…
          </Badge>
        )}
      </Group>
      <ResourceProgress env={env} />
      {env.status === 'failed' && (
        <Alert color="red" icon={<IconAlertTriangle />} title="The launch failed">
          {env.reason ?? 'A resource could not be provisioned.'} Nothing was left half-made; the environment page has the full history.
        </Alert>
      )}
      {env.status === 'awaiting-approval' && (
        <Alert color="orange" icon={<IconHourglass />} title="An approver has to say yes first">
          Provisioning starts as soon as it is approved; the environment page shows when.
        </Alert>
      )}
      <Box>
        <Button component={Link} href={`/environments/${env.id}`} variant={env.status === 'ready' ? 'filled' : 'light'} rightSection={<IconArrowRight size={16} />}>
          Open environment
        </Button>
      </Box>
    </Stack>
  );
}

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { EnvironmentView, environmentIdPattern, EventView, LaunchRequest } from '../../domain/environment/schema.ts';
import { parseEntityRef, EntityRefError } from '../../domain/catalog/ref.ts';
import { ReportGrouping, ReportRow } from '../../domain/spend/report.ts';
import { BudgetState } from '../../domain/spend/budget.ts';
import { explainRefusal, Explanation } from './explain-refusal.ts';

/**
 * The one way the tools reach the platform: its HTTP API with the user's token. `goldpath mcp`
 * hands the CLI's ApiClient (over the network); `/mcp` hands the platform's own app, called in
 * process with the same token (docs/mcp.md). Either way every call goes through the route it
 * mirrors: authentication, the policy engine, validation and the audit trail.
 */
export interface PlatformCall {
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Follows a server-sent-events route until onEvent returns true or the stream ends. */
  stream(path: string, onEvent: (event: string, data: unknown) => boolean | void): Promise<void>;
}

/** What a refused call throws (the CLI's ApiError and the in-process caller's ApiRefusal both look so). */
interface Refusal {
  status: number;
  code?: string;
  message: string;
  details?: { field: string; message: string }[];
}
const isRefusal = (e: unknown): e is Refusal => e instanceof Error && typeof (e as Partial<Refusal>).status === 'number';

/** A refusal as the model and the person read it: status, code, the platform's message, and the fields at fault. */
export function refusalText(e: Refusal): string {
  const fields = (e.details ?? []).filter((d) => !e.message.includes(d.message)).map((d) => `${d.field}: ${d.message}`);
  return [`${e.status}${e.code ? ` ${e.code}` : ''}: ${e.message}`, ...(fields.length ? [`fields: ${fields.join('; ')}`] : [])].join('\n');
}

/**
 * The policy behind a 403, cited by id, file and line from the policies in force: a forbid whose
 * reason the message gives, or, when nothing permitted the action, the policies that permit it.
 */
async function policyCited(call: PlatformCall, message: string): Promise<string | null> {
  const { policies } = await call.request<{ policies: PolicyInForce[] }>('GET', '/api/v1/policies');
  const forbids = policies.filter((p) => p.effect === 'forbid' && p.reason && message.includes(p.reason));
  if (forbids.length) return `policy: ${forbids.map((p) => `${p.id} (forbid, ${p.file}:${p.line})`).join(', ')}`;
  if (!message.includes('no policy allows it')) return null;
  const action = /may not (\w+) /.exec(message)?.[1];
  const permits = action ? policies.filter((p) => p.effect === 'permit' && p.text.includes(`Action::"${action}"`)) : [];
  return `policy: default-deny (no policy in force permits it)${permits.length ? `; ${action} is permitted by ${permits.map((p) => `${p.id} (${p.file}:${p.line})`).join(', ')}` : ''}`;
}
interface PolicyInForce { id: string; effect: 'permit' | 'forbid'; file: string; line: number; reason: string | null; text: string }

const ok = (data: Record<string, unknown>): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(data, null, 1) }], structuredContent: data });
const toolError = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

/** Runs a tool; a refusal by the platform (4xx) becomes a tool error the model can read and act on. */
const answerWith = (call: PlatformCall) => async (fn: () => Promise<Record<string, unknown>>): Promise<CallToolResult> => {
  try {
    return ok(await fn());
  } catch (e) {
    if (e instanceof EntityRefError) return toolError(`400 invalid_request: ${e.message}`);
    if (!isRefusal(e)) throw e; // the SDK makes it a tool error with its message (cannot reach the platform, …)
    const cited = e.status === 403 ? await policyCited(call, e.message).catch(() => null) : null;
    return toolError(cited ? `${refusalText(e)}\n${cited}` : refusalText(e));
  }
};

// The hints of the field's conventions (MCP tool annotations). None reaches beyond the platform.
const read: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const change = (h: { destructive: boolean; idempotent: boolean }): ToolAnnotations =>
  ({ readOnlyHint: false, destructiveHint: h.destructive, idempotentHint: h.idempotent, openWorldHint: false });

const EnvironmentId = z.string().regex(environmentIdPattern, 'an environment id looks like e1a2b3c4d5 (list_environments shows them)')
  .describe('The environment\'s id, e.g. e1a2b3c4d5');
const enc = encodeURIComponent;

/** Launch statuses after which waiting ends: ready, or a state a person must act on. */
const settled = new Set(['ready', 'failed', 'awaiting-approval', 'stopped', 'deleted']);

/**
 * Follows the environment's live progress (one request, one audit row, as `goldpath launch --wait`)
 * until it settles or the time is up. The time is checked at each message, and the platform sends
 * the environment at least every 15 s, so a wait ends at most that late.
 */
async function waitUntilSettled(call: PlatformCall, env: EnvironmentView, seconds: number): Promise<EnvironmentView> {
  if (settled.has(env.status)) return env;
  const end = Date.now() + seconds * 1000;
  let current = env;
  await call.stream(`/api/v1/environments/${enc(env.id)}/stream`, (event, data) => {
    if (event === 'environment' && data) current = data as EnvironmentView;
    return settled.has(current.status) || Date.now() >= end;
  });
  return current;
}

const SpendReport = z.looseObject({
  currency: z.string(), team: z.string(), from: z.string(), to: z.string(), by: ReportGrouping, total: z.string(),
  rows: z.array(ReportRow), budget: BudgetState.nullable(),
});

/** Everything the catalog search gives back per entity: enough to choose, get_entity shows the rest. */
const searchFields = 'ref,kind,metadata.name,metadata.title,metadata.description,metadata.tags,spec.type,spec.owner,spec.lifecycle';

/**
 * The MCP server of the platform: its actions as tools, named after the field's conventions
 * (Backstage's actions, Coder's workspace tools, Port's run_action), for one user.
 */
export function createMcpServer(call: PlatformCall, version: string): McpServer {
  const answer = answerWith(call);
  const server = new McpServer({ name: 'goldpath', title: 'Goldpath', version }, {
    instructions: 'Goldpath is an internal developer platform. Golden paths (list_paths) are recipes that launch an environment '
      + '(repo, notebook, IDE, bucket, governed warehouse access…) for a team in seconds. Launch with launch_environment, follow it with '
      + 'get_environment, and stop, start or delete it. search_catalog finds datasets, services and models; spend_breakdown itemises '
      + 'a team\'s spend; explain_refusal says why a launch was refused. Every call acts as the user whose token this server holds.',
  });

  server.registerTool('list_paths', {
    title: 'List golden paths',
    description: 'The golden paths on offer: name, title, what each is for, its data class, whether it needs the data owners\' approval, its resources, parameters and cost per day.',
    annotations: read,
  }, () => answer(async () => {
    const { paths } = await call.request<{ paths: Record<string, unknown>[] }>('GET', '/api/v1/paths');
    // The docs are long: get_path gives them.
    return { paths: paths.map(({ docs: _docs, ...rest }) => rest) };
  }));

  server.registerTool('get_path', {
    title: 'Get a golden path and its docs',
    description: 'One golden path with its how-to docs (markdown), parameters (JSON Schema), resources and cost. Use it to learn how to use a path or which parameters to give launch_environment.',
    inputSchema: { name: LaunchRequest.shape.path.describe('The path\'s name, e.g. data-science-experimentation (list_paths shows them)') },
    annotations: read,
  }, ({ name }) => answer(() => call.request('GET', `/api/v1/paths/${enc(name)}`)));

  server.registerTool('launch_environment', {
    title: 'Launch a golden path',
    description: 'Launches a golden path as a new environment for a team (default: yours). Paths with sensitive data need a reason and wait for the data owners\' approval. '
      + 'With wait, it answers when the environment is ready (its URLs are in resources[].outputs), failed, or awaiting approval. A refusal names the policy.',
    // The API's own LaunchRequest, described for the model, plus how long to wait.
    inputSchema: LaunchRequest.extend({
      path: LaunchRequest.shape.path.describe('The golden path to launch, e.g. data-science-experimentation (list_paths shows them)'),
      team: LaunchRequest.shape.team.describe('The team it is for (default: yours); you launch only for a team you are in'),
      name: LaunchRequest.shape.name.describe('A name for the environment, unique in the team (default: generated)'),
      params: LaunchRequest.shape.params.describe('The path\'s parameters (get_path shows their JSON Schema); defaults are filled in'),
      reason: LaunchRequest.shape.reason.describe('Why the data is needed: required by paths whose data the owners must approve'),
      extension: LaunchRequest.shape.extension.describe('Software paths only: what to add (an Extension, YAML text or object, as in a repository\'s goldpath.yaml)'),
      wait: z.boolean().default(true).describe('Answer when it is ready, failed or awaiting approval (default true); false answers at once'),
      waitSeconds: z.number().int().min(1).max(300).default(120).describe('How long to wait at most'),
    }),
    outputSchema: EnvironmentView,
    annotations: change({ destructive: false, idempotent: false }),
  }, ({ wait, waitSeconds, ...launch }) => answer(async () => {
    const env = await call.request<EnvironmentView>('POST', '/api/v1/environments', launch);
    return wait ? waitUntilSettled(call, env, waitSeconds) : env;
  }));

  server.registerTool('get_environment', {
    title: 'Get an environment',
    description: 'One environment: status, reason, resources with their outputs (URLs to follow, connection details), expiry; with events, its history too.',
    inputSchema: { id: EnvironmentId, events: z.boolean().default(false).describe('Include its history (events), oldest first') },
    outputSchema: EnvironmentView.extend({ events: z.array(EventView).optional() }),
    annotations: read,
  }, ({ id, events }) => answer(async () => {
    const env = await call.request<EnvironmentView>('GET', `/api/v1/environments/${enc(id)}`);
    if (!events) return env;
    return { ...env, events: (await call.request<{ events: EventView[] }>('GET', `/api/v1/environments/${enc(id)}/events`)).events };
  }));

  server.registerTool('list_environments', {
    title: 'List environments',
    description: 'Environments of a team (default: yours), or only yours with mine.',
    inputSchema: {
      team: z.string().min(1).optional().describe('Another team (its members and admins may)'),
      mine: z.boolean().default(false).describe('Only the environments you own'),
      includeDeleted: z.boolean().default(false).describe('Deleted ones too'),
    },
    outputSchema: { environments: z.array(EnvironmentView) },
    annotations: read,
  }, ({ team, mine, includeDeleted }) => answer(() => {
    const q = new URLSearchParams({ ...(team ? { team } : {}), ...(mine ? { mine: 'true' } : {}), ...(includeDeleted ? { includeDeleted: 'true' } : {}) });
    return call.request('GET', `/api/v1/environments${q.size ? `?${q}` : ''}`);
  }));

  const lifecycle = [
    ['stop_environment', 'Stop an environment', 'Stops an environment\'s running parts (notebook, IDE, services); its work, repository, bucket and data access are kept. start_environment starts it again.', 'POST', 'stop', false],
    ['start_environment', 'Start an environment', 'Starts a stopped environment again.', 'POST', 'start', false],
    ['delete_environment', 'Delete an environment', 'Deletes an environment and everything it made: repository, bucket, data access, workspaces. Cannot be undone.', 'DELETE', '', true],
  ] as const;
  for (const [name, title, description, method, action, destructive] of lifecycle) {
    server.registerTool(name, {
      title, description,
      inputSchema: { id: EnvironmentId },
      outputSchema: EnvironmentView,
      annotations: change({ destructive, idempotent: true }),
    }, ({ id }) => answer(() => call.request(method, `/api/v1/environments/${enc(id)}${action ? `/${action}` : ''}`)));
  }

  server.registerTool('search_catalog', {
    title: 'Search the catalog',
    description: 'Searches the one catalog of datasets (with their columns), data products, services, APIs, websites, models, golden paths, environments, teams and users; best match first.',
    inputSchema: {
      query: z.string().min(1).max(200).describe('Words to search for, e.g. "customer churn"'),
      kind: z.array(z.string()).optional().describe('Only these kinds, e.g. ["Dataset"] or ["Component","API"]'),
      type: z.string().optional().describe('Only this spec.type, e.g. service'),
      tag: z.string().optional().describe('Only entities with this tag'),
      owner: z.string().optional().describe('Only entities owned by this group (or user:name)'),
      limit: z.number().int().min(1).max(100).default(10).describe('How many (default 10)'),
    },
    annotations: read,
  }, ({ query, kind, type, tag, owner, limit }) => answer(() => {
    const q = new URLSearchParams({ q: query, limit: String(limit), fields: searchFields, facets: 'false' });
    if (kind?.length) q.set('kind', kind.join(','));
    if (type) q.set('spec.type', type);
    if (tag) q.set('metadata.tags', tag);
    if (owner) q.set('owner', owner);
    return call.request('GET', `/api/v1/catalog/entities?${q}`);
  }));

  server.registerTool('get_entity', {
    title: 'Get a catalog entity',
    description: 'One catalog entity by its reference (kind:namespace/name), with its relations in both directions: a dataset\'s columns and owners, a service\'s APIs, a model\'s card.',
    inputSchema: { ref: z.string().min(1).max(500).describe('kind:namespace/name, e.g. dataset:default/customers (namespace default may be left out)') },
    annotations: read,
  }, ({ ref }) => answer(() => {
    const e = parseEntityRef(ref);
    return call.request('GET', `/api/v1/catalog/entities/by-ref/${[e.kind, e.namespace, e.name].map(enc).join('/')}`);
  }));

  server.registerTool('spend_breakdown', {
    title: 'Itemised spend',
    description: 'An itemised breakdown of a team\'s usage and spend from the rate card, grouped as asked, with the total and the team\'s budget. Amounts are decimal strings in the rate card\'s currency.',
    inputSchema: {
      team: z.string().min(1).optional().describe('The team (default: yours; * for every team, admins)'),
      by: ReportGrouping.default('resource').describe('How rows are grouped'),
      from: z.string().optional().describe('Start of the window, ISO date or time (default: the first of this month, UTC)'),
      to: z.string().optional().describe('End of the window; a date alone means the end of that day (default: now)'),
    },
    outputSchema: SpendReport,
    annotations: read,
  }, ({ team, by, from, to }) => answer(() => {
    const q = new URLSearchParams({ by, format: 'json', ...(team ? { team } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
    return call.request('GET', `/api/v1/spend?${q}`);
  }));

  server.registerTool('explain_refusal', {
    title: 'Explain a refusal',
    description: 'Why a launch was refused or did not become ready: for an environment, its failure, rejected or pending approvals and the events that tell; '
      + 'without one, your recent refused launches from the audit log, each with the policy that decided, its file and line and its reason.',
    inputSchema: { environment: EnvironmentId.optional().describe('The environment, when the launch was accepted but did not become ready') },
    outputSchema: Explanation,
    annotations: read,
  }, ({ environment }) => answer(() => explainRefusal(call, environment)));

  return server;
}

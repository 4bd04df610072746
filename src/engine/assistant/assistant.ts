import type { Pending, PathFacts, Slots, Understanding } from '../../domain/assistant/schema.ts';
import { confirmToken, readConfirmToken, type Proposal } from '../../domain/assistant/confirmation.ts';
import { intentWords, needsEnvironments, understand } from '../../domain/assistant/understand.ts';
import { buildVocabulary, pathFacts, type PathSummaryLike, type Vocabulary } from '../../domain/assistant/vocabulary.ts';

/**
 * The assistant's work after understanding: it reads what it needs and carries out confirmed
 * actions through the platform's HTTP API, with the caller's own token. So every action goes
 * through the same route, validation, policy decision and audit row as from any other client
 * (the MCP server does the same); the assistant has no authority of its own.
 */

/** One call to the platform's API as the person asking. */
export type ApiCall = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => Promise<Reply>;
export interface Reply { status: number; body: unknown }

/** A field of a successful answer, or the fallback when the call did not succeed (what the reader may not see is left out). */
const field = <T>(r: Reply, key: string, fallback: T): T => (r.status === 200 ? ((r.body as Record<string, T | undefined>)[key] ?? fallback) : fallback);

export interface AssistantInput { text?: string; confirm?: string; context?: { pending?: Pending } }

export interface AssistantAnswer {
  understood: { intent: Understanding['intent']; slots: Slots };
  says: string;
  question?: string;
  choices?: { label: string; text: string }[];
  pending?: Pending;
  proposal?: Proposal & { confirmToken: string };
  result?: unknown;
  /** When the platform refused or failed what was asked: its status and message, as the API gave them. */
  error?: { status: number; code: string; message: string };
}

interface Sources { paths: PathFacts[]; vocabulary: Vocabulary }

/** Paths, teams and catalog words change rarely; they are read again after this long. */
const SOURCES_TTL_MS = 10_000;

export class Assistant {
  #sources?: { at: number; value: Promise<Sources> };
  readonly #now: () => Date;

  constructor(options: { now?: () => Date } = {}) {
    this.#now = options.now ?? (() => new Date());
  }

  async answer(input: AssistantInput, who: { id: string; team: string }, call: ApiCall): Promise<AssistantAnswer> {
    if (input.confirm) return this.#confirm(input.confirm, who, call);
    const sources = await this.#sourcesFor(call);
    const context = { vocabulary: sources.vocabulary, user: who, now: this.#now(), pending: input.context?.pending };
    // The caller's environments are read only for sentences about them (a read per sentence otherwise).
    const envs: Reply = needsEnvironments(input.text ?? '', context) ? await call('GET', '/api/v1/environments?mine=true') : { status: 200, body: { environments: [] } };
    const environments = ok<{ environments: EnvironmentLike[] }>(envs).environments.map((e) => ({ id: e.id, name: e.name, path: e.path, status: e.status, resourceTypes: e.resources.map((r) => r.type) }));
    const u = understand(input.text ?? '', { ...context, environments });
    const understood = { intent: u.intent, slots: u.slots };
    if (u.question) return { understood, says: u.question, question: u.question, choices: u.choices, pending: u.pending };
    const titleOf = (name?: string) => sources.paths.find((p) => p.name === name)?.title ?? name ?? '';
    const envOf = (id?: string) => environments.find((e) => e.id === id);
    const propose = (p: Proposal, says: string): AssistantAnswer => ({ understood, says: `${says} Confirm to go ahead.`, proposal: { ...p, confirmToken: confirmToken(p, who.id, this.#now()) } });

    switch (u.intent) {
      case 'launch': {
        const s = u.slots;
        const request = { path: s.path!, ...(s.team ? { team: s.team } : {}), ...(s.name ? { name: s.name } : {}), ...(s.params ? { params: s.params } : {}), ...(s.reason ? { reason: s.reason } : {}) };
        const path = sources.paths.find((p) => p.name === s.path)!;
        const details = [
          `for team ${s.team ?? who.team}`, s.name && `named ${s.name}`,
          ...Object.entries(s.params ?? {}).map(([k, v]) => `${k} = ${v}`),
          path.dataClass && `with ${path.dataClass} data`,
          path.approval !== 'none' && `after the data owners approve (your reason: "${s.reason}")`,
        ].filter(Boolean);
        return propose({ action: 'launch_environment', request }, `I will launch ${path.title} (${path.name}) ${details.join(', ')}.`);
      }
      case 'stopEnvironment': case 'startEnvironment': case 'deleteEnvironment': {
        const e = envOf(u.slots.environment)!;
        const verb = u.intent === 'stopEnvironment' ? 'stop' : u.intent === 'startEnvironment' ? 'start' : 'delete';
        const what = verb === 'delete' ? ' and everything it made (repository, bucket, data access)' : verb === 'stop' ? ': its running parts end, its work and data access are kept' : '';
        return propose({ action: `${verb}_environment`, request: { id: e.id } }, `I will ${verb} ${e.name} (${e.id}, ${titleOf(e.path)}, ${e.status})${what}.`);
      }
      case 'docs': {
        const r = await call('GET', `/api/v1/paths/${encodeURIComponent(u.slots.path!)}`);
        if (r.status !== 200) return failed(understood, r);
        const p = r.body as { name: string; title: string; description: string; docs: string | null };
        return { understood, says: `How to use ${p.title}: ${p.description}`, result: { path: { name: p.name, title: p.title, description: p.description, docs: p.docs } }, choices: [{ label: `Launch ${p.title}`, text: `launch ${p.name}` }] };
      }
      case 'spend': {
        const q = new URLSearchParams();
        if (u.slots.team) q.set('team', u.slots.team);
        q.set('by', u.slots.by ?? 'resource');
        if (u.slots.period) {
          q.set('from', u.slots.period.from);
          if (u.slots.period.to) q.set('to', u.slots.period.to);
        }
        const r = await call('GET', `/api/v1/spend?${q}`);
        if (r.status !== 200) return failed(understood, r);
        const rep = r.body as { team: string; total: string; currency: string; by: string; rows: unknown[] };
        const when = u.slots.period?.label ?? 'this month';
        return { understood, says: `Team ${rep.team === '*' ? 'all teams' : rep.team} spent ${rep.total} ${rep.currency} ${when}, by ${rep.by} (${rep.rows.length} row${rep.rows.length === 1 ? '' : 's'}).`, result: { spend: rep } };
      }
      case 'catalog': {
        const q = new URLSearchParams({ limit: '10', fields: 'ref,kind,metadata.name,metadata.title,metadata.description' });
        if (u.slots.text) q.set('q', u.slots.text);
        if (u.slots.kind) q.set('kind', u.slots.kind);
        const r = await call('GET', `/api/v1/catalog/entities?${q}`);
        if (r.status !== 200) return failed(understood, r);
        const page = r.body as { items: { ref: string; kind: string; metadata: { name: string; title?: string } }[]; totalCount: number; totalCountIsEstimate?: boolean };
        const items = page.items;
        const what = [u.slots.kind ? `${u.slots.kind} entities` : 'entities', u.slots.text && `matching "${u.slots.text}"`].filter(Boolean).join(' ');
        return {
          understood, result: { catalog: { items, totalCount: page.totalCount } },
          says: items.length ? `${page.totalCountIsEstimate ? 'About ' : ''}${page.totalCount} ${what} in the catalog; the best: ${items.slice(0, 5).map((i) => i.metadata.title ?? i.metadata.name).join(', ')}.` : `No ${what} in the catalog.`,
        };
      }
      case 'listEnvironments': {
        const live = environments.filter((e) => e.status !== 'deleted');
        return { understood, result: { environments: ok<{ environments: EnvironmentLike[] }>(envs).environments.filter((e) => e.status !== 'deleted') },
          says: live.length ? `You have ${live.length} environment${live.length === 1 ? '' : 's'}: ${live.map((e) => `${e.name} (${titleOf(e.path)}, ${e.status})`).join('; ')}.` : 'You have no environments. Say what you want to build and I will propose a path.' };
      }
      case 'listPaths':
        return { understood, result: { paths: sources.paths.map((p) => ({ name: p.name, title: p.title, description: p.description })) },
          says: `You can launch: ${sources.paths.map((p) => p.title).join(', ')}.`, choices: sources.paths.map((p) => ({ label: `Launch ${p.title}`, text: `launch ${p.name}` })) };
      case 'explainRefusal':
        return explainRefusal(understood, u.slots, who, call, titleOf);
      default:
        return { understood, says: 'I did not understand.' };
    }
  }

  async #confirm(token: string, who: { id: string; team: string }, call: ApiCall): Promise<AssistantAnswer> {
    const read = readConfirmToken(token, who.id, this.#now());
    if ('problem' in read) return { understood: { intent: 'unknown', slots: {} }, says: read.problem, error: { status: 400, code: 'invalid_request', message: `confirm: ${read.problem}` } };
    const { action, request } = read.proposal;
    const id = encodeURIComponent(String(request.id ?? ''));
    const intent = ({ launch_environment: 'launch', stop_environment: 'stopEnvironment', start_environment: 'startEnvironment', delete_environment: 'deleteEnvironment' } as const)[action];
    const understood = { intent, slots: action === 'launch_environment' ? slotsOfLaunch(request) : { environment: String(request.id) } };
    const r = action === 'launch_environment' ? await call('POST', '/api/v1/environments', request)
      : action === 'delete_environment' ? await call('DELETE', `/api/v1/environments/${id}`)
      : await call('POST', `/api/v1/environments/${id}/${action === 'stop_environment' ? 'stop' : 'start'}`);
    if (r.status >= 400) return failed(understood, r);
    const env = r.body as EnvironmentLike;
    const says = action === 'launch_environment'
      ? `Launched ${env.name} (${env.id}): it is ${env.status === 'awaiting-approval' ? 'waiting for the data owners\' approval' : env.status}. Its page: /environments/${env.id}`
      : `${env.name} (${env.id}) is ${env.status}.`;
    return { understood, says, result: { environment: env, link: `/environments/${env.id}` } };
  }

  #sourcesFor(call: ApiCall): Promise<Sources> {
    const now = Date.now();
    if (this.#sources && now - this.#sources.at < SOURCES_TTL_MS) return this.#sources.value;
    const value = (async () => {
      const [paths, teams, facets, datasets] = await Promise.all([
        call('GET', '/api/v1/paths'), call('GET', '/api/v1/teams'), call('GET', '/api/v1/catalog/facets'),
        call('GET', '/api/v1/catalog/entities?kind=Dataset&limit=200&fields=metadata.name,metadata.title'),
      ]);
      const facts = ok<{ paths: PathSummaryLike[] }>(paths).paths.map(pathFacts);
      const facetsOf = field<{ kind: { value: string }[]; tag: { value: string }[] }>(facets, 'facets', { kind: [], tag: [] });
      const kinds = facetsOf.kind.map((k) => k.value);
      const catalogWords = [
        ...facetsOf.tag.map((t) => t.value),
        ...field<{ metadata: { name: string; title?: string } }[]>(datasets, 'items', []).flatMap((d) => [d.metadata.name, d.metadata.title ?? '']),
      ];
      return { paths: facts, vocabulary: buildVocabulary({ paths: facts, teams: ok<{ teams: { id: string; title: string }[] }>(teams).teams, kinds: kinds.length ? kinds : ['Dataset', 'API', 'Component', 'Model'], catalogWords }, intentWords) };
    })();
    this.#sources = { at: now, value };
    value.catch(() => {
      if (this.#sources?.value === value) this.#sources = undefined;
    });
    return value;
  }
}

interface EnvironmentLike { id: string; name: string; path: string; team: string; status: string; reason: string | null; createdAt: string; updatedAt: string; resources: { id: string; type: string; outputs?: Record<string, unknown> }[] }

/** The body of a call that must work (what the assistant reads to understand); anything else is the platform's failure. */
function ok<T>(r: Reply): T {
  if (r.status !== 200) throw new Error(`the assistant could not read what it needs (${r.status}): ${errorOf(r)?.message ?? ''}`);
  return r.body as T;
}

const errorOf = (r: Reply) => (r.body as { error?: { code?: string; message?: string } } | null)?.error;

function failed(understood: AssistantAnswer['understood'], r: Reply): AssistantAnswer {
  const e = { status: r.status, code: errorOf(r)?.code ?? 'failed', message: errorOf(r)?.message ?? `the platform answered ${r.status}` };
  return { understood, says: `The platform refused: ${e.message}`, error: e };
}

const slotsOfLaunch = (r: Record<string, unknown>): Slots => {
  const s: Slots = { path: String(r.path) };
  if (typeof r.team === 'string') s.team = r.team;
  if (typeof r.name === 'string') s.name = r.name;
  if (r.params && typeof r.params === 'object') s.params = r.params as Record<string, string>;
  if (typeof r.reason === 'string') s.reason = r.reason;
  return s;
};

interface Refusal { at: string; says: string; source: 'audit' | 'approval' | 'environment'; environment?: string; path?: string; policies?: string[] }

/**
 * Why a launch was refused, from where the platform keeps each kind of reason: the audit log (a
 * policy said no: its @reason), the approvals (an owner rejected, with their reason) and the
 * environment itself (it failed, with the error). The newest that fits the question wins.
 */
async function explainRefusal(understood: AssistantAnswer['understood'], slots: Slots, who: { id: string; team: string }, call: ApiCall, titleOf: (n?: string) => string): Promise<AssistantAnswer> {
  const found: Refusal[] = [];
  if (slots.environment) {
    const env = await call('GET', `/api/v1/environments/${encodeURIComponent(slots.environment)}`);
    if (env.status !== 200) return failed(understood, env);
    const e = env.body as EnvironmentLike;
    const approvals = await call('GET', `/api/v1/approvals?environment=${encodeURIComponent(e.id)}`);
    for (const a of field<ApprovalLike[]>(approvals, 'approvals', [])) if (a.status === 'rejected') found.push(approvalRefusal(a));
    if (e.status === 'failed') found.push({ at: e.updatedAt, source: 'environment', environment: e.id, path: e.path, says: `${e.name} (${e.id}) failed: ${e.reason ?? 'no reason was recorded'}` });
    if (!found.length) return { understood, says: `${e.name} (${e.id}) was not refused: it is ${e.status}.`, result: { environment: e } };
  } else {
    const [audit, approvals, envs, policies] = await Promise.all([
      auditOfLaunches(call, who),
      call('GET', '/api/v1/approvals?mine=true&status=rejected'),
      call('GET', '/api/v1/environments?mine=true&includeDeleted=true'),
      call('GET', '/api/v1/policies'),
    ]);
    const reasons = new Map(field<{ id: string; reason: string | null }[]>(policies, 'policies', []).map((p) => [p.id, p.reason]));
    for (const row of field<AuditLike[]>(audit, 'entries', [])) {
      if (row.decision !== 'deny' && (row.status ?? 0) < 400) continue;
      const path = row.resource.match(/^Path::"(.+)"$/)?.[1];
      const why = row.policies.map((p) => reasons.get(p)).filter(Boolean);
      const said = why.length ? why.join('; ') : row.policies.includes('default-deny') ? `no policy allows it (only members of ${row.team ?? 'the team'} launch for it)` : `the platform answered ${row.status}`;
      found.push({ at: row.at, source: 'audit', path, policies: row.policies, says: `Your launch of ${titleOf(path)}${row.team ? ` for ${row.team}` : ''} at ${row.at.slice(0, 16).replace('T', ' ')} UTC was refused${row.policies.length ? ` by ${row.policies.join(', ')}` : ''}: ${said}.` });
    }
    for (const a of field<ApprovalLike[]>(approvals, 'approvals', [])) found.push(approvalRefusal(a));
    for (const e of field<EnvironmentLike[]>(envs, 'environments', [])) {
      if (e.status === 'failed') found.push({ at: e.updatedAt, source: 'environment', environment: e.id, path: e.path, says: `${e.name} (${e.id}, ${titleOf(e.path)}) failed: ${e.reason ?? 'no reason was recorded'}` });
    }
  }
  const fitting = found.filter((f) => !slots.path || f.path === slots.path).sort((a, b) => b.at.localeCompare(a.at));
  if (!fitting.length) {
    return { understood, result: { refusals: [] },
      says: `I found no refused launch of yours${slots.path ? ` of ${titleOf(slots.path)}` : ''} in the audit log you may read, your requests for data or your environments. A launch refused for another team is in that team's log (its members and platform admins read it); the error you were given then names the policy.` };
  }
  return { understood, says: fitting[0].says, result: { refusal: fitting[0], others: fitting.slice(1, 5) } };
}

/** The whole log is for admins; anyone else reads their own team's. */
async function auditOfLaunches(call: ApiCall, who: { id: string; team: string }): Promise<Reply> {
  const q = new URLSearchParams({ user: who.id, action: 'launch', limit: '50' });
  const all = await call('GET', `/api/v1/audit?${q}`);
  if (all.status !== 403) return all;
  q.set('team', who.team);
  return call('GET', `/api/v1/audit?${q}`);
}

interface AuditLike { at: string; resource: string; team: string | null; decision: 'allow' | 'deny'; policies: string[]; status: number | null }
interface ApprovalLike { environment: string; environmentName: string; path: string; status: string; approverTeam: string; decidedBy: string | null; decisionReason: string | null; decidedAt: string | null; requestedAt: string }

const approvalRefusal = (a: ApprovalLike): Refusal => ({
  at: a.decidedAt ?? a.requestedAt, source: 'approval', environment: a.environment, path: a.path,
  says: `Your request for ${a.environmentName} (${a.environment}) was rejected by ${a.decidedBy ?? a.approverTeam} of ${a.approverTeam}: ${a.decisionReason ?? 'no reason given'}`,
});

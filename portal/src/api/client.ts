// The typed API client: openapi-fetch over the types generated from the platform's OpenAPI
// document (./schema.ts), so a request or response that drifts from the API fails `tsc`.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.ts';

type Json<P extends keyof paths, M extends 'get' | 'post' | 'delete', S extends number> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Me = Json<'/api/v1/me', 'get', 200>;
export type AuthInfo = Json<'/api/v1/auth', 'get', 200>;
export type Team = Json<'/api/v1/teams', 'get', 200>['teams'][number];
export type GoldenPath = Json<'/api/v1/paths/{name}', 'get', 200>;
export type Environment = Json<'/api/v1/environments/{id}', 'get', 200>;
export type Resource = Environment['resources'][number];
export type EnvEvent = Json<'/api/v1/environments/{id}/events', 'get', 200>['events'][number];
export type EnvironmentStatus = Environment['status'];
export type Approval = Json<'/api/v1/approvals', 'get', 200>['approvals'][number];
export type ApprovalStatus = Approval['status'];
export type Dataset = Json<'/api/v1/datasets/{schema}/{name}', 'get', 200>;
export type CatalogPage = Json<'/api/v1/catalog/entities', 'get', 200>;
export type CatalogFacets = NonNullable<CatalogPage['facets']>;
export type CatalogEntity = CatalogPage['items'][number];
export type CatalogEntityWithRelations = Json<'/api/v1/catalog/entities/by-ref/{kind}/{namespace}/{name}', 'get', 200>;
export type CatalogRelation = CatalogEntityWithRelations['relations'][number];

export interface ApiErrorBody {
  error: { code: string; message: string; details?: { field: string; message: string }[] };
}

/** An API error as a person should read it; `status` 0 means the platform could not be reached. */
export class ApiError extends Error {
  status: number;
  code: string;
  details: { field: string; message: string }[];
  constructor(status: number, body: Partial<ApiErrorBody> | undefined, fallback: string) {
    super(body?.error?.message ?? fallback);
    this.status = status;
    this.code = body?.error?.code ?? 'error';
    this.details = body?.error?.details ?? [];
  }
}

const TOKEN_KEY = 'goldpath.token';
let token: string | null = localStorage.getItem(TOKEN_KEY);
let onUnauthorized: () => void = () => {};

export const session = {
  token: () => token,
  set(t: string | null) {
    token = t;
    if (t) localStorage.setItem(TOKEN_KEY, t);
    else localStorage.removeItem(TOKEN_KEY);
  },
  /** Called when the API says the token no longer works (revoked, expired, signed out elsewhere). */
  onUnauthorized(fn: () => void) {
    onUnauthorized = fn;
  },
};

const auth: Middleware = {
  onRequest({ request }) {
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !new URL(request.url).pathname.endsWith('/sessions')) onUnauthorized();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: location.origin });
api.use(auth);

/** Unwraps an openapi-fetch result: the data, or an ApiError with the API's own message. */
export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await p;
  } catch {
    throw new ApiError(0, undefined, 'The platform did not answer. Is `goldpath up` still running?');
  }
  if (r.error !== undefined || !r.response.ok) {
    throw new ApiError(r.response.status, r.error as ApiErrorBody, `The platform answered ${r.response.status} ${r.response.statusText}`);
  }
  return r.data as T;
}

/**
 * For endpoints that are not in the OpenAPI document (none today): plain fetch with the same token
 * and error shape.
 */
export async function getUntyped<T>(path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError(0, undefined, 'The platform did not answer. Is `goldpath up` still running?');
  }
  const body = (await res.json().catch(() => undefined)) as unknown;
  if (res.status === 401) onUnauthorized();
  if (!res.ok) throw new ApiError(res.status, body as ApiErrorBody, `The platform answered ${res.status}`);
  return body as T;
}

/**
 * Live updates of one environment over server-sent events. EventSource cannot send a header, and
 * the API token must not go in a URL (logs, history, Referer): each connection, the first and every
 * reconnect, opens with a fresh single-use ticket. EventSource's own reconnect would reuse the spent
 * ticket, so on error we close it and open a new one, after a backoff, from the last event seen.
 */
export function streamEnvironment(
  id: string,
  handlers: { onEvent?: (e: EnvEvent) => void; onEnvironment?: (env: Environment) => void; onError?: () => void },
): () => void {
  let es: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let lastEventId = 0;
  let failures = 0;

  const retry = () => {
    if (closed) return;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6)) * (0.75 + Math.random() / 2);
    failures += 1;
    timer = setTimeout(() => void open(), delay);
  };
  const open = async () => {
    if (closed) return;
    let ticket: string;
    try {
      ticket = (await call(api.POST('/api/v1/stream-tickets', { body: { environmentId: id } }))).ticket;
    } catch (e) {
      handlers.onError?.();
      // Signed out, or the environment is gone or not ours: asking again would not help.
      if (e instanceof ApiError && [401, 403, 404].includes(e.status)) return;
      return retry();
    }
    if (closed) return;
    const query = new URLSearchParams({ ticket });
    if (lastEventId) query.set('after', String(lastEventId));
    const source = new EventSource(`/api/v1/environments/${encodeURIComponent(id)}/stream?${query}`);
    es = source;
    source.addEventListener('event', (m) => {
      const e = JSON.parse((m as MessageEvent<string>).data) as EnvEvent;
      lastEventId = Math.max(lastEventId, e.id);
      failures = 0; // progress: the connection works, so a later drop retries quickly again
      handlers.onEvent?.(e);
    });
    source.addEventListener('environment', (m) => {
      handlers.onEnvironment?.(JSON.parse((m as MessageEvent<string>).data) as Environment);
    });
    source.onerror = () => {
      source.close();
      if (es === source) es = null;
      handlers.onError?.();
      retry();
    };
  };

  void open();
  return () => {
    closed = true;
    clearTimeout(timer);
    es?.close();
  };
}

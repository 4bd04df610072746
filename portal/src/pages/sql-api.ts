// The SQL console's calls: typed ones through the API client, and the CSV download by fetch with
// the token (a plain link cannot carry it, and the token must not go in a URL).
import { api, ApiError, call, session, type ApiErrorBody } from '../api/client.ts';

type SqlAnswer = Awaited<ReturnType<typeof call<NonNullable<Awaited<ReturnType<typeof postSql>>['data']>>>>;
type SqlResultOf = Exclude<SqlAnswer, string>;
export type SqlResult = SqlResultOf;
export type SchemaRelation = Awaited<ReturnType<typeof loadSchema>>['relations'][number];
export type SavedQuery = Awaited<ReturnType<typeof loadSavedQueries>>[number];

export const PAGE_ROWS = 100;

const postSql = (id: string, sql: string, offset: number) =>
  api.POST('/api/v1/environments/{id}/sql', { params: { path: { id }, query: {} }, body: { sql, limit: PAGE_ROWS, offset } });

export function runSql(id: string, sql: string, offset = 0) {
  // Asked without format=csv or Accept: text/csv, the route answers JSON.
  return call(postSql(id, sql, offset)) as Promise<SqlResultOf>;
}

export function loadSchema(id: string) {
  return call(api.GET('/api/v1/environments/{id}/sql/schema', { params: { path: { id } } }));
}

export async function loadSavedQueries(id: string) {
  return (await call(api.GET('/api/v1/environments/{id}/queries', { params: { path: { id } } }))).queries;
}

export function saveQuery(id: string, name: string, sql: string) {
  return call(api.POST('/api/v1/environments/{id}/queries', { params: { path: { id } }, body: { name, sql } }));
}

/** Every row (up to the API's cap) as CSV, saved under the name the API gives. */
export async function downloadCsv(id: string, sql: string): Promise<string> {
  const token = session.token();
  let res: Response;
  try {
    res = await fetch(`/api/v1/environments/${encodeURIComponent(id)}/sql?format=csv`, {
      method: 'POST',
      headers: { Accept: 'text/csv', 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ sql }),
    });
  } catch {
    throw new ApiError(0, undefined, 'The platform did not answer. Is `goldpath up` still running?');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as ApiErrorBody | undefined;
    throw new ApiError(res.status, body, `The platform answered ${res.status}`);
  }
  const blob = await res.blob();
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'query.csv';
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

// The SQL console's calls: typed ones through the API client, and the CSV download.
import { api, call } from '../api/client.ts';
import { downloadCsv as saveCsv } from '../lib/csv-download.ts';

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
export function downloadCsv(id: string, sql: string): Promise<string> {
  return saveCsv(`/api/v1/environments/${encodeURIComponent(id)}/sql?format=csv`, { method: 'POST', body: { sql } }, 'query.csv');
}

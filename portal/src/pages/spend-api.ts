// Reading a team's spend report, and downloading it as CSV with the API token (a plain link
// cannot carry the token, and the token must not go in a URL).
import { api, ApiError, call, session, type ApiErrorBody } from '../api/client.ts';
import type { SpendGrouping, SpendReport } from './spend-types.ts';
import type { SpendWindow } from './spend-window.ts';

export interface SpendQuery extends SpendWindow {
  team: string;
  by: SpendGrouping;
}

const search = (q: SpendQuery, extra: Record<string, string> = {}) =>
  new URLSearchParams({ team: q.team, by: q.by, from: q.from, ...(q.to ? { to: q.to } : {}), ...extra }).toString();

export function loadSpend(q: SpendQuery): Promise<SpendReport> {
  // The route can answer CSV too; asked without format=csv or Accept: text/csv, it answers JSON.
  return call(api.GET('/api/v1/spend', { params: { query: { team: q.team, by: q.by, from: q.from, to: q.to } } })) as Promise<SpendReport>;
}

/** The report's CSV, saved under the name the API gives it (or one made from the query). */
export async function downloadSpendCsv(q: SpendQuery): Promise<string> {
  const token = session.token();
  let res: Response;
  try {
    res = await fetch(`/api/v1/spend?${search(q, { format: 'csv' })}`, { headers: { Accept: 'text/csv', ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
  } catch {
    throw new ApiError(0, undefined, 'The platform did not answer. Is `goldpath up` still running?');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as ApiErrorBody | undefined;
    throw new ApiError(res.status, body, `The platform answered ${res.status}`);
  }
  const blob = await res.blob();
  const given = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const name = given ?? `spend-${q.team}-${q.by}-${q.from.slice(0, 10)}${q.to ? `-${q.to.slice(0, 10)}` : ''}.csv`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the blob to the browser's download; free it once that has started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

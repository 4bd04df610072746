// Reading a team's spend report, and downloading it as CSV.
import { api, call } from '../api/client.ts';
import { downloadCsv } from '../lib/csv-download.ts';
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
export function downloadSpendCsv(q: SpendQuery): Promise<string> {
  const fallback = `spend-${q.team}-${q.by}-${q.from.slice(0, 10)}${q.to ? `-${q.to.slice(0, 10)}` : ''}.csv`;
  return downloadCsv(`/api/v1/spend?${search(q, { format: 'csv' })}`, {}, fallback);
}

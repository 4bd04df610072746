import type { ApiClient } from '../client.ts';
import { reportCsv } from '../../domain/spend/csv.ts';
import type { ReportRow } from '../../domain/spend/report.ts';
import { bold, red, table } from '../format.ts';
import { print, printJson } from '../output.ts';

// Only the HTTP API and pure formatting: the CSV is written by the same function the API uses.

interface Budget { monthly: string; spentThisMonth: string; percent: number; threshold: number; state: 'ok' | 'warning' | 'exceeded' }
interface SpendReport {
  currency: string; team: string; from: string; to: string; by: string; total: string;
  rows: ReportRow[]; daily: { day: string; amount: string }[]; budget: Budget | null;
}

const budgetLine = (b: Budget, currency: string): string => {
  const line = `budget: ${b.spentThisMonth} of ${b.monthly} ${currency} this month (${b.percent} %, notice at ${b.threshold} %)`;
  return b.state === 'exceeded' ? red(`${line}: spent, new launches are refused`) : b.state === 'warning' ? bold(line) : line;
};

/** `goldpath spend [--team] [--by] [--from --to] [--csv|--json]`: a team's itemised usage and spend. */
export async function showSpend(client: ApiClient, opts: { team?: string; by?: string; from?: string; to?: string; csv?: boolean; json?: boolean }): Promise<number> {
  const query = new URLSearchParams();
  for (const k of ['team', 'by', 'from', 'to'] as const) if (opts[k]) query.set(k, opts[k]);
  const report = await client.request<SpendReport>('GET', `/api/v1/spend?${query}`);
  if (opts.json) {
    printJson(report);
    return 0;
  }
  if (opts.csv) {
    process.stdout.write(reportCsv(report));
    return 0;
  }
  print(`team ${report.team}, ${report.from.slice(0, 16).replace('T', ' ')} to ${report.to.slice(0, 16).replace('T', ' ')} UTC, by ${report.by}, in ${report.currency}`);
  const rows = report.rows.map((r) => ({ [report.by]: r.key, what: r.label, quantity: r.quantity === null ? '' : `${r.quantity} ${r.unit}`, amount: r.amount }));
  rows.push({ [report.by]: 'TOTAL', what: '', quantity: '', amount: report.total });
  print(table(rows, [report.by, 'what', 'quantity', 'amount'], (i) => (i === rows.length - 1 ? bold : undefined)));
  if (report.budget) print(budgetLine(report.budget, report.currency));
  return 0;
}

interface BudgetView { team: string; monthly: string; threshold: number; updatedBy: string | null; status: Budget | null }

/** `goldpath budgets [--team --set <amount> [--threshold <percent>]]`: the teams' monthly budgets; admins set them. */
export async function budgets(client: ApiClient, opts: { team?: string; set?: string; threshold?: string; json?: boolean }): Promise<number> {
  if (opts.set !== undefined) {
    const team = opts.team ?? (await client.request<{ team: string }>('GET', '/api/v1/me')).team;
    const threshold = opts.threshold === undefined ? undefined : Number(opts.threshold);
    const b = await client.request<BudgetView>('PUT', `/api/v1/budgets/${encodeURIComponent(team)}`, { monthly: opts.set, threshold });
    if (opts.json) printJson(b);
    else print(`team ${b.team}: ${b.monthly} a month, notice at ${b.threshold} %`);
    return 0;
  }
  const data = await client.request<{ currency: string; budgets: BudgetView[] }>('GET', '/api/v1/budgets');
  const shown = opts.team ? data.budgets.filter((b) => b.team === opts.team) : data.budgets;
  if (opts.json) {
    printJson({ ...data, budgets: shown });
    return 0;
  }
  if (shown.length === 0) {
    print('no budgets set (admins: goldpath budgets --team <team> --set <amount>)');
    return 0;
  }
  print(table(shown.map((b) => ({
    team: b.team, monthly: `${b.monthly} ${data.currency}`, spent: b.status?.spentThisMonth ?? '', used: b.status ? `${b.status.percent} %` : '',
    notice: `${b.threshold} %`, state: b.status?.state ?? '',
  })), ['team', 'monthly', 'spent', 'used', 'notice', 'state'], (i) => (shown[i].status?.state === 'exceeded' ? red : undefined)));
  return 0;
}

import { createRoute, z } from '@hono/zod-openapi';
import type pg from 'pg';
import { BudgetState } from '../domain/spend/budget.ts';
import { reportCsv } from '../domain/spend/csv.ts';
import { monthStart, ReportGrouping, ReportRow } from '../domain/spend/report.ts';
import { PlatformError } from '../engine/errors.ts';
import { teamExists } from '../engine/identity/users.ts';
import { ask } from '../engine/policy/guard.ts';
import { budgetStatus, listBudgets, setBudget } from '../engine/spend/budgets.ts';
import type { Spend } from '../engine/spend/service.ts';
import { authorize } from './authorize.ts';
import { errors, json, secured, type Api } from './openapi.ts';

const dateOrTime = (what: string) => z.string().max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(new Date(s).getTime()), { message: `${what} must be an ISO date (2026-12-01) or date and time (2026-12-01T08:00:00Z)` });

const SpendQuery = z.object({
  team: z.string().min(1).max(200).optional().openapi({ description: 'The team (default: yours); `*` for every team, with the shared services\' idle rows (admins)', example: 'churn-analytics' }),
  by: ReportGrouping.default('resource').openapi({ description: 'How rows are grouped' }),
  from: dateOrTime('from').optional().openapi({ description: 'Start of the window (default: the first day of this month, UTC)', example: '2026-12-01' }),
  to: dateOrTime('to').optional().openapi({ description: 'End of the window, exclusive (default: now); a date alone means the end of that day', example: '2026-12-31' }),
  format: z.enum(['json', 'csv']).optional().openapi({ description: 'csv for a spreadsheet (or send Accept: text/csv)' }),
});

const SpendReportSchema = z.object({
  currency: z.string(), team: z.string(), from: z.string(), to: z.string(), by: ReportGrouping,
  total: z.string().openapi({ description: 'The exact decimal sum of rows[].amount', example: '12.3400' }),
  rows: z.array(ReportRow),
  daily: z.array(z.object({ day: z.string(), amount: z.string() })),
  budget: BudgetState.nullable(),
}).openapi('SpendReport');

const BudgetView = z.object({
  team: z.string(), monthly: z.string(), threshold: z.number().int(), updatedBy: z.string().nullable(), updatedAt: z.string(),
  status: BudgetState.nullable(),
}).openapi('Budget');

const BudgetBody = z.object({
  monthly: z.union([z.string(), z.number()]).transform(String)
    .refine((s) => /^\d{1,12}(\.\d{1,2})?$/.test(s), { message: 'monthly must be an amount like "500.00" (0 or more, at most 2 decimals)' }),
  threshold: z.number({ error: 'threshold must be a whole percent from 1 to 100' }).int('threshold must be a whole percent').min(1, 'threshold must be at least 1').max(100, 'threshold is at most 100').default(80),
});
const TeamParam = z.object({ team: z.string().min(1).max(200).openapi({ param: { name: 'team', in: 'path' }, example: 'churn-analytics' }) });

/** A date alone is that whole UTC day: as `to`, its end. */
const instant = (s: string, end: boolean): Date => {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return new Date(Date.parse(`${s}T00:00:00Z`) + (end ? 86_400_000 : 0));
  return new Date(s);
};
const MAX_WINDOW_DAYS = 732;

/** Usage and spend per team (docs/spend.md): itemised reports, CSV, and the teams' monthly budgets. */
export function registerSpendRoutes(app: Api, deps: { pool: pg.Pool; spend: Spend }): void {

  app.openapi(createRoute({ method: 'get', path: '/api/v1/spend', security: secured, tags: ['spend'],
    summary: 'An itemised usage and spend report',
    description: 'Rows grouped by resource, resource type, user, path, environment, team or day, for any window; the total is the exact sum of the rows. Amounts are decimal strings in the rate card\'s currency.',
    request: { query: SpendQuery },
    responses: {
      200: { description: 'The report (JSON, or CSV with a final TOTAL line)', content: { 'application/json': { schema: SpendReportSchema }, 'text/csv': { schema: z.string() } } },
      400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404],
    } }),
    async (c) => {
      const q = c.req.valid('query');
      const spend = deps.spend;
      const now = spend.reports.clock.now();
      const from = q.from ? instant(q.from, false) : monthStart(now);
      const to = q.to ? instant(q.to, true) : now;
      if (to <= from) throw new PlatformError(400, 'invalid_request', `the window is empty: to (${to.toISOString()}) must come after from (${from.toISOString()})`, [{ field: 'to', message: 'must come after from' }]);
      if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * 86_400_000) throw new PlatformError(400, 'invalid_request', `the window is longer than ${MAX_WINDOW_DAYS} days; ask for a shorter one`, [{ field: 'from', message: 'too far before to' }]);
      const all = q.team === '*';
      const team = all ? null : (q.team ?? c.get('user').team);
      if (team !== null && !(await teamExists(deps.pool, team))) throw new PlatformError(404, 'unknown_team', `no team "${team}"`);
      authorize(c, 'readSpend', team === null ? { type: 'Platform' } : { type: 'Team', id: team });
      const report = await spend.reports.report({ team, from, to, by: q.by });
      const budget = team === null ? null : await budgetStatus(deps.pool, spend.reports, team);
      if (q.format === 'csv' || (q.format === undefined && /\btext\/csv\b/.test(c.req.header('accept') ?? ''))) {
        const name = `spend-${team ?? 'all-teams'}-${from.toISOString().slice(0, 10)}-${q.by}.csv`;
        return c.body(reportCsv(report), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` }) as never;
      }
      return c.json({ ...report, team: team ?? '*', budget }, 200);
    });

  app.openapi(createRoute({ method: 'get', path: '/api/v1/budgets', security: secured, tags: ['spend'],
    summary: 'The monthly budgets of the teams you may see, and where each stands',
    responses: { 200: json(z.object({ currency: z.string(), budgets: z.array(BudgetView) }), 'Budgets'), 401: errors[401] } }),
    async (c) => {
      const spend = deps.spend;
      const user = c.get('user');
      const visible = (await listBudgets(deps.pool)).filter((b) => ask(c.get('policy'), user, 'readSpend', { type: 'Team', id: b.team }).allowed);
      const budgets = [];
      for (const b of visible) budgets.push({ ...b, status: await budgetStatus(deps.pool, spend.reports, b.team) });
      return c.json({ currency: spend.card().currency, budgets }, 200);
    });

  app.openapi(createRoute({ method: 'put', path: '/api/v1/budgets/{team}', security: secured, tags: ['spend'],
    summary: 'Set a team\'s monthly budget (admins)',
    description: 'A notice goes to the team when its spend this month reaches threshold %; at 100 % the policy engine refuses new launches for it (running environments keep running).',
    request: { params: TeamParam, body: { required: true, content: { 'application/json': { schema: BudgetBody } } } },
    responses: { 200: json(BudgetView, 'The budget as set'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] } }),
    async (c) => {
      const { team } = c.req.valid('param');
      const body = c.req.valid('json');
      if (!(await teamExists(deps.pool, team))) throw new PlatformError(404, 'unknown_team', `no team "${team}"`);
      authorize(c, 'setBudget', { type: 'Team', id: team });
      const budget = await setBudget(deps.pool, team, body, c.get('user').id);
      return c.json({ ...budget, status: await budgetStatus(deps.pool, deps.spend.reports, team) }, 200);
    });
}

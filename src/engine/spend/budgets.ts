import { Decimal } from 'decimal.js';
import type pg from 'pg';
import { budgetState, type BudgetState } from '../../domain/spend/budget.ts';
import { monthStart } from '../../domain/spend/report.ts';
import type { Queryable } from '../audit/log.ts';
import { inTransaction } from '../../infrastructure/postgres/transaction.ts';
import { notify } from '../notices/notices.ts';
import type { SpendReports } from './reports.ts';

/** A team's monthly budget as stored: a notice to the team at `threshold` %, launches refused at 100 %. */
export interface Budget {
  team: string;
  monthly: string;
  threshold: number;
  updatedBy: string | null;
  updatedAt: string;
}

interface BudgetRow { team_id: string; monthly: string; threshold: number; updated_by: string | null; updated_at: Date }
const toBudget = (r: BudgetRow): Budget => ({
  team: r.team_id, monthly: new Decimal(r.monthly).toFixed(2), threshold: r.threshold, updatedBy: r.updated_by, updatedAt: r.updated_at.toISOString(),
});

export async function budgetOf(db: Queryable, team: string): Promise<Budget | null> {
  const { rows } = await db.query<BudgetRow>('SELECT * FROM budgets WHERE team_id = $1', [team]);
  return rows[0] ? toBudget(rows[0]) : null;
}

export async function listBudgets(db: Queryable): Promise<Budget[]> {
  const { rows } = await db.query<BudgetRow>('SELECT * FROM budgets ORDER BY team_id');
  return rows.map(toBudget);
}

export async function setBudget(db: Queryable, team: string, budget: { monthly: string; threshold: number }, by: string): Promise<Budget> {
  const { rows } = await db.query<BudgetRow>(
    `INSERT INTO budgets (team_id, monthly, threshold, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (team_id) DO UPDATE SET monthly = EXCLUDED.monthly, threshold = EXCLUDED.threshold, updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING *`,
    [team, budget.monthly, budget.threshold, by],
  );
  return toBudget(rows[0]);
}

/** Where the team stands this month; null when it has no budget. */
export async function budgetStatus(db: Queryable, reports: SpendReports, team: string): Promise<BudgetState | null> {
  const budget = await budgetOf(db, team);
  if (!budget) return null;
  return budgetState(budget, await reports.spentThisMonth(team));
}

/**
 * Whether a launch for the team is over its budget: what launch hands the policy engine as
 * context.budgetExceeded (policies/platform.cedar refuses the launch then).
 */
export async function budgetExceeded(db: Queryable, reports: SpendReports, team: string): Promise<boolean> {
  return (await budgetStatus(db, reports, team))?.state === 'exceeded';
}

/**
 * Tells each team that crossed its threshold, or spent its whole budget, this month: once per level
 * and month however often it runs (the alert row and the notice are written together, or neither).
 */
export async function checkBudgets(pool: pg.Pool, reports: SpendReports): Promise<{ team: string; level: 'warning' | 'exceeded' }[]> {
  const sent: { team: string; level: 'warning' | 'exceeded' }[] = [];
  const month = monthStart(reports.clock.now()).toISOString().slice(0, 10);
  for (const budget of await listBudgets(pool)) {
    const state = budgetState(budget, await reports.spentThisMonth(budget.team));
    if (state.state === 'ok') continue;
    const levels = state.state === 'exceeded' ? (['warning', 'exceeded'] as const) : (['warning'] as const);
    for (const level of levels) {
      const wrote = await inTransaction(pool, async (db) => {
        const { rowCount } = await db.query('INSERT INTO budget_alerts (team_id, month, level) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [budget.team, month, level]);
        if (!rowCount) return false;
        if (level === 'warning' && state.state === 'exceeded') return false; // the exceeded notice says it all
        await notify(db, {
          team: budget.team, kind: level === 'warning' ? 'budget-warning' : 'budget-exceeded',
          message: level === 'warning'
            ? `team ${budget.team} has spent ${state.percent} % of its ${budget.monthly} monthly budget (${state.spentThisMonth}); at 100 % new launches are refused (goldpath spend --team ${budget.team})`
            : `team ${budget.team} has spent its whole ${budget.monthly} monthly budget (${state.spentThisMonth}): new launches are refused until next month or until an admin raises it; running environments keep running`,
        });
        return true;
      });
      if (wrote) sent.push({ team: budget.team, level });
    }
  }
  return sent;
}

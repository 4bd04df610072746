import { Decimal } from 'decimal.js';
import { z } from 'zod';

export const BudgetState = z.object({
  monthly: z.string(),
  spentThisMonth: z.string(),
  /** Whole percent spent, rounded down (so 100 means the budget is used up). */
  percent: z.number().int(),
  threshold: z.number().int(),
  state: z.enum(['ok', 'warning', 'exceeded']),
});
export type BudgetState = z.infer<typeof BudgetState>;

/** Where a team stands against its monthly budget: a warning from the threshold, exceeded at 100 %. */
export function budgetState(budget: { monthly: Decimal.Value; threshold: number }, spent: Decimal.Value): BudgetState {
  const monthly = new Decimal(budget.monthly);
  const used = new Decimal(spent);
  const percent = monthly.isZero() ? (used.gt(0) ? 100 : 0) : used.times(100).div(monthly).floor().toNumber();
  const exceeded = monthly.isZero() ? true : used.gte(monthly);
  const state = exceeded ? 'exceeded' : percent >= budget.threshold ? 'warning' : 'ok';
  return { monthly: monthly.toFixed(2), spentThisMonth: used.toFixed(4), percent, threshold: budget.threshold, state };
}

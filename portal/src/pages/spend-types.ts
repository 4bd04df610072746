// The spend API's shapes, as agreed in the spend contract, until the generated schema has them.
// Amounts are exact decimal strings ("12.3400"): the API adds them up with decimal arithmetic,
// and the portal only formats them, never sums them.

export type SpendGrouping = 'resource' | 'resourceType' | 'user' | 'path' | 'environment' | 'team' | 'day';

/** The `team` that asks for every team's spend, the shared services' idle rows included (admins). */
export const ALL_TEAMS = '*';

export interface SpendRow {
  key: string;
  label: string;
  amount: string;
  quantity?: string | null;
  unit?: string | null;
  /** Shared-service capacity that no environment used in the window: shown, never hidden. */
  idle: boolean;
  team?: string | null;
  user?: string | null;
  path?: string | null;
  environment?: string | null;
  resourceType?: string | null;
}

export interface SpendBudget {
  monthly: string;
  spentThisMonth: string;
  percent: number;
  threshold: number;
  state: 'ok' | 'warning' | 'exceeded';
}

export interface SpendReport {
  currency: string;
  team: string;
  from: string;
  to: string;
  by: SpendGrouping;
  total: string;
  rows: SpendRow[];
  daily: { day: string; amount: string }[];
  budget: SpendBudget | null;
}

export interface PathCost {
  currency: string;
  perDay: string;
  items: { resource: string; type: string; perDay: string; basis: string }[];
}

/** A path's estimated cost, which older platforms (and paths the rate card cannot price) lack. */
export const pathCost = (path: object): PathCost | null => (path as { cost?: PathCost | null }).cost ?? null;

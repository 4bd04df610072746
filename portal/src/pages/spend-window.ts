// The spend page's windows as the API's from/to instants. Months and days are UTC, like the
// platform's monthly budgets; `to` is exclusive, and left out when the window runs to now.

export type WindowChoice = 'this-month' | 'last-month' | 'last-7-days' | 'custom';

export interface SpendWindow {
  from: string;
  to?: string;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The window for a choice; a custom one needs both days picked (YYYY-MM-DD, both included). */
export function spendWindow(choice: WindowChoice, now: Date, custom: [string | null, string | null] = [null, null]): SpendWindow | null {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  switch (choice) {
    case 'this-month':
      return { from: iso(Date.UTC(y, m, 1)) };
    case 'last-month':
      return { from: iso(Date.UTC(y, m - 1, 1)), to: iso(Date.UTC(y, m, 1)) };
    case 'last-7-days':
      return { from: iso(Date.UTC(y, m, now.getUTCDate()) - 6 * DAY) };
    case 'custom': {
      const [first, last] = custom;
      if (!first || !last) return null;
      return { from: iso(Date.parse(`${first}T00:00:00Z`)), to: iso(Date.parse(`${last}T00:00:00Z`) + DAY) };
    }
  }
}

/** "1 Dec – 2 Dec 2026": the report's own window, as the API answered it (its `to` is exclusive). */
export function windowLabel(from: string, to: string): string {
  const day = (ms: number, year: boolean) => new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: year ? 'numeric' : undefined, timeZone: 'UTC' });
  const start = Date.parse(from);
  const endMs = Date.parse(to);
  // An exclusive midnight end is the day before; "to now" is today.
  const last = new Date(endMs).toISOString().endsWith('T00:00:00.000Z') ? endMs - DAY : endMs;
  const sameYear = new Date(start).getUTCFullYear() === new Date(last).getUTCFullYear();
  if (new Date(start).toISOString().slice(0, 10) === new Date(last).toISOString().slice(0, 10)) return day(start, true);
  return `${day(start, !sameYear)} – ${day(last, true)}`;
}

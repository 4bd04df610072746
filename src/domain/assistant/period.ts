import type { Period } from './schema.ts';
import { editDistance } from './words.ts';

/**
 * Periods people say ("last month", "this quarter", "since March", "last 7 days", "in November
 * 2026") as UTC dates, relative to `now`. Whole days: the spend report's `to` date includes that day.
 */

const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const shortMonths = months.map((m) => m.slice(0, 3));

const iso = (d: Date): string => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d = 1): Date => new Date(Date.UTC(y, m, d));
const addDays = (d: Date, n: number): Date => new Date(d.getTime() + n * 86_400_000);

/** A month word, typos allowed on the long names ("septmber"); "may" only as itself. */
export function monthOf(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  const exact = months.indexOf(w);
  if (exact >= 0) return exact;
  const short = shortMonths.indexOf(w);
  if (short >= 0) return short;
  if (w === 'sept') return 8;
  if (w.length >= 5) {
    const near = months.findIndex((m) => m.length >= 5 && editDistance(w, m, 1) <= 1);
    if (near >= 0) return near;
  }
  return undefined;
}

const unitDays: Record<string, number> = { day: 1, days: 1, week: 7, weeks: 7 };

/** Finds a period in the words of a sentence, or undefined when it names none. */
export function findPeriod(words: string[], now: Date): Period | undefined {
  const text = ` ${words.join(' ')} `;
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const today = utc(y, m, now.getUTCDate());
  const quarterStart = (yy: number, q: number) => utc(yy, q * 3);
  const q = Math.floor(m / 3);

  const n = text.match(/ (?:last|past|previous) (\d{1,3}) (days?|weeks?|months?) /);
  if (n) {
    const count = Number(n[1]);
    if (n[2].startsWith('month')) return { label: `the last ${count} months`, from: iso(utc(y, m - count, now.getUTCDate())) };
    return { label: `the last ${count} ${n[2]}`, from: iso(addDays(today, -count * unitDays[n[2]] + 1)) };
  }
  if (/ today /.test(text)) return { label: 'today', from: iso(today) };
  if (/ yesterday /.test(text)) return { label: 'yesterday', from: iso(addDays(today, -1)), to: iso(addDays(today, -1)) };
  const monday = addDays(today, -((today.getUTCDay() + 6) % 7));
  if (/ (this|current) week /.test(text)) return { label: 'this week', from: iso(monday) };
  if (/ (last|previous|past) week /.test(text)) return { label: 'last week', from: iso(addDays(monday, -7)), to: iso(addDays(monday, -1)) };
  if (/ (this|current) month | month to date | so far this month /.test(text)) return { label: 'this month', from: iso(utc(y, m)) };
  if (/ (last|previous|past) month /.test(text)) return { label: 'last month', from: iso(utc(y, m - 1)), to: iso(addDays(utc(y, m), -1)) };
  if (/ (this|current) quarter /.test(text)) return { label: 'this quarter', from: iso(quarterStart(y, q)) };
  if (/ (last|previous|past) quarter /.test(text)) {
    const start = quarterStart(y, q - 1);
    return { label: 'last quarter', from: iso(start), to: iso(addDays(quarterStart(y, q), -1)) };
  }
  if (/ (this|current) year | year to date | ytd /.test(text)) return { label: 'this year', from: iso(utc(y, 0)) };
  if (/ (last|previous|past) year /.test(text)) return { label: 'last year', from: iso(utc(y - 1, 0)), to: iso(utc(y - 1, 11, 31)) };

  // "since March", "since 2026-11-15", "in November", "for October 2026", "during may"
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const next = words[i + 1];
    if (!next) continue;
    const date = next.match(/^(\d{4})-(\d{2})-(\d{2})$/);
    if ((w === 'since' || w === 'from' || w === 'after') && date) return { label: `since ${next}`, from: next };
    const month = monthOf(next);
    if (month === undefined) continue;
    const year = /^\d{4}$/.test(words[i + 2] ?? '') ? Number(words[i + 2]) : month > m ? y - 1 : y;
    const name = months[month][0].toUpperCase() + months[month].slice(1);
    if (w === 'since' || w === 'from' || w === 'after') return { label: `since ${name} ${year}`, from: iso(utc(year, month)) };
    if (w === 'in' || w === 'for' || w === 'during' || w === 'of' || w === 'over') {
      return { label: `${name} ${year}`, from: iso(utc(year, month)), to: iso(addDays(utc(year, month + 1), -1)) };
    }
  }
  return undefined;
}

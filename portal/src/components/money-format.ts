// Money as the platform sends it: exact decimal strings. Intl formats a numeric string exactly
// (no detour through a float), so "12345678.125" rounds the way the ledger would. Plain TS, so the
// e2e test can check it in Node too.

const formats = new Map<string, Intl.NumberFormat>();
function formatter(currency: string, fraction: number): Intl.NumberFormat {
  const key = `${currency}/${fraction}`;
  let f = formats.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat('en', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: fraction });
    } catch {
      // A currency code Intl does not know: the number, then the code.
      f = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: fraction });
    }
    formats.set(key, f);
  }
  return f;
}

const numeric = /^[-+]?\d+(\.\d+)?$/;

/** True for a non-zero amount under one cent, which two decimals would show as 0.00. */
function underACent(amount: string): boolean {
  const [whole, fraction = ''] = amount.replace(/^[-+]/, '').split('.');
  return /^0+$/.test(whole) && fraction.slice(0, 2).padEnd(2, '0') === '00' && /[1-9]/.test(fraction);
}

/** "1234.5000" in EUR → "€1,234.50"; amounts under a cent keep up to four decimals ("€0.0042"). */
export function formatMoney(amount: string, currency: string): string {
  if (!numeric.test(amount)) return `${amount} ${currency}`;
  const f = formatter(currency, underACent(amount) ? 4 : 2);
  const text = f.format(amount as `${number}`);
  return f.resolvedOptions().style === 'currency' ? text : `${text} ${currency}`;
}

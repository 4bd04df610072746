import type { ReportRow } from './report.ts';

/** One CSV field, quoted as RFC 4180 says when it holds a comma, a quote or a line break. */
export function csvField(v: string): string {
  // A leading =, +, - or @ makes spreadsheets run the cell as a formula: a quote mark keeps it text.
  const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const columns = ['key', 'label', 'team', 'user', 'path', 'environment', 'resourceType', 'quantity', 'unit', 'idle', 'amount', 'currency'] as const;

/** The report as CSV: a header, one line per row, a final TOTAL line; CRLF line ends, as RFC 4180 has them. */
export function reportCsv(report: { rows: ReportRow[]; total: string; currency: string }): string {
  const lines = [columns.join(',')];
  for (const r of report.rows) {
    const values: Record<(typeof columns)[number], string> = {
      key: r.key, label: r.label, team: r.team ?? '', user: r.user ?? '', path: r.path ?? '', environment: r.environment ?? '',
      resourceType: r.resourceType ?? '', quantity: r.quantity ?? '', unit: r.unit ?? '', idle: r.idle ? 'yes' : 'no', amount: r.amount, currency: report.currency,
    };
    lines.push(columns.map((c) => csvField(values[c])).join(','));
  }
  lines.push(columns.map((c) => (c === 'key' ? 'TOTAL' : c === 'amount' ? report.total : c === 'currency' ? report.currency : '')).join(','));
  return lines.join('\r\n') + '\r\n';
}

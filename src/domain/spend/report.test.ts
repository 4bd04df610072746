import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { reportCsv } from './csv.ts';
import { buildReport, daysOf, type LineItem } from './report.ts';
import { splitShared } from './split.ts';
import { estimatePathCost } from './estimate.ts';
import { budgetState } from './budget.ts';
import { RateCard } from './rate-card.ts';
import { parseCsv } from '../../../test/support/csv.ts';

const item = (over: Partial<LineItem>): LineItem => ({
  day: '2026-12-01', team: 't', user: 'u', path: 'p', environment: 'e1', environmentName: 'n', resourceId: 'notebook', resourceType: 'notebook',
  kind: 'run', quantity: new Decimal(1), unit: 'hour', amount: new Decimal('0.1200'), idle: false, ...over,
});

test('a report\'s CSV opens in a spreadsheet: parsed back, every row and the total are there, awkward text intact', () => {
  const items = [
    item({ environment: 'e1', environmentName: 'churn, "v2"\nexperiment', amount: new Decimal('0.3333') }),
    item({ environment: 'e2', environmentName: '=HYPERLINK("x")', amount: new Decimal('0.6667') }),
    item({ environment: 'e2', environmentName: '=HYPERLINK("x")', day: '2026-12-02', amount: new Decimal('1.0000') }),
  ];
  const report = buildReport(items, 'environment', daysOf(new Date('2026-12-01T00:00:00Z'), new Date('2026-12-02T12:00:00Z')));
  const csv = reportCsv({ ...report, currency: 'EUR' });
  assert.ok(csv.endsWith('\r\n'), 'the file ends with a line break');
  const rows = parseCsv(csv);
  assert.deepEqual(rows[0], ['key', 'label', 'team', 'user', 'path', 'environment', 'resourceType', 'quantity', 'unit', 'idle', 'amount', 'currency']);
  assert.equal(rows.length, 1 + 2 + 1);
  assert.ok(rows.every((r) => r.length === rows[0].length), 'every line has every column');
  assert.equal(rows[1][1], 'e2 (=HYPERLINK("x"))', 'labels come through');
  assert.equal(rows[2][1], 'e1 (churn, "v2"\nexperiment)');
  assert.deepEqual(rows.at(-1)!.slice(0, 1).concat(rows.at(-1)!.slice(-2)), ['TOTAL', '2.0000', 'EUR']);
  const sum = rows.slice(1, -1).reduce((s, r) => s.plus(r[10]), new Decimal(0));
  assert.equal(sum.toFixed(4), rows.at(-1)![10]);
});

test('a cell a spreadsheet would run as a formula is kept as text', () => {
  const report = buildReport([item({ user: '=cmd|calc', amount: new Decimal(1) })], 'user', ['2026-12-01']);
  const csv = reportCsv({ ...report, currency: 'EUR' });
  assert.ok(csv.endsWith('\r\n'), 'the file ends with a line break');
  const rows = parseCsv(csv);
  assert.equal(rows[1][0], "'=cmd|calc");
});

test('the total equals the sum of the rows, whatever the grouping, and the days cover the window', () => {
  const items = Array.from({ length: 50 }, (_, i) => item({
    environment: `e${i % 7}`, user: `u${i % 3}`, day: `2026-12-0${1 + (i % 3)}`, amount: new Decimal(1).div(3 + i).toDecimalPlaces(4),
  }));
  for (const by of ['resource', 'resourceType', 'user', 'path', 'environment', 'team', 'day'] as const) {
    const r = buildReport(items, by, daysOf(new Date('2026-12-01T00:00:00Z'), new Date('2026-12-04T00:00:00Z')));
    assert.equal(r.rows.reduce((s, x) => s.plus(x.amount), new Decimal(0)).toFixed(4), r.total, by);
    assert.equal(r.daily.reduce((s, x) => s.plus(x.amount), new Decimal(0)).toFixed(4), r.total, `${by}: the chart adds up too`);
    assert.deepEqual(r.daily.map((d) => d.day), ['2026-12-01', '2026-12-02', '2026-12-03']);
  }
});

test('a shared cost split by use: shares in proportion, the rest idle, all adding up to the cost', () => {
  const { shares, idle, total } = splitShared(new Decimal(10), new Map([['a', new Decimal(1)], ['b', new Decimal(2)]]), new Decimal(6));
  assert.equal(shares.get('a')!.toFixed(4), '1.6666');
  assert.equal(shares.get('b')!.toFixed(4), '3.3333');
  assert.equal(idle.toFixed(4), '5.0001');
  assert.equal(shares.get('a')!.plus(shares.get('b')!).plus(idle).toFixed(4), total.toFixed(4));
  const full = splitShared(new Decimal(10), new Map([['a', new Decimal(1)], ['b', new Decimal(2)]]), new Decimal(2));
  assert.equal(full.idle.toFixed(4), '0.0000', 'used beyond capacity: nothing idle');
  assert.equal(full.shares.get('a')!.plus(full.shares.get('b')!).toFixed(4), '10.0000');
  assert.equal(splitShared(new Decimal(5), new Map(), new Decimal(1)).idle.toFixed(4), '5.0000', 'nobody used it: all idle');
});

test('a path\'s cost per day from its resources and the rate card', () => {
  const card = RateCard.parse({
    version: 1, currency: 'EUR',
    compute: { notebook: { defaultSize: 'small', perHour: { small: '0.10', large: '0.50' } } },
    storage: { bucket: { perGbMonth: '0.73', launchEstimateGb: 10 } },
    warehouse: { perGrantHour: '0.02', perQuerySecond: '0.001' },
    repository: { perMonth: '7.30' },
  });
  const cost = estimatePathCost({ nb: { type: 'notebook' }, big: { type: 'notebook', params: { size: 'large' } }, wh: { type: 'warehouse' }, repo: { type: 'git-repo' }, b: { type: 'bucket' }, x: { type: 'scratch' } }, card);
  assert.deepEqual(cost.items.map((i) => [i.resource, i.perDay]), [['nb', '2.4000'], ['big', '12.0000'], ['wh', '0.4800'], ['repo', '0.2400'], ['b', '0.2400'], ['x', '0.0000']]);
  assert.equal(cost.perDay, '15.3600');
  assert.equal(cost.items[0].basis, '24 h × 0.10 EUR/hour (size small)');
});

test('a budget warns from its threshold and is exceeded at 100 %', () => {
  assert.equal(budgetState({ monthly: '100', threshold: 80 }, '79.99').state, 'ok');
  assert.equal(budgetState({ monthly: '100', threshold: 80 }, '80').state, 'warning');
  assert.equal(budgetState({ monthly: '100', threshold: 80 }, '99.9999').percent, 99);
  assert.equal(budgetState({ monthly: '100', threshold: 80 }, '100').state, 'exceeded');
  assert.equal(budgetState({ monthly: '0', threshold: 80 }, '0').state, 'exceeded', 'a budget of nothing allows nothing');
});

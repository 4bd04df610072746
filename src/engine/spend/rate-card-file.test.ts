import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shippedPoliciesDir } from '../../../test/support/policies.ts';
import { RateCardError, RateCardFile, parseRateCard } from './rate-card-file.ts';

test('the shipped rate card is valid and names its currency', () => {
  const card = new RateCardFile([shippedPoliciesDir]).card();
  assert.equal(card.currency, 'EUR');
  assert.ok(card.compute.notebook.perHour.small);
});

test('a rate card\'s mistakes come back with their lines', () => {
  const text = ['version: 1', 'currency: euros', 'compute:', '  notebook:', '    defaultSize: huge', '    perHour: { small: "-1" }', 'repository: { perMonth: 3, extra: 1 }', ''].join('\n');
  const parsed = parseRateCard(text, 'rate-card.yaml');
  assert.ok('errors' in parsed);
  const got = parsed.errors.map((e) => `${e.line} ${e.field}: ${e.message}`);
  assert.deepEqual(got.sort(), [
    '2 currency: must be an ISO 4217 currency code, like EUR',
    '5 compute.notebook.defaultSize: defaultSize must be one of the sizes in perHour',
    '6 compute.notebook.perHour.small: must be a price: a number of 0 or more, like "0.12"',
    '7 repository: unknown field "extra"',
  ]);
});

test('an organisation\'s rate card replaces the shipped one; a broken one is refused with file and line', () => {
  const org = mkdtempSync(join(tmpdir(), 'gp-rates-'));
  writeFileSync(join(org, 'rate-card.yaml'), 'version: 1\ncurrency: CHF\n');
  const file = new RateCardFile([shippedPoliciesDir, org]);
  assert.equal(file.card().currency, 'CHF');
  writeFileSync(join(org, 'rate-card.yaml'), 'version: 1\ncurrency: CHF\nshared:\n  db: { perMonth: "1" }\n');
  // Broken after the start: what reads prices answers 409 with the lines, never a 500.
  assert.throws(() => file.card(), (e: unknown) => e instanceof RateCardError && e.status === 409 && /rate-card\.yaml:4: shared\.db\.splitBy/.test(e.message));
});

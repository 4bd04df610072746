import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicy, parsePolicy } from './policy.ts';
import { maskedQuerySql } from './masking.ts';

const minimal = (column: string) => `
version: 1
datasets:
  customers:
    owner: churn-analytics
    description: Customers.
    columns:
${column}
`;

test('the repository policy file is valid and classifies every PII column with a masking rule', () => {
  const { policy } = loadPolicy();
  const email = policy.datasets.customers.columns.email;
  assert.deepEqual([email.classification, email.masking], ['pii.email', 'hash']);
  for (const ds of Object.values(policy.datasets)) {
    for (const col of Object.values(ds.columns)) if (col.classification?.startsWith('pii.')) assert.notEqual(col.masking, 'none');
  }
});

test('an unknown masking rule is reported with the field that holds it', () => {
  assert.throws(
    () => parsePolicy(minimal('      email: { description: E-mail., classification: pii.email, masking: scramble }'), 'policy.yaml'),
    /policy\.yaml is invalid:\n {2}datasets\.customers\.columns\.email\.masking: .*"hash"/,
  );
});

test('a PII column without a masking rule is refused', () => {
  assert.throws(() => parsePolicy(minimal('      email: { description: E-mail., classification: pii.email }')), /datasets\.customers\.columns\.email\.masking: column is classified pii\.email, so it needs a masking rule/);
});

test('columns and datasets must exist, and rules must fit the column type', () => {
  assert.throws(() => parsePolicy(minimal('      shoe_size: { description: Size. }')), /datasets\.customers\.columns\.shoe_size: table customers has no column shoe_size/);
  assert.throws(() => parsePolicy(minimal('      churned: { description: Label., masking: last4 }')), /churned\.masking: last4 applies to text columns, churned is boolean/);
  assert.throws(() => parsePolicy(minimal('      email: { description: E-mail., masking: year_only }')), /email\.masking: year_only applies to date columns/);
  assert.throws(() => parsePolicy('version: 1\ndatasets:\n  secrets:\n    owner: web\n    description: x\n    columns: {}\n'), /datasets\.secrets: no such warehouse table/);
});

test('a row filter must be a single expression', () => {
  const text = `version: 1\ndatasets:\n  customers:\n    owner: web\n    description: x\n    rowFilter: "true; DROP TABLE sensitive.customers"\n    columns:\n      customer_id: { description: Key. }\n`;
  assert.throws(() => parsePolicy(text), /datasets\.customers\.rowFilter: must be one SQL expression/);
});

test('unknown keys and missing descriptions are named', () => {
  assert.throws(() => parsePolicy(minimal('      email: { description: E-mail., masking: hash, secret: yes }')), /datasets\.customers\.columns\.email: Unrecognized key/);
  assert.throws(() => parsePolicy(minimal('      email: { masking: hash }')), /datasets\.customers\.columns\.email\.description/);
  assert.throws(() => parsePolicy('version: 1\ndatasets: [\n'), /not valid YAML/);
});

test('the masked data holds only the columns the policy lists, masked by their rule', () => {
  const policy = parsePolicy(minimal('      customer_id: { description: Key. }\n      email: { description: E-mail., classification: pii.email, masking: hash }'));
  const sql = maskedQuerySql('customers', policy);
  assert.match(sql, /sha256/);
  assert.doesNotMatch(sql, /full_name|date_of_birth/);
});

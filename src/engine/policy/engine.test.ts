import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shippedPoliciesDir } from '../../../test/support/policies.ts';
import { PolicyEngine } from './engine.ts';
import { PolicyFileError } from './policy-files.ts';

const dana = { type: 'User', id: 'dana', attrs: { admin: false }, parents: [{ type: 'Team', id: 'churn-analytics' }] };
const orgFolder = () => mkdtempSync(join(tmpdir(), 'gp-org-policies-'));
const problemsOf = (dirs: string[]) => {
  try {
    PolicyEngine.load(dirs, { log: () => {} });
  } catch (e) {
    if (e instanceof PolicyFileError) return e.problems;
    throw e;
  }
  assert.fail('the policies loaded');
};

test('a policy that does not parse is reported with its file and line', () => {
  const org = orgFolder();
  writeFileSync(join(org, 'extra.cedar'), '// ours\n\n@id("broken")\npermit (principal, action == Action::"read", resource)\nwhen { principal.admin &&  };\n');
  const [p] = problemsOf([shippedPoliciesDir, org]);
  assert.match(p.file, /extra\.cedar$/);
  assert.equal(p.line, 5);
});

test('a policy that names what the schema does not have is reported at its line, with a hint', () => {
  const org = orgFolder();
  writeFileSync(join(org, 'extra.cedar'), '@id("typo")\npermit (principal, action == Action::"read", resource)\nwhen {\n  resource.dataClas == "masked"\n};\n');
  const [p] = problemsOf([shippedPoliciesDir, org]);
  assert.equal(p.line, 4);
  assert.match(p.message, /dataClas.*not found.*did you mean `dataClass`/);
});

test('every policy needs an @id, and ids are unique across files', () => {
  const org = orgFolder();
  writeFileSync(join(org, 'a.cedar'), 'permit (principal, action == Action::"read", resource);\n\n@id("owner-reads-credentials")\npermit (principal, action == Action::"read", resource);\n');
  const problems = problemsOf([shippedPoliciesDir, org]);
  assert.match(problems[0].message, /needs an @id/);
  assert.equal(problems[0].line, 1);
  assert.match(problems[1].message, /"owner-reads-credentials" is already used at .*platform\.cedar:\d+/);
  assert.equal(problems[1].line, 3);
});

test('an organisation file of the same name replaces the shipped one', () => {
  const org = orgFolder();
  writeFileSync(join(org, 'platform.cedar'), '@id("only-this")\npermit (principal, action == Action::"applyWarehouse", resource);\n');
  const engine = PolicyEngine.load([shippedPoliciesDir, org], { log: () => {} });
  assert.deepEqual(engine.policies.filter((p) => p.file.endsWith('platform.cedar')).map((p) => p.id), ['only-this']);
  assert.equal(engine.decide({ principal: dana, action: 'applyWarehouse', resource: { type: 'Platform', id: 'goldpath' } }).allowed, true);
});

test('a change to the files applies by itself; a broken change is logged and the policies in force stay', async () => {
  const dir = orgFolder();
  cpSync(shippedPoliciesDir, dir, { recursive: true });
  const logged: string[] = [];
  const engine = PolicyEngine.load([dir], { log: (l) => logged.push(l) });
  const reloads: unknown[] = [];
  let next: () => void = () => {};
  engine.watch((r) => {
    reloads.push(r);
    next();
  });
  const reloaded = () => new Promise<void>((resolve) => (next = resolve));
  const warehouse = () => engine.decide({ principal: dana, action: 'applyWarehouse', resource: { type: 'Platform', id: 'goldpath' } }).allowed;
  assert.equal(warehouse(), false);

  let wait = reloaded();
  writeFileSync(join(dir, 'more.cedar'), '@id("dana-applies")\npermit (principal == User::"dana", action == Action::"applyWarehouse", resource);\n');
  await wait;
  assert.equal(warehouse(), true, 'the new policy is in force');

  wait = reloaded();
  writeFileSync(join(dir, 'more.cedar'), '@id("dana-applies")\npermit (principal == User::"dana", action == Action::"applyWarehous", resource);\n');
  await wait;
  assert.ok(reloads.at(-1) && 'error' in (reloads.at(-1) as object));
  assert.match(logged.at(-1)!, /NOT reloaded.*\n.*more\.cedar:2/);
  assert.equal(warehouse(), true, 'the last good policies stay in force');
  engine.close();
  assert.ok(readFileSync(join(dir, 'platform.cedar'), 'utf8').length > 0);
});

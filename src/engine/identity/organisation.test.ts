import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoUsers } from './demo-organisation.ts';
import { loadOrganisationFile, OrganisationFileError, parseOrganisation } from './organisation.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'goldpath-org-'));

test('the first start writes the demo organisation, readable by the operator only, and reads it back', () => {
  const file = join(dir(), 'organisation.yaml');
  const org = loadOrganisationFile(file);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(org.users.map((u) => u.id), demoUsers.map((u) => u.id));
  assert.deepEqual(org.users.filter((u) => u.roles.includes('admin')).map((u) => u.id), ['priya']);
  assert.match(readFileSync(file, 'utf8'), /^# The local organisation/);
});

test('an existing file is read as it is, not overwritten', () => {
  const file = join(dir(), 'organisation.yaml');
  writeFileSync(file, 'teams:\n  - { id: data, title: Data }\nusers:\n  - { id: zoe, name: Zoe, team: data, roles: [admin] }\n');
  const org = loadOrganisationFile(file);
  assert.deepEqual(org.users, [{ id: 'zoe', name: 'Zoe', team: 'data', roles: ['admin'] }]);
});

test('mistakes are refused with the line that has them', () => {
  const text = [
    'teams:', //                                     1
    '  - id: web', //                                2
    '    title: Web', //                             3
    'users:', //                                     4
    '  - id: sam', //                                5
    '    name: Sam', //                              6
    '    team: webb', //                             7
    '  - id: lee', //                                8
    '    name: Lee', //                              9
    '    team: web', //                              10
    '    roles: [owner]', //                         11
    '  - id: sam', //                                12
    '    name: Sam Again', //                        13
    '    team: web', //                              14
  ].join('\n');
  assert.throws(() => parseOrganisation(text, 'org.yaml'), (e: Error) => {
    assert.ok(e instanceof OrganisationFileError);
    assert.equal(e.message, 'org.yaml:11: users.1.roles.0: the only role is "admin"');
    return true;
  });
  // Once each entry is well formed, the file is checked as a whole.
  assert.throws(() => parseOrganisation(text.replace('[owner]', '[admin]'), 'org.yaml'), (e: Error) => {
    assert.match(e.message, /^org\.yaml:7: users\.0\.team: no team "webb" in teams/m);
    assert.match(e.message, /^org\.yaml:12: users\.2\.id: user "sam" is listed twice/m);
    return true;
  });
  assert.throws(() => parseOrganisation('teams: [\n  { id: a\n', 'org.yaml'), /org\.yaml:\d+: not valid YAML/);
  assert.throws(() => parseOrganisation('teams:\n  - id: Web Team\n    title: W\n', 'org.yaml'), /org\.yaml:2: teams\.0\.id: a team id is lower-case/);
  assert.throws(() => parseOrganisation('teams:\n  - { id: w, title: W }\nuserz: []\n', 'org.yaml'), /org\.yaml:\d+: .*userz/);
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { ensureLocalAccounts, readLocalAccounts } from './local-accounts.ts';
import { applyOrganisation, parseOrganisation } from './organisation.ts';
import { signIn } from './sign-in.ts';
import { issueToken, tokenIsValid } from './tokens.ts';
import { setPassword } from './users.ts';

let pool: pg.Pool;
before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('accounts'), max: 4 });
  await migrate(pool);
});
after(() => pool.end());

const org = (users: string[]) => parseOrganisation(
  `teams: [{ id: web, title: Web }, { id: data, title: Data }]\nusers:\n${users.map((u, i) => `  - { id: ${u}, name: ${u}, team: ${i % 2 ? 'data' : 'web'}${i === 0 ? ', roles: [admin]' : ''} }`).join('\n')}\n`,
  'organisation.yaml',
);
const ok = async (user: string, password: string) => signIn(pool, user, password, { address: '192.0.2.1' }).then(() => true, () => false);

test('each local account has a password of its own, in a file only the operator can read, and one does not open another', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'goldpath-acc-')), 'local-accounts.txt');
  const o = org(['amy', 'bob', 'cat']);
  await applyOrganisation(pool, o);
  const { created } = await ensureLocalAccounts(pool, o, file);
  assert.deepEqual(created, ['amy', 'bob', 'cat']);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const passwords = readLocalAccounts(file);
  assert.equal(new Set(passwords.values()).size, 3, 'three different passwords');
  assert.match(readFileSync(file, 'utf8'), /^amy\tweb\tadmin\t/m);
  assert.ok(await ok('amy', passwords.get('amy')!));
  assert.ok(await ok('bob', passwords.get('bob')!));
  assert.equal(await ok('bob', passwords.get('amy')!), false, 'the admin\'s password does not open bob\'s account');
  assert.equal(await ok('amy', passwords.get('bob')!), false, 'nor bob\'s the admin\'s');

  // The next start keeps them; a new database gets the same ones back from the file.
  assert.deepEqual((await ensureLocalAccounts(pool, o, file)).created, []);
  assert.deepEqual(readLocalAccounts(file), passwords);
  await pool.query(`UPDATE users SET password_hash = NULL WHERE id = 'cat'`);
  await ensureLocalAccounts(pool, o, file);
  assert.ok(await ok('cat', passwords.get('cat')!));
});

test('an install where all shared one demo password gets individual ones, and the shared one stops working', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'goldpath-acc-')), 'local-accounts.txt');
  const o = org(['dan', 'eve']);
  await applyOrganisation(pool, o);
  for (const u of ['dan', 'eve']) await setPassword(pool, u, 'shared-demo-password');
  await ensureLocalAccounts(pool, o, file, { resetAll: true });
  const passwords = readLocalAccounts(file);
  assert.notEqual(passwords.get('dan'), passwords.get('eve'));
  assert.equal(await ok('dan', 'shared-demo-password'), false);
  assert.ok(await ok('eve', passwords.get('eve')!));
});

test('someone taken out of the organisation file can no longer sign in, with a password or a token, and is no admin', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'goldpath-acc-')), 'local-accounts.txt');
  const before = org(['fay', 'gus']);
  await applyOrganisation(pool, before);
  await ensureLocalAccounts(pool, before, file);
  const password = readLocalAccounts(file).get('fay')!;
  const token = await issueToken(pool, 'fay', 'cli');
  const afterwards = org(['gus']);
  const { removed } = await applyOrganisation(pool, afterwards);
  assert.ok(removed.includes('fay'));
  await ensureLocalAccounts(pool, afterwards, file);
  assert.equal(await ok('fay', password), false);
  assert.equal(await tokenIsValid(pool, token), false);
  assert.equal((await pool.query(`SELECT is_admin FROM users WHERE id = 'fay'`)).rows[0].is_admin, false);
  assert.equal(readLocalAccounts(file).has('fay'), false, 'the file no longer lists fay');
  assert.equal((await pool.query(`SELECT is_admin FROM users WHERE id = 'gus'`)).rows[0].is_admin, true, 'the first one listed is now the admin');
});

test('an e-mail of the organisation file that another user has is refused, naming the person', async () => {
  await applyOrganisation(pool, org(['hal']));
  const clash = parseOrganisation('teams: [{ id: web, title: Web }]\nusers:\n  - { id: ida, name: Ida, team: web, email: hal@example.org }\n', 'organisation.yaml');
  await assert.rejects(applyOrganisation(pool, clash), /user "ida" of the organisation file: the e-mail hal@example.org already belongs to another user/);
});

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { LineCounter, parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import type { Queryable } from '../environments/store.ts';
import { lineOf } from '../paths/yaml-lines.ts';
import { demoTeams, demoUsers } from './demo-organisation.ts';

/**
 * The local organisation file: the teams, people and roles of a platform without an identity
 * provider (and the teams an OIDC provider's groups may name). Re-read at every start; a person
 * taken out of it can no longer sign in.
 */
const slug = /^[a-z0-9][a-z0-9-]{0,62}$/;
const Team = z.strictObject({
  id: z.string().regex(slug, 'a team id is lower-case letters, digits and dashes, e.g. "payments"'),
  title: z.string().min(1, 'give the team a title').max(200),
});
const Role = z.enum(['admin'], { error: 'the only role is "admin"' });
const Person = z.strictObject({
  id: z.string().regex(slug, 'a user id is lower-case letters, digits and dashes, e.g. "dana"'),
  name: z.string().min(1, 'give the person\'s name').max(200),
  email: z.email('give an e-mail address, e.g. dana@example.org').optional(),
  team: z.string().min(1, 'give the team the person belongs to'),
  roles: z.array(Role).default([]),
});
export const OrganisationSchema = z.strictObject({
  teams: z.array(Team).min(1, 'list at least one team'),
  users: z.array(Person).default([]),
}).superRefine((org, ctx) => {
  const teams = new Set<string>();
  org.teams.forEach((t, i) => {
    if (teams.has(t.id)) ctx.addIssue({ code: 'custom', path: ['teams', i, 'id'], message: `team "${t.id}" is listed twice` });
    teams.add(t.id);
  });
  const ids = new Set<string>();
  const emails = new Set<string>();
  org.users.forEach((u, i) => {
    if (ids.has(u.id)) ctx.addIssue({ code: 'custom', path: ['users', i, 'id'], message: `user "${u.id}" is listed twice` });
    ids.add(u.id);
    const email = emailOf(u).toLowerCase();
    if (emails.has(email)) ctx.addIssue({ code: 'custom', path: ['users', i, 'email'], message: `e-mail ${email} is used twice` });
    emails.add(email);
    if (!teams.has(u.team)) ctx.addIssue({ code: 'custom', path: ['users', i, 'team'], message: `no team "${u.team}" in teams: add it there, or fix the name` });
  });
});
export type Organisation = z.infer<typeof OrganisationSchema>;
type Person = Organisation['users'][number];

const emailOf = (u: Pick<Person, 'id' | 'email'>): string => u.email ?? `${u.id}@example.org`;

/** The file is wrong: every message names the line. */
export class OrganisationFileError extends Error {}

export function parseOrganisation(text: string, file: string): Organisation {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new OrganisationFileError(`${file}:${lc.linePos(e.pos[0]).line}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const parsed = OrganisationSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => {
    const line = lineOf(doc, lc, i.path as (string | number)[]);
    const where = i.path.length ? `${i.path.join('.')}: ` : '';
    return `${file}:${line ?? 1}: ${where}${i.message}`;
  });
  throw new OrganisationFileError(lines.join('\n'));
}

const header = `# The local organisation of this Goldpath: its teams, the people in them and their roles.
# Read at every start of \`goldpath up\`. Each person gets a password of their own, kept in
# local-accounts.txt beside this file (readable by you only). Someone taken out of this file can
# no longer sign in. The only role is admin.
`;

export function demoOrganisationYaml(): string {
  const org = {
    teams: demoTeams,
    users: demoUsers.map((u) => ({ id: u.id, name: u.name, email: `${u.id}@example.org`, team: u.team, ...(u.isAdmin ? { roles: ['admin'] } : {}) })),
  };
  return header + '\n' + stringify(org);
}

/** Reads the organisation file, writing the demo organisation there first when it does not exist. */
export function loadOrganisationFile(file: string): Organisation {
  if (!existsSync(file)) writeFileSync(file, demoOrganisationYaml(), { mode: 0o600 });
  return parseOrganisation(readFileSync(file, 'utf8'), file);
}

/**
 * Makes the platform's local teams and people what the file says. Teams are never deleted
 * (environments and catalog entities refer to them). A local person no longer in the file keeps
 * their history but loses their password, their tokens and any admin role. People who signed in
 * through OIDC are the provider's to manage, and left alone.
 */
export async function applyOrganisation(db: Queryable, org: Organisation): Promise<{ removed: string[] }> {
  for (const t of org.teams) {
    await db.query('INSERT INTO teams (id, title) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title', [t.id, t.title]);
  }
  for (const u of org.users) {
    const { rows } = await db.query('SELECT external_id FROM users WHERE id = $1', [u.id]);
    if (rows[0]?.external_id) throw new OrganisationFileError(`user "${u.id}" of the organisation file is already a user signed in through OIDC: give the local account another id`);
    await db.query(
      `INSERT INTO users (id, name, email, team_id, is_admin) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, team_id = EXCLUDED.team_id, is_admin = EXCLUDED.is_admin`,
      [u.id, u.name, emailOf(u), u.team, u.roles.includes('admin')],
    ).catch((e: { constraint?: string }) => {
      if (e.constraint !== 'users_email_key') throw e;
      throw new OrganisationFileError(`user "${u.id}" of the organisation file: the e-mail ${emailOf(u)} already belongs to another user of this platform; give another one`);
    });
  }
  const { rows } = await db.query<{ id: string }>(
    `UPDATE users SET password_hash = NULL, is_admin = false
     WHERE external_id IS NULL AND NOT (id = ANY($1::text[])) RETURNING id`,
    [org.users.map((u) => u.id)],
  );
  const removed = rows.map((r) => r.id);
  if (removed.length) await db.query('DELETE FROM api_tokens WHERE user_id = ANY($1::text[])', [removed]);
  return { removed };
}

/** The local people who may sign in: in the file, with their ids. */
export const localUserIds = (org: Organisation): string[] => org.users.map((u) => u.id);

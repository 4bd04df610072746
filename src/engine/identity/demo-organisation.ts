import type { Queryable } from '../environments/store.ts';

/** The demo organisation `goldpath up` seeds on the embedded default. */
export const demoTeams = [
  { id: 'churn-analytics', title: 'Churn Analytics' },
  { id: 'payments', title: 'Payments' },
  { id: 'web', title: 'Web' },
];

export const demoUsers = [
  { id: 'dana', name: 'Dana Whitfield', team: 'churn-analytics', isAdmin: false },
  { id: 'ravi', name: 'Ravi Menon', team: 'churn-analytics', isAdmin: false },
  { id: 'mei', name: 'Mei Chen', team: 'payments', isAdmin: false },
  { id: 'olu', name: 'Olu Adeyemi', team: 'payments', isAdmin: false },
  { id: 'sam', name: 'Sam Novak', team: 'web', isAdmin: false },
  { id: 'priya', name: 'Priya Raman', team: 'web', isAdmin: true },
];

/** The user the CLI acts as on the embedded default unless told otherwise. */
export const defaultLocalUser = 'dana';

export async function seedDemoOrganisation(db: Queryable): Promise<void> {
  for (const t of demoTeams) {
    await db.query('INSERT INTO teams (id, title) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [t.id, t.title]);
  }
  for (const u of demoUsers) {
    await db.query(
      'INSERT INTO users (id, name, email, team_id, is_admin) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
      [u.id, u.name, `${u.id}@example.org`, u.team, u.isAdmin],
    );
  }
}

// The team a person launches for by default, when they belong to more than one (settings page).
// Kept in this browser, per user; the launch form still lets them pick another.
const key = (userId: string) => `goldpath.launch.team.${userId}`;

export function defaultLaunchTeam(userId: string): string | null {
  return localStorage.getItem(key(userId));
}

export function setDefaultLaunchTeam(userId: string, team: string | null): void {
  if (team) localStorage.setItem(key(userId), team);
  else localStorage.removeItem(key(userId));
}

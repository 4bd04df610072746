import type { PolicyEntity } from '../../domain/policy/decision.ts';
import type { EnvironmentView } from '../../domain/environment/schema.ts';
import type { User } from '../identity/users.ts';

/** How the platform's objects look to the policy engine (the types policies/platform.cedarschema declares). */

const ref = (type: string, id: string) => ({ entity: { type, id } });

export const userEntity = (u: User): PolicyEntity => ({ type: 'User', id: u.id, attrs: { admin: u.isAdmin }, parents: [{ type: 'Team', id: u.team }] });
export const teamEntity = (id: string): PolicyEntity => ({ type: 'Team', id });
export const platformEntity: PolicyEntity = { type: 'Platform', id: 'goldpath' };
export const pathEntity = (p: { id: string; dataClass: string | null }): PolicyEntity => ({ type: 'Path', id: p.id, attrs: { dataClass: p.dataClass ?? '' } });
export const teamRef = (id: string) => ref('Team', id);

export const environmentEntity = (e: Pick<EnvironmentView, 'id' | 'team' | 'owner' | 'dataClass' | 'path'>): PolicyEntity => ({
  type: 'Environment',
  id: e.id,
  attrs: { team: ref('Team', e.team), owner: ref('User', e.owner), dataClass: e.dataClass ?? '', path: e.path },
});

export const approvalEntity = (a: { id: string; approverTeam: string; requestedBy: string; environmentTeam: string }): PolicyEntity => ({
  type: 'Approval',
  id: a.id,
  attrs: { approverTeam: ref('Team', a.approverTeam), requestedBy: ref('User', a.requestedBy), environmentTeam: ref('Team', a.environmentTeam) },
});

/** A catalog entity by its ref; `owner` is its canonical owner ref (group:default/x or user:default/y). */
export const catalogEntity = (e: { ref: string; owner: string | null; source: string }): PolicyEntity => {
  const owner = e.owner?.match(/^(group|user):[^/]+\/(.+)$/);
  const attrs: PolicyEntity['attrs'] = { source: e.source };
  if (owner?.[1] === 'group') attrs.ownerTeam = ref('Team', owner[2]);
  if (owner?.[1] === 'user') attrs.ownerUser = ref('User', owner[2]);
  return { type: 'CatalogEntity', id: e.ref, attrs };
};

/** The resources route handlers and the engine ask about, in the platform's own words. */
export type PolicyResource =
  | ({ type: 'Environment' } & Pick<EnvironmentView, 'id' | 'team' | 'owner' | 'dataClass' | 'path'>)
  | { type: 'Team'; id: string }
  | { type: 'Platform' }
  | { type: 'Path'; id: string; dataClass: string | null }
  | { type: 'Approval'; id: string; approverTeam: string; requestedBy: string; environmentTeam: string }
  | { type: 'CatalogEntity'; ref: string; owner: string | null; source: string }
  | PolicyEntity;

export function toPolicyEntity(r: PolicyResource): PolicyEntity {
  switch (r.type) {
    case 'Environment': return environmentEntity(r as Extract<PolicyResource, { type: 'Environment' }>);
    case 'Team': return teamEntity((r as { id: string }).id);
    case 'Platform': return platformEntity;
    case 'Path': return pathEntity(r as Extract<PolicyResource, { type: 'Path' }>);
    case 'Approval': return approvalEntity(r as Extract<PolicyResource, { type: 'Approval' }>);
    case 'CatalogEntity': return catalogEntity(r as Extract<PolicyResource, { type: 'CatalogEntity' }>);
    default: return r as PolicyEntity;
  }
}

/** The team a resource belongs to, for the audit log. */
export function teamOf(r: PolicyResource): string | null {
  if (r.type === 'Environment' || r.type === 'Team') return (r as { team?: string; id: string }).team ?? (r as { id: string }).id;
  if (r.type === 'Approval') return (r as { approverTeam: string }).approverTeam;
  if (r.type === 'CatalogEntity') return (r as { owner: string | null }).owner?.match(/^group:[^/]+\/(.+)$/)?.[1] ?? null;
  return null;
}

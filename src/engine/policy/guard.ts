import type { Decision, PolicyAction, PolicyValue } from '../../domain/policy/decision.ts';
import type { User } from '../identity/users.ts';
import { PlatformError } from '../errors.ts';
import { DEFAULT_DENY, type PolicyEngine } from './engine.ts';
import { teamOf, toPolicyEntity, userEntity, type PolicyResource } from './entities.ts';

/**
 * What engine operations are handed to ask the policy engine on behalf of one user: it decides,
 * reports the decision (to the audit trail), and throws a 403 naming the policy when denied. Engine
 * code calls it at the point where it knows what the request is about, before writing anything.
 */
export type Guard = (action: PolicyAction, resource: PolicyResource, context?: Record<string, PolicyValue>) => Decision;

export function guardFor(engine: PolicyEngine, user: User, report: (d: Decision) => void = () => {}): Guard {
  return (action, resource, context) => {
    const decision = ask(engine, user, action, resource, context);
    report(decision);
    if (!decision.allowed) {
      const hint = decision.policies.includes(DEFAULT_DENY) ? whoMay(action, resource, decision.team) : undefined;
      throw new PlatformError(403, 'denied', `${user.id} may not ${action} ${decision.resource}: ${hint ? `${hint} (no policy allows it)` : decision.message}`);
    }
    return decision;
  };
}

/** When nothing permitted an action, who usually may: said in the platform's words, for the message. */
function whoMay(action: PolicyAction, r: PolicyResource, team = teamOf(r)): string | undefined {
  switch (action) {
    case 'launch': return `only members of ${team} launch for it`;
    case 'decideApproval': return `only members of ${team}, which owns this data, decide this request`;
    case 'breakGlass': return 'break-glass is not allowed by the policies in force';
    case 'listEnvironments': case 'readSpend': return `only members of ${team} and platform admins see this`;
    case 'readAudit': return team ? `only members of ${team} and platform admins read its audit log` : 'only platform admins read the whole audit log';
    case 'registerEntity': case 'replaceEntity': case 'deleteEntity': return 'catalog entities are registered, changed and removed by their owner (a team you are in, or you)';
    case 'applyWarehouse': return 'only platform admins apply the warehouse policy';
    case 'readCredentials': return 'only the owner and their team see these credentials';
    case 'openWorkspace': return 'only the owner and their team open its workspaces';
    default: return team ? `only members of ${team} may` : undefined;
  }
}

/** The decision alone, without throwing: for filtering what a user may see. */
export function ask(engine: PolicyEngine, user: User, action: PolicyAction, resource: PolicyResource, context?: Record<string, PolicyValue>): Decision {
  let team = teamOf(resource);
  if (team === null && context?.team && typeof context.team === 'object' && 'entity' in context.team) team = (context.team.entity as { id: string }).id;
  return engine.decide({ principal: userEntity(user), action, resource: toPolicyEntity(resource), context, team });
}

import type { Decision, PolicyAction, PolicyValue } from '../../domain/policy/decision.ts';
import type { User } from '../identity/users.ts';
import { PlatformError } from '../errors.ts';
import type { PolicyEngine } from './engine.ts';
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
    if (!decision.allowed) throw new PlatformError(403, 'denied', `${user.id} may not ${action} ${decision.resource}: ${decision.message}`);
    return decision;
  };
}

/** The decision alone, without throwing: for filtering what a user may see. */
export function ask(engine: PolicyEngine, user: User, action: PolicyAction, resource: PolicyResource, context?: Record<string, PolicyValue>): Decision {
  let team = teamOf(resource);
  if (team === null && context?.team && typeof context.team === 'object' && 'entity' in context.team) team = (context.team.entity as { id: string }).id;
  return engine.decide({ principal: userEntity(user), action, resource: toPolicyEntity(resource), context, team });
}
